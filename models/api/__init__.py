"""The local OpenAI-compatible API: ``ApiServer(ApiConfig(model=LoadConfig(...))).start()``.

No Qt here; the desktop toggle (desktop/api_toggle.py) and ``tomoshibi serve`` both wrap ApiServer.
"""

from .config import ApiConfig
from .server import ApiServer

__all__ = ["ApiConfig", "ApiServer"]
