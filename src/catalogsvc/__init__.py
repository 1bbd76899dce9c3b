"""catalogsvc: scholarly PDFs in, a classified catalog out."""

__version__ = "0.1.0"
