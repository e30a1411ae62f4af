"""A SageMaker-shaped model server over handler.py, for the sandbox cloud's rehearsals and tests.

    python payload/serve/local_server.py --model-dir DIR --port 0
    PYTHONPATH=payload python -m serve.local_server --model-dir DIR --port 0

GET /ping answers 200 once the model is loaded; POST /invocations takes the same JSON as the LMI
endpoint. The first stdout line is JSON, `{"event": "ready", "port": N, "url": ...}`, printed when
the model is loaded and the socket listens, so a parent process can wait for it and learn the port
(with --port 0 the OS picks a free one). SIGTERM and SIGINT stop it with exit code 0.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # handler.py sits next to this file

from handler import Service


def make_server(service: Service, host: str, port: int) -> ThreadingHTTPServer:
    # One generate at a time: the model is not meant to be driven from several threads, and /ping
    # must still answer while a request runs, hence threads plus a lock rather than one thread.
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: dict | None) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # http.server's naming
            if self.path == "/ping":
                self._send(
                    200 if service.loaded is not None else 503, {"status": "ok" if service.loaded else "loading"}
                )
            else:
                self._send(404, {"error": f"no route GET {self.path}"})

        def do_POST(self) -> None:
            if self.path != "/invocations":
                self._send(404, {"error": f"no route POST {self.path}"})
                return
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                response = service.invoke(body)
            if response is None:
                self._send(200, None)  # warm-up: nothing to say
            else:
                self._send(response.status, response.body)

        def log_message(self, format: str, *args: object) -> None:
            sys.stderr.write("local_server: " + (format % args) + "\n")

    return ThreadingHTTPServer((host, port), Handler)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", required=True, help="folder with config.json, weights and tokenizer")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--dtype", default=None, help="fp32, fp16 or bf16; default: the dtype the model was saved in")
    parser.add_argument("--device-map", default=None, help="accelerate device map on GPUs (default balanced_low_0)")
    args = parser.parse_args(argv)

    service = Service()
    service.initialize(args.model_dir, args.dtype, args.device_map)
    server = make_server(service, args.host, args.port)

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    host, port = server.server_address[:2]
    print(
        json.dumps(
            {"event": "ready", "port": port, "url": f"http://{host}:{port}", "dtype": str(service.loaded.dtype)}
        ),
        flush=True,
    )  # type: ignore[union-attr]
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
