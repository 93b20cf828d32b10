"""A stand-in for Rasa's `PUT /model` and `/model/parse` on loopback (a thread, so sync code can call it)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional
from urllib.parse import parse_qs, urlsplit


class FakeRasaModelServer:
    def __init__(self, token: str = "secret") -> None:
        self.token = token
        self.loaded: list[str] = []
        self.fail_with: Optional[int] = None
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_PUT(self) -> None:
                url = urlsplit(self.path)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if parse_qs(url.query).get("token") != [fake.token]:
                    self.send_response(401)
                elif url.path != "/model" or fake.fail_with:
                    self.send_response(fake.fail_with or 404)
                else:
                    fake.loaded.append(body["model_file"])
                    self.send_response(204)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeRasaModelServer:
        self._thread.start()
        return self

    def __exit__(self, *args: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
