"""Tests of the OpenAI-compatible client layer."""
