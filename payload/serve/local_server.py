"""A SageMaker-shaped model server that runs the handler as DJL Serving does, for the sandbox cloud's
rehearsals and tests.

    python payload/serve/local_server.py --model-dir WEIGHTS [--code-dir CODE] [--image lmi:0.38.0] --port 0

The handler runs through djl/engine.py (DJL's Python engine: the init call with the serving
properties, bytearray bodies, Output codes and headers). `--code-dir` is the model's code folder
(serving.properties, and model.py when the backend uses the custom handler). The entry point is
chosen as DJL chooses it (option.entryPoint, else model.py, else the image's default). With
`--image`, a built-in one first goes through djl/builtins.py, the image's own option checks for that
handler (HuggingFaceProperties, vLLM / LMI-Dist / TensorRT-LLM / DeepSpeed properties, by DJL
version): what the image refuses fails the init call here with the handler's message, as the
image's worker would (engine.init_raised). The worker sees the TP degree's GPUs, as DJL gives a
Python worker (`--gpus` overrides). Then djl_python.huggingface, and the engines this machine
cannot run (vLLM, TensorRT-LLM, DeepSpeed), run djl/djl_python/huggingface.py, a stand-in that
reads the built-in handler's options and answers in its shape ([{"generated_text": ...}]). Without
`--code-dir` it runs payload/serve's own model.py. `--image family:djl_version` makes the handler
see that image's transformers and accelerate (djl/families.py; a family with no facts there,
djl-tensorrtllm, runs on this machine's) and its default entry point, and `--gpus N` that many GPUs.

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

from djl import builtins, engine, families  # noqa: E402


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


def entry_point(properties: dict[str, str], code_dir: Path | None, image: str | None) -> str:
    """The handler DJL runs: option.entryPoint, else model.py in the folder, else the image's default
    (djl/engine.py's sources; families.default_entry_point per DJL version)."""
    named = properties.get("option.entryPoint")
    if named:
        return named
    if code_dir is not None and (code_dir / "model.py").is_file():
        return "model.py"
    if image is None:
        return "djl_python.huggingface"  # today's images: the default for a model_id
    family, _, djl = image.partition(":")
    engine_name = properties.get("engine", "Python")
    found = families.default_entry_point(engine_name, djl, has_model_id=True)
    if found is None:
        raise engine.ModelLoadError(
            f"no entry point: serving.properties names none, the folder has no model.py, and DJL {djl} "
            f"({family}) has no default for engine {engine_name}"
        )
    return found


# Built-in handlers without a stand-in of their own run the huggingface stand-in (djl_python/huggingface.py):
# same options and answer for the Accelerate path; vLLM, TensorRT-LLM, DeepSpeed kernels need GPUs.
STAND_IN = "djl_python.huggingface"


def worker_gpus(properties: dict[str, str], gpus: int) -> int:
    """The GPUs a Python worker sees: its tensor_parallel_degree of the instance's (DJL sets
    CUDA_VISIBLE_DEVICES to them, 0.31.0-dlc engines/python/src/main/java/ai/djl/python/engine/
    Connection.java:269-275), unless --gpus says otherwise."""
    if gpus > 0:
        return gpus
    tp = properties.get("option.tensor_parallel_degree", "").strip()
    return int(tp) if tp.isdigit() else 0


def check_builtin(properties: dict[str, str], init: dict[str, str], image: str, gpus: int) -> None:
    """The image's option checks for its built-in handler (djl/builtins.py), on the options the model
    gives (before the sandbox's CPU dtype): a refusal is the handler raising in its init call."""
    family, _, djl = image.partition(":")
    try:
        builtins.load(family, djl, properties, init, gpus=worker_gpus(properties, gpus))
    except builtins.NoStandIn:
        return  # a handler the model names that no image builds in: nothing to check it against
    except builtins.Refused as refusal:
        raise engine.init_raised(refusal) from None


def worker_for(args: argparse.Namespace) -> engine.PythonEngine:
    properties: dict[str, str] = {}
    if args.code_dir is not None and (args.code_dir / "serving.properties").is_file():
        properties = engine.parse_properties((args.code_dir / "serving.properties").read_text())
    chosen = entry_point(properties, args.code_dir, args.image)
    init = engine.init_properties(properties, args.model_dir)
    init.setdefault("model_id", str(args.model_dir))
    if args.code_dir is not None and args.image and not chosen.endswith(".py"):
        check_builtin(properties, init, args.image, args.gpus)
    if args.dtype:
        init["dtype"] = args.dtype
    if args.code_dir is None:  # a plain local run: the payload's own handler
        return engine.PythonEngine(SERVE, "model.py", init)
    if chosen.endswith(".py"):  # the model's own handler, from its code folder
        return engine.PythonEngine(args.code_dir, chosen, init)
    return engine.PythonEngine(args.code_dir, STAND_IN, init)


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

    with contextlib.ExitStack() as stack:
        if args.image:
            family, _, djl = args.image.partition(":")
            facts = families.known_image(family, djl)
            if facts is not None:
                stack.enter_context(families.simulated(facts, args.gpus))
        try:
            worker = worker_for(args)
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
