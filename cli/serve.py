"""``tomoshibi serve``: the local OpenAI-compatible API (chat, completions, embeddings, JSON, tools)."""

from __future__ import annotations

import argparse
import os
import sys
import threading

from cli.common import add_model_options, load_config


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "serve",
        help="serve the model as an OpenAI-compatible API",
        description="Serve a model on /v1/chat/completions, /v1/completions, /v1/embeddings and /v1/models.",
    )
    add_model_options(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    parser.add_argument(
        "--api-key",
        default=os.environ.get("TOMOSHIBI_API_KEY"),
        help="key clients must send as 'Authorization: Bearer KEY' (required off loopback; "
        "default: $TOMOSHIBI_API_KEY)",
    )
    parser.add_argument(
        "--cors",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="browser origin allowed to call the API, e.g. http://localhost:3000 (repeatable; * for any)",
    )
    parser.add_argument(
        "--embedding-model", default=None, help="GGUF for /v1/embeddings (default: the chat model)"
    )
    parser.add_argument(
        "--queue", type=int, default=16, help="requests that may wait for the model (default 16)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from models.api import ApiConfig, ApiServer

    model = load_config(args)
    embedding = (
        replace(load_config(args, model=args.embedding_model), embedding=True)
        if args.embedding_model
        else None
    )
    config = ApiConfig(
        model=model,
        host=args.host,
        port=args.port,
        api_key=args.api_key or None,
        cors_origins=tuple(args.cors),
        queue_limit=args.queue,
        embedding_model=embedding,
    )
    server = ApiServer(config)  # checks the settings (key off loopback, ...) before anything loads
    print(f"Loading {model.model_path} …", file=sys.stderr)
    address = server.start()
    print(f"Tomoshibi API at {address}  (model '{server.chat_host.id}')", flush=True)
    print("Ctrl-C stops the server.", file=sys.stderr)
    stop = threading.Event()
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        print("\nStopping …", file=sys.stderr)
    finally:
        server.stop()
    return 0
