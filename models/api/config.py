"""Settings of the local API server, checked before anything binds or loads."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from ..errors import ConfigError
from ..events import LoadConfig, SamplingParams

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ApiConfig:
    """How to serve.

    ``port`` 0 picks a free port. ``api_key`` is required for any address other than loopback.
    ``cors_origins`` lists the browser origins allowed to call the API (``"*"`` for any); empty = CORS off.
    ``queue_limit`` is how many requests may wait for the model; one more is answered 429.
    ``embedding_model`` is a separate GGUF for /v1/embeddings; None = the chat model loaded for embeddings.
    """

    model: LoadConfig
    host: str = "127.0.0.1"
    port: int = 8080
    api_key: str | None = None
    cors_origins: tuple[str, ...] = ()
    queue_limit: int = 16
    embedding_model: LoadConfig | None = None
    default_max_tokens: int = SamplingParams.max_tokens  # the one home of sampling defaults
    max_body_bytes: int = 8 * 1024 * 1024
    idle_timeout: float = 120.0  # seconds an idle keep-alive connection is kept open
    extra: dict[str, object] = field(default_factory=dict)

    def check(self) -> None:
        """Raise ConfigError for settings that must not start a server."""
        if not self.host:
            raise ConfigError("No address to listen on was given.", "Use --host 127.0.0.1.")
        if not is_loopback(self.host) and not self.api_key:
            raise ConfigError(
                f"Refusing to serve on {self.host} without an API key: anyone on the network could use the model.",
                "Pass --api-key SECRET (clients send 'Authorization: Bearer SECRET'), or bind to 127.0.0.1.",
            )
        if self.api_key is not None and len(self.api_key.strip()) < 8:
            raise ConfigError("The API key is too short.", "Use a key of at least 8 characters.")
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"Port {self.port} is not a valid port.", "Use a port between 1 and 65535.")
        if self.queue_limit < 0:
            raise ConfigError("The queue limit cannot be negative.", "Use 0 or more (16 is a good default).")
        for origin in self.cors_origins:
            if origin != "*" and not origin.startswith(("http://", "https://")):
                raise ConfigError(
                    f"'{origin}' is not a browser origin.",
                    "Use a full origin such as http://localhost:3000, or *.",
                )

    @property
    def embedding_config(self) -> LoadConfig:
        """What /v1/embeddings loads: the dedicated model, or the chat model with embeddings on."""
        from dataclasses import replace

        return self.embedding_model or replace(self.model, embedding=True, n_ctx=min(self.model.n_ctx, 2048))
