"""The domain error tree; api/errors.py maps it to HTTP once."""

from __future__ import annotations


class CatalogError(Exception):
    """Something went wrong in catalogsvc."""

    def __init__(self, detail: str | None = None) -> None:
        self.detail = detail or (self.__doc__ or type(self).__name__).strip()
        super().__init__(self.detail)


class JobNotFound(CatalogError):
    """No job with this id."""


class PaperNotFound(CatalogError):
    """No paper with this id (or not one of the caller's)."""


class NotAuthenticated(CatalogError):
    """This service asks for an API key: send one of CATALOGSVC_API_KEYS as a bearer token."""


class JobConflict(CatalogError):
    """The job is not in a state that allows this."""


class JobNotCancellable(JobConflict):
    """The job has already finished and cannot be cancelled."""


class JobStillActive(JobConflict):
    """The job is still queued or running."""


class JobNotResumable(JobConflict):
    """Only cancelled, failed or interrupted jobs can be resumed."""


class JobAlreadyResumed(JobConflict):
    """The job was already resumed by another job."""

    @classmethod
    def naming(cls, parent_id: str, child_id: str | None) -> JobAlreadyResumed:
        return cls(f"job {parent_id} was already resumed by job {child_id}; go on from that job")


class InvalidInput(CatalogError):
    """The request is not valid."""

    def __init__(
        self, detail: str | None = None, *, field: str = "body", where: str = "body"
    ) -> None:
        super().__init__(detail)
        self.field = field
        self.where = where  # body, path or query


class InvalidTaxonomy(InvalidInput):
    """The taxonomy is not valid."""

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, field="taxonomy")


class PathNotAllowed(CatalogError):
    """This folder lies outside CATALOGSVC_ALLOWED_ROOTS."""


class NotAFolder(InvalidInput):
    """The path is not a folder."""

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, field="path")


class UploadTooLarge(CatalogError):
    """The upload is larger than CATALOGSVC_MAX_UPLOAD_MB."""


class StorageFull(CatalogError):
    """The disk is full: free some space (deleting finished jobs frees theirs) and try again."""

    @classmethod
    def because(cls, cause: BaseException) -> StorageFull:
        return cls(f"{cls().detail} ({cause})")


class DatabaseUnavailable(CatalogError):
    """The database cannot be reached (down, restarting, or the network to it is cut)."""


class ServiceStopping(CatalogError):
    """The server is shutting down: it starts no job any more (ask again once it is back)."""


class InvalidPDF(CatalogError):
    """The file is not a readable PDF."""


class ExtractionFailed(CatalogError):
    """Extraction of this file failed."""


class LLMError(CatalogError):
    """The language model request failed."""


class LLMAnswerInvalid(LLMError):
    """The language model answered, but not with what was asked for."""
