"""The local OpenAI-compatible API.

    from models.api import ApiConfig, ApiServer
    from models.events import LoadConfig

    server = ApiServer(ApiConfig(model=LoadConfig(model_path="model.gguf")))  # checks the settings
    print(server.start())   # loads the model, serves on a thread: http://127.0.0.1:8080/v1
    ...
    server.stop()           # cancels open generations, closes the engines

Any OpenAI client then works with ``base_url=server.address``: /v1/models, /v1/chat/completions
(streaming too; ``response_format`` json_object/json_schema and ``tools`` are enforced by a grammar,
see ``models.structured``), /v1/completions and /v1/embeddings. One model answers one request at a
time; waiting requests are served round-robin by client (``fairqueue``). No Qt here: the desktop toggle
(desktop/api_toggle.py) and ``tomoshibi serve`` (cli/serve.py) both wrap ApiServer.
"""

from .config import ApiConfig
from .server import ApiServer

__all__ = ["ApiConfig", "ApiServer"]
