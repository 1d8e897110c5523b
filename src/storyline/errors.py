"""storyline's exceptions, one hierarchy.

    StorylineError
    ├── InputError          a document could not be read or decoded (names the document)
    │   ├── EmptyDocument
    │   ├── BinaryDocument
    │   ├── UnsupportedFormat
    │   ├── MalformedRecord  (bad JSONL line, bad feed item)
    │   ├── UndecodableDocument
    │   ├── TruncatedDocument
    │   ├── TooLargeDocument (longer than the parser takes; split it into articles)
    │   └── SourceUnavailable (a watched feed or folder could not be polled)
    ├── StageError          a pipeline stage failed on one document
    ├── StoreError          the DuckDB store is missing, locked or of another schema
    ├── CorpusError         an evaluation corpus or benchmark file is missing or malformed
    ├── ModelError          a shipped trained model does not fit this version (run `make train`)
    └── ConfigError         a setting (option, environment variable) has a value that cannot work
"""
from __future__ import annotations


class StorylineError(Exception):
    """Base class of every error storyline raises on purpose."""


class InputError(StorylineError):
    """A document could not be read; ``doc`` names it (path, path:line, or id)."""

    code = "input"

    def __init__(self, doc: str, message: str):
        self.doc = doc
        self.message = message
        super().__init__(f"{doc}: {message}")


class EmptyDocument(InputError):
    code = "empty"


class BinaryDocument(InputError):
    code = "binary"


class UnsupportedFormat(InputError):
    code = "unsupported_format"


class MalformedRecord(InputError):
    code = "malformed"


class StageError(StorylineError):
    """A stage failed on one document."""

    def __init__(self, doc: str, stage: str, message: str):
        self.doc = doc
        self.stage = stage
        self.message = message
        super().__init__(f"{doc}: {stage}: {message}")


class StoreError(StorylineError):
    """The store cannot be opened or used."""


class UndecodableDocument(InputError):
    """Bytes that are neither UTF-8 nor any encoding that can be detected."""

    code = "undecodable"


class TruncatedDocument(InputError):
    """A compressed stream that ends early (truncated .gz)."""

    code = "truncated_gzip"


class TooLargeDocument(InputError):
    """More text than one article: the parser would need gigabytes for it."""

    code = "too_large"


class NotFound(InputError):
    """A path that names no file, folder or glob match."""

    code = "not_found"


class CorpusError(StorylineError):
    """An evaluation corpus (``corpus/``, a benchmark folder) that cannot be read; names the file."""


class SourceUnavailable(InputError):
    """A source ``storyline watch`` polls (feed URL, folder) could not be read this time:
    network, HTTP status, a feed that does not parse. The source is retried with backoff."""

    code = "unavailable"


class ModelError(StorylineError):
    """A trained model file in ``storyline/data`` does not match the code that reads it."""


class ConfigError(StorylineError):
    """A setting (a command-line option or an environment variable) has an unusable value;
    the message names the setting."""
