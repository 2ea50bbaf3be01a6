"""One model behind the API: its engine (started on demand, restarted after a crash) and its queue."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..bundled import BUNDLED_FILE, BUNDLED_ID
from ..errors import EngineError, TomoshibiError
from ..events import LoadConfig
from .fairqueue import FairQueue

if TYPE_CHECKING:
    from ..engine import Engine

log = logging.getLogger(__name__)

RESTART_BACKOFF = 10.0  # after a failed start, answer 503 for this long before trying again


def model_id(config: LoadConfig) -> str:
    name = Path(config.model_path).name
    return BUNDLED_ID if name == BUNDLED_FILE else Path(name).stem


class EngineDown(Exception):
    """The engine could not be started; ``error`` says why."""

    def __init__(self, error: TomoshibiError, retry_after: int) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


class ModelHost:
    """Owns one engine (or borrows one the caller passes in) and the fair queue in front of it."""

    def __init__(self, config: LoadConfig, queue_limit: int, engine: Engine | None = None) -> None:
        self.config = config
        self.id = model_id(config)
        self.queue = FairQueue(queue_limit)
        self._engine = engine
        self._owned = engine is None
        self._lock = threading.Lock()
        self._failed: tuple[float, TomoshibiError] | None = None
        self.restart_backoff = RESTART_BACKOFF
        self.created = int(time.time())

    @property
    def loaded(self) -> bool:
        return self._engine is not None and self._engine.alive

    def engine(self) -> Engine:
        """The running engine: started on first use and again after a crash. Raises EngineDown."""
        with self._lock:
            if self._engine is not None and self._engine.alive:
                return self._engine
            if self._failed and time.monotonic() - self._failed[0] < self.restart_backoff:
                raise EngineDown(self._failed[1], max(1, round(self.restart_backoff)))
            if self._engine is not None:
                log.warning("the engine for %s stopped; starting it again", self.id)
                self._engine.close()
                self._engine = None
            from ..engine import Engine

            try:
                self._engine = Engine.start(self.config)
            except TomoshibiError as error:
                self._failed = (time.monotonic(), error)
                raise EngineDown(error, max(1, round(self.restart_backoff))) from None
            except Exception as error:  # noqa: BLE001 - any start failure means "down", with its reason
                wrapped = EngineError(f"The model could not be started: {error}", "See the log for details.")
                self._failed = (time.monotonic(), wrapped)
                raise EngineDown(wrapped, max(1, round(self.restart_backoff))) from None
            self._failed = None
            self._owned = True
            return self._engine

    def close(self) -> None:
        with self._lock:
            if self._engine is not None and self._owned:
                self._engine.close()
            self._engine = None
