"""The serving logic behind model.py (DJL Serving) and local_server.py, free of djl_python.

Requests are JSON `{"inputs": str | [str], "parameters": {...generate kwargs}}`; answers are
`{"outputs": str | [str]}` (a list when the inputs were a list). Failures come back as a
Response with a status code and `{"error": ...}`, never as an exception into the server, and an
empty request (the server's warm-up) is answered with None, as djl_python's huggingface.py does.
The seed's inference tips are defaults: the dtype is always given to from_pretrained (a model
trained in bf16/fp16 otherwise loads as fp32 and can run out of memory) and use_cache=True
(the KV cache makes generation much faster).
"""

from __future__ import annotations

import json
import logging
import struct
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import torch
from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

DTYPES = {
    "fp32": torch.float32,
    "float32": torch.float32,
    "fp16": torch.float16,
    "float16": torch.float16,
    "bf16": torch.bfloat16,
    "bfloat16": torch.bfloat16,
}
# The seed's choice for one model over several GPUs: keep GPU 0 lighter, it also holds the inputs.
DEFAULT_GPU_DEVICE_MAP = "balanced_low_0"
# One GPU: "auto" puts the model on it (and offloads what does not fit). accelerate < 0.21 divides
# by (num_devices - 1) for balanced_low_0 (v0.16.0 utils/modeling.py:419), a ZeroDivisionError
# with one GPU; from 0.21.0 (:748) it falls back to low_zero=False itself, which "auto" is.
SINGLE_GPU_DEVICE_MAP = "auto"
BALANCED_LOW_0_SAFE_ON_ONE_GPU = (0, 21)
# transformers reads model.safetensors only with the safetensors package, a dependency from 4.30;
# LMI images up to DJL 0.22.1 carry 4.26-4.29 without it (serving/docker/deepspeed.Dockerfile).
SAFETENSORS_REQUIRED_FROM = (4, 30)
_SAFETENSORS_DTYPES = {
    "F64": torch.float64,
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "I64": torch.int64,
    "I32": torch.int32,
    "I16": torch.int16,
    "I8": torch.int8,
    "U8": torch.uint8,
    "BOOL": torch.bool,
}
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Response:
    status: int
    body: dict[str, Any]


@dataclass
class Loaded:
    model: Any
    tokenizer: Any
    is_seq2seq: bool
    dtype: torch.dtype
    device: torch.device


class RequestError(ValueError):
    """A bad request: answered with 400 and the message."""


def resolve_dtype(dtype: str | None, model_dir: str | Path) -> torch.dtype:
    """The dtype to load with: the one asked for, else the one the model was saved in, else fp32."""
    if dtype and dtype != "auto":
        try:
            return DTYPES[dtype.lower()]
        except KeyError:
            raise ValueError(f"unknown dtype {dtype!r}; one of {sorted(DTYPES)}") from None
    saved = AutoConfig.from_pretrained(str(model_dir)).torch_dtype
    if isinstance(saved, str):
        saved = getattr(torch, saved, None)
    return saved if isinstance(saved, torch.dtype) else torch.float32


def package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def version_tuple(version: str | None) -> tuple[int, ...]:
    return tuple(int("".join(c for c in part if c.isdigit()) or 0) for part in (version or "0").split(".")[:3])


def resolve_device_map(device_map: str | None, gpus: int, accelerate_version: str | None = None) -> str | None:
    """The device map for `gpus` visible GPUs: none on CPU, balanced_low_0 from two GPUs, auto on one."""
    if gpus <= 0:
        return None  # accelerate's maps spread over GPUs; without one everything stays on the CPU
    wanted = device_map or DEFAULT_GPU_DEVICE_MAP
    if gpus == 1 and wanted == "balanced_low_0":
        if device_map is not None and version_tuple(accelerate_version) >= BALANCED_LOW_0_SAFE_ON_ONE_GPU:
            return wanted  # asked for, and this accelerate handles one GPU itself
        return SINGLE_GPU_DEVICE_MAP
    return wanted


def reads_safetensors(transformers_version: str | None, safetensors_version: str | None) -> bool:
    return safetensors_version is not None or version_tuple(transformers_version) >= SAFETENSORS_REQUIRED_FROM


def _read_safetensors(path: Path) -> dict[str, torch.Tensor]:
    """A .safetensors file without the safetensors package: u64 header length, JSON header, raw data."""
    with path.open("rb") as handle:
        (length,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(length))
        data = bytearray(handle.read())
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = _SAFETENSORS_DTYPES[info["dtype"]]
        flat = torch.frombuffer(data, dtype=dtype, offset=start, count=(end - start) // dtype.itemsize)
        tensors[name] = flat.reshape(info["shape"]).clone()
    return tensors


def _writable_copy(model_dir: Path) -> Path:
    """A folder beside the read-only one, holding links to its files, where .bin files can go."""
    folder = Path(tempfile.mkdtemp(prefix="zerostack-weights-"))
    for item in model_dir.iterdir():
        (folder / item.name).symlink_to(item.resolve())
    return folder


def loadable_weights(model_dir: str | Path, reads_safetensors_now: bool | None = None) -> Path:
    """The folder to load from: as it is, or with pytorch_model*.bin written beside the safetensors
    when this transformers cannot read them (training saves model.safetensors; the 0.21.0/0.22.1
    images' transformers look only for pytorch_model.bin)."""
    folder = Path(model_dir)
    if reads_safetensors_now is None:
        reads_safetensors_now = reads_safetensors(package_version("transformers"), package_version("safetensors"))
    shards = sorted(folder.glob("*.safetensors"))
    if reads_safetensors_now or not shards or any(folder.glob("pytorch_model*.bin")):
        return folder
    try:
        probe = folder / ".zerostack-write-probe"
        probe.touch()
        probe.unlink()
    except OSError:
        folder = _writable_copy(folder)
    names = {
        shard.name: "pytorch_model.bin"
        if shard.name == "model.safetensors"
        else shard.name.replace("model-", "pytorch_model-").replace(".safetensors", ".bin")
        for shard in shards
    }
    for shard in shards:  # one shard in memory at a time
        torch.save(_read_safetensors(folder / shard.name), folder / names[shard.name])
    index = folder / "model.safetensors.index.json"
    if index.is_file():
        content = json.loads(index.read_text())
        content["weight_map"] = {k: names[v] for k, v in content["weight_map"].items()}
        (folder / "pytorch_model.bin.index.json").write_text(json.dumps(content))
    log.info("wrote %s for transformers %s (no safetensors)", sorted(names.values()), package_version("transformers"))
    return folder


def load(model_dir: str | Path, dtype: str | None = None, device_map: str | None = None) -> Loaded:
    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    model_dir = loadable_weights(model_dir)
    torch_dtype = resolve_dtype(dtype, model_dir)
    config = AutoConfig.from_pretrained(str(model_dir))
    is_seq2seq = bool(getattr(config, "is_encoder_decoder", False))
    auto = AutoModelForSeq2SeqLM if is_seq2seq else AutoModelForCausalLM
    model = auto.from_pretrained(
        str(model_dir),
        torch_dtype=torch_dtype,
        device_map=resolve_device_map(device_map, gpus, package_version("accelerate")),
    )
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    if not is_seq2seq:
        # A decoder-only model continues from the last token, so padding goes on the left.
        tokenizer.padding_side = "left"
        if tokenizer.pad_token_id is None:
            tokenizer.pad_token = tokenizer.eos_token
    return Loaded(model=model, tokenizer=tokenizer, is_seq2seq=is_seq2seq, dtype=torch_dtype, device=model.device)


Body = bytes | bytearray | memoryview | str | Mapping[str, Any]


def parse_request(body: Body) -> tuple[list[str], bool, dict[str, Any]]:
    """(inputs, whether a single string came in, generate parameters) or RequestError.

    DJL hands the body over as a bytearray (djl_python/inputs.py get_as_bytes), a test or the
    local server as bytes or str."""
    if isinstance(body, memoryview):
        body = body.tobytes()
    if isinstance(body, (bytes, bytearray, str)):
        try:
            body = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise RequestError(f"the body is not JSON: {err}") from None
    if not isinstance(body, Mapping):
        raise RequestError('the body must be a JSON object {"inputs": ..., "parameters": {...}}')
    inputs = body.get("inputs")
    single = isinstance(inputs, str)
    batch = [inputs] if single else inputs
    if not isinstance(batch, list) or not batch or not all(isinstance(x, str) for x in batch):
        raise RequestError('"inputs" must be a string or a non-empty list of strings')
    parameters = body.get("parameters") or {}
    if not isinstance(parameters, Mapping):
        raise RequestError('"parameters" must be a JSON object of generation options')
    return batch, single, dict(parameters)


def generate(loaded: Loaded, inputs: list[str], parameters: Mapping[str, Any]) -> list[str]:
    options = {"use_cache": True, **parameters}
    encoded = loaded.tokenizer(inputs, return_tensors="pt", padding=True).to(loaded.device)
    with torch.inference_mode():
        output_ids = loaded.model.generate(**encoded, **options)
    if not loaded.is_seq2seq:
        output_ids = output_ids[:, encoded["input_ids"].shape[1] :]  # drop the echoed prompt
    return loaded.tokenizer.batch_decode(output_ids, skip_special_tokens=True)


def is_empty(body: Body | None) -> bool:
    if isinstance(body, memoryview):
        body = body.tobytes()
    return (
        body is None
        or (isinstance(body, (bytes, bytearray, str)) and not body.strip())
        or (isinstance(body, Mapping) and not body)
    )


class Service:
    """Loads once, lazily, then answers requests; the one object a server process keeps."""

    def __init__(self) -> None:
        self.loaded: Loaded | None = None

    def initialize(self, model_dir: str | Path, dtype: str | None = None, device_map: str | None = None) -> None:
        self.loaded = load(model_dir, dtype, device_map)

    def invoke(self, body: Body | None) -> Response | None:
        if is_empty(body):
            return None  # warm-up
        if self.loaded is None:
            return Response(503, {"error": "the model is not loaded"})
        try:
            inputs, single, parameters = parse_request(body)  # type: ignore[arg-type]
        except RequestError as err:
            return Response(400, {"error": str(err)})
        try:
            outputs = generate(self.loaded, inputs, parameters)
        except (ValueError, TypeError) as err:
            # transformers rejects unknown or inconsistent generation options with these.
            return Response(400, {"error": f"generation rejected the parameters: {err}"})
        except Exception as err:  # the server must answer, whatever went wrong
            return Response(500, {"error": f"{type(err).__name__}: {err}"})
        return Response(200, {"outputs": outputs[0] if single else outputs})
