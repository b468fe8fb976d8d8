"""One exception root for the package, so callers can catch everything Kickoff raises."""


class KickoffError(Exception):
    """Base class of every error Kickoff raises on purpose. The message says how to fix it."""


class ConfigError(KickoffError):
    """A setting or a knowledge file is wrong."""


class PlaybookError(ConfigError):
    """knowledge/checklist.yaml or a playbook file is malformed."""


class PromptError(ConfigError):
    """A prompt file is missing, malformed, or rendered with missing variables."""


class IngestError(KickoffError):
    """A document could not be read or indexed."""


class RetrievalUnavailable(KickoffError):
    """The vector store cannot be reached; callers degrade to answers without citations."""


class ModelError(KickoffError):
    """A chat model call failed, timed out, or returned output that does not validate.

    `cause` names the kind of failure (one of `assistant.llm_stats.CAUSES`), so fallbacks can be counted
    by cause: a protocol problem is the integration's fault, invalid content is the model's.
    """

    def __init__(self, message: str, cause: str = "http_error") -> None:
        super().__init__(message)
        self.cause = cause


class NotFound(KickoffError):
    """A kickoff, interview or other resource does not exist (or belongs to another tenant)."""


class InvalidInput(KickoffError):
    """Input that the caller must fix: empty, too long, or malformed."""
