"""A harness that runs payload/serve the way DJL Serving's Python engine does, without the image.

Nothing here ships to SageMaker: the serving tarball carries only the top-level files of
payload/serve (program/stack/experiment.ts, `servingCodeFiles`). The tests of payload/ and the
sandbox's rehearsed endpoints (through local_server.py) run the handler through it.

- `djl_python/`: a stand-in for the image's own djl_python package with the behaviours the handler
  meets (bytearray bodies, case-insensitive properties, batches, Output codes/messages/headers).
- `engine.py`: what the Java frontend and djl_python_engine.py do around it: serving.properties
  and OPTION_* env -> init properties, the entry point, the init call (an empty Input) whose
  failure fails the model load, requests, and the HTTP answer the frontend builds from an Output.
- `families.py`: what each LMI image family carries (transformers, accelerate, safetensors,
  default entry points, the options each built-in handler reads), from djl-serving's Dockerfiles.

Each behaviour cites its djl-serving source as `<tag>:<path>:<line>` (github.com/deepjavalibrary/djl-serving).
"""

from __future__ import annotations

import sys
from pathlib import Path

STANDIN = Path(__file__).resolve().parent  # holds djl_python/, the stand-in package


def install_djl_python() -> None:
    """Make `import djl_python` find the stand-in (the image has the real one on its PYTHONPATH)."""
    if str(STANDIN) not in sys.path:
        sys.path.insert(0, str(STANDIN))
