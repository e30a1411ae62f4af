"""A SageMaker-shaped model server that runs the handler as DJL Serving does, for the sandbox cloud's
rehearsals and tests.

    python payload/serve/local_server.py --model-dir WEIGHTS [--code-dir CODE] [--image lmi:0.38.0] --port 0

The handler runs through djl/engine.py (DJL's Python engine: the init call with the serving
properties, bytearray bodies, Output codes and headers). `--code-dir` is the model's code folder
(serving.properties, and model.py when the backend uses the custom handler); without it, or when
serving.properties names a built-in handler (djl_python.huggingface, vLLM, ...), payload/serve's
own model.py stands in for the built-in one. `--image family:djl_version` makes the handler see that
image's transformers/accelerate (djl/families.py) and `--gpus N` that many GPUs.

GET /ping answers 200 once the model is loaded; POST /invocations takes the same JSON as the LMI
endpoint. The first stdout line is JSON: `{"event": "ready", "port": N, "url": ...}` once the model
is loaded and the socket listens, or `{"event": "failed", "error": ...}` (exit 1) when the init call
fails, as a DJL worker whose model does not load. SIGTERM and SIGINT stop it with exit code 0.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SERVE = Path(__file__).resolve().parent
sys.path.insert(0, str(SERVE))  # handler.py and djl/ sit next to this file

from djl import engine, families  # noqa: E402


def make_server(worker: engine.PythonEngine, host: str, port: int) -> ThreadingHTTPServer:
    # One request at a time: the model is not meant to be driven from several threads, and /ping
    # must still answer while a request runs, hence threads plus a lock rather than one thread.
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def _send(self, answer: engine.HttpAnswer) -> None:
            self.send_response(answer.status, answer.reason)
            for key, value in answer.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def _json(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self._send(engine.HttpAnswer(status, "", {"Content-Type": "application/json"}, data))

        def do_GET(self) -> None:  # http.server's naming
            if self.path == "/ping":
                self._json(200, {"status": "ok"})
            else:
                self._json(404, {"error": f"no route GET {self.path}"})

        def do_POST(self) -> None:
            if self.path != "/invocations":
                self._json(404, {"error": f"no route POST {self.path}"})
                return
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                with lock:
                    answer = engine.answer(worker, body, self.headers.get("Content-Type"))
            except engine.ReasonPhraseError as error:  # what Netty does with such a status line
                self._json(500, {"error": str(error)})
                return
            self._send(answer)

        def log_message(self, format: str, *args: object) -> None:
            sys.stderr.write("local_server: " + (format % args) + "\n")

    return ThreadingHTTPServer((host, port), Handler)


def worker_for(args: argparse.Namespace) -> engine.PythonEngine:
    properties: dict[str, str] = {}
    if args.code_dir is not None and (args.code_dir / "serving.properties").is_file():
        properties = engine.parse_properties((args.code_dir / "serving.properties").read_text())
    custom = args.code_dir is not None and (
        properties.get("option.entryPoint") == "model.py" or (args.code_dir / "model.py").is_file()
    )
    code_dir = args.code_dir if custom else SERVE  # payload/serve's model.py stands in for built-ins
    init = engine.init_properties(properties, args.model_dir)
    init.setdefault("model_id", str(args.model_dir))
    if args.dtype:
        init["dtype"] = args.dtype
    return engine.PythonEngine(code_dir, "model.py", init)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", required=True, type=Path, help="folder with config.json, weights, tokenizer")
    parser.add_argument("--code-dir", type=Path, default=None, help="the model's serving.properties (and model.py)")
    parser.add_argument("--image", default=None, help="family:djl_version, e.g. deepspeed:0.21.0")
    parser.add_argument("--gpus", type=int, default=0, help="GPUs the handler believes it sees")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--dtype", default=None, help="fp32, fp16 or bf16; overrides option.dtype")
    args = parser.parse_args(argv)

    worker = worker_for(args)
    with contextlib.ExitStack() as stack:
        if args.image:
            family, _, djl = args.image.partition(":")
            stack.enter_context(families.simulated(families.image(family, djl), args.gpus))
        try:
            worker.initialize()
        except engine.ModelLoadError as error:
            print(json.dumps({"event": "failed", "error": str(error)}), flush=True)
            raise SystemExit(1) from None
        server = make_server(worker, args.host, args.port)

        def stop(signum: int, frame: object) -> None:
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        host, port = server.server_address[:2]
        print(json.dumps({"event": "ready", "port": port, "url": f"http://{host}:{port}"}), flush=True)
        try:
            server.serve_forever()
        finally:
            server.server_close()


if __name__ == "__main__":
    main()
