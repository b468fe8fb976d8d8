"""The one typed Settings object. Every knob is a KICKOFF_* environment variable (or a line in .env)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KICKOFF_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path(".kickoff"), description="Where the store and the vector index live.")
    knowledge_dir: Path = Field(PROJECT_ROOT / "knowledge", description="Playbook markdown and checklist.")
    prompts_dir: Path = Field(PROJECT_ROOT / "prompts", description="Prompt templates.")

    # Understanding / respond: "builtin" works offline; "llm" needs an OpenAI-compatible server.
    model: Literal["builtin", "llm"] = "builtin"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = Field(20.0, gt=0, description="Deadline for one model reply; the request is then cancelled.")
    llm_max_tokens: int = Field(1024, ge=16, description="Upper bound on the tokens of one model reply.")
    llm_temperature: float = Field(0.0, ge=0, le=2)

    # Vector store: embedded by default, a Chroma server when chroma_url is set.
    chroma_url: str | None = None
    collection_prefix: str = "kickoff"
    embedding_threads: int = Field(2, ge=1)
    retrieval_k: int = Field(3, ge=1, le=50)

    database_url: str | None = Field(None, description="SQLAlchemy URL; SQLite under data_dir by default.")

    # Limits for untrusted input.
    max_message_chars: int = Field(8000, ge=100)
    max_upload_bytes: int = Field(10_000_000, ge=1000)
    max_request_bytes: int = Field(12_000_000, ge=1000)
    max_interview_turns: int = Field(30, ge=5)

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    cors_origins: list[str] = Field(default_factory=list)
    rate_limit_per_minute: int = Field(120, ge=1)

    @model_validator(mode="after")
    def _llm_needs_endpoint(self) -> Settings:
        if self.model == "llm" and not (self.llm_base_url and self.llm_model):
            raise ConfigError(
                "KICKOFF_MODEL=llm needs KICKOFF_LLM_BASE_URL and KICKOFF_LLM_MODEL "
                "(for example http://localhost:11434/v1 and llama3.1); or set KICKOFF_MODEL=builtin."
            )
        return self

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "kickoff.db"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
