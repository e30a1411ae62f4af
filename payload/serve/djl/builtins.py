"""Stand-ins for the LMI images' built-in handlers: which one DJL picks, what options it reads, what it refuses.

A built-in handler (no model.py) is chosen by the Java frontend and configured from the init
properties by pydantic models in djl_python/properties_manager (DJL >= 0.25) or by plain reads in
the handler (DJL < 0.25). `load(family, djl, properties, gpus)` does what the image does up to the
engine call: it resolves the entry point, validates the options as that version does (same fields,
types, allowed values, defaults and cross-field checks; a value the real one refuses raises
`Refused` with its message) and returns what the engine would be given. The engines themselves
(DeepSpeed kernels, FasterTransformer, vLLM, LMI-Dist, TensorRT-LLM) need GPUs and are not run.

Sources: github.com/deepjavalibrary/djl-serving, `<branch>:<path>:<line>`; P = engines/python/setup/
djl_python; J = engines/python/src/main/java/ai/djl/python/engine. The pydantic v1 models of
0.25.0-dlc .. 0.27.0-dlc are copied in v2 syntax with the same checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .families import version_tuple


class Refused(ValueError):
    """What the image's handler raises at init: the worker fails, the model never loads."""


class NoStandIn(LookupError):
    """An entry point this module has no stand-in for (a handler the model names that is not built in)."""


@dataclass
class Loaded:
    entry_point: str
    model: str  # what the engine loads from (model_id_or_path)
    engine_args: dict[str, Any] = field(default_factory=dict)


def _v(djl: str) -> tuple[int, ...]:
    return version_tuple(djl)


def _bool(value: Any, name: str) -> bool:
    # pydantic's bool parsing: true/false, 1/0, yes/no, on/off (case-insensitive); else a ValidationError
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on", "t", "y"):
        return True
    if text in ("false", "0", "no", "off", "f", "n"):
        return False
    raise Refused(f"{name}: Input should be a valid boolean, unable to interpret input [input_value={value!r}]")


def _int(value: Any, name: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise Refused(
            f"{name}: Input should be a valid integer, unable to parse string as an integer [input_value={value!r}]"
        ) from None


# -- which handler (the Java frontend) -------------------------------------------------------------


def entry_point(family: str, djl: str, properties: Mapping[str, str], has_model_py: bool = False) -> str:
    """option.entryPoint, else model.py, else the image's default (PyModel.java), as DJL resolves it.

    0.21.0-dlc J/PyModel.java:139-148 no default; 0.22.1-dlc :142-160 DeepSpeed -> djl_python.deepspeed,
    FasterTransformer -> djl_python.fastertransformer, model_id -> djl_python.huggingface;
    0.28.0-dlc :152-170 SERVING_FEATURES=trtllm (the tensorrtllm image) -> djl_python.tensorrt_llm,
    model_id -> djl_python.huggingface (which runs vLLM / LMI-Dist by option.rolling_batch);
    0.33.0-dlc :171-197 recommended entry points: trtllm -> djl_python.lmi_trtllm.trtllm_async_service,
    vllm (the lmi image) -> djl_python.lmi_vllm.vllm_async_service, both forcing async mode;
    master :173-201 vllm -> vllm_async_service only with option.async_mode=true, else huggingface.
    """
    given = properties.get("option.entryPoint")
    if given:
        return given
    if has_model_py:
        return "model.py"
    engine = properties.get("engine", "Python")
    v = _v(djl)
    if v < (0, 22):
        raise Refused("FileNotFoundException: .py file not found in: /opt/ml/model")
    if v < (0, 28) and family in ("deepspeed", "fastertransformer"):
        if engine == "DeepSpeed":
            return "djl_python.deepspeed"
        if engine == "FasterTransformer":
            return "djl_python.fastertransformer"
    if family == "tensorrtllm":
        return "djl_python.lmi_trtllm.trtllm_async_service" if v >= (0, 33) else "djl_python.tensorrt_llm"
    if family == "lmi" and v >= (0, 33):
        if v < (0, 35) or str(properties.get("option.async_mode", "false")).lower() == "true":
            return "djl_python.lmi_vllm.vllm_async_service"
    return "djl_python.huggingface"


def java_side(properties: Mapping[str, str]) -> dict[str, str]:
    """What the frontend adds to the options: engine MPI sets option.mpi_mode=true (0.28.0-dlc wlm/src/main/
    java/ai/djl/serving/wlm/ModelInfo.java:881-883)."""
    out = dict(properties)
    if out.get("engine") == "MPI":
        out["option.mpi_mode"] = "true"
    return out


# -- Properties (P/properties_manager/properties.py) -------------------------------------------------


# RollingBatchEnum by version: 0.25.0-dlc .. 0.27.0-dlc :21-28 (with deepspeed), 0.28.0-dlc .. 0.32.0-dlc
# :20-27 (tnx, scheduler), 0.33.0-dlc :20-26 (no scheduler), 0.35.0-dlc :20-24 (vllm, auto, disable, trtllm).
def rolling_batch_values(djl: str) -> tuple[str, ...]:
    v = _v(djl)
    if v < (0, 28):
        return ("vllm", "lmi-dist", "scheduler", "auto", "disable", "trtllm", "deepspeed")
    if v < (0, 33):
        return ("vllm", "tnx", "lmi-dist", "scheduler", "auto", "disable", "trtllm")
    if v < (0, 35):
        return ("vllm", "tnx", "lmi-dist", "auto", "disable", "trtllm")
    return ("vllm", "auto", "disable", "trtllm")


def properties(djl: str, options: Mapping[str, str]) -> dict[str, Any]:
    """Properties(**options): the common fields every handler of DJL >= 0.25 validates first.

    master P/properties_manager/properties.py:41-98 (0.28.0-dlc :33-97 the same fields): model_id_or_path
    = model_id or model_dir (required, str); rolling_batch an enum (default disable before 0.33, auto
    from 0.33.0-dlc :50); tensor_parallel_degree int = 1; trust_remote_code bool; batch_size int;
    max_rolling_batch_size Optional[int] = 32; dtype, revision Optional[str]; mpi_mode bool.
    """
    model = options.get("model_id") or options.get("model_dir")
    if not model:
        raise Refused("model_id_or_path: Input should be a valid string [input_value=None]")
    allowed = rolling_batch_values(djl)
    rolling = options.get("rolling_batch", "auto" if _v(djl) >= (0, 33) else "disable")
    if rolling not in allowed:
        raise Refused(f"rolling_batch: Input should be {', '.join(repr(a) for a in allowed)} [input_value={rolling!r}]")
    out: dict[str, Any] = {
        "model_id_or_path": model,
        "rolling_batch": rolling,
        "tensor_parallel_degree": _int(options.get("tensor_parallel_degree", 1), "tensor_parallel_degree"),
        "trust_remote_code": _bool(options.get("trust_remote_code", "false"), "trust_remote_code"),
        "batch_size": _int(options.get("batch_size", 1), "batch_size"),
        "max_rolling_batch_size": _int(options.get("max_rolling_batch_size", 32), "max_rolling_batch_size"),
        "dtype": options.get("dtype"),
        "revision": options.get("revision"),
        "mpi_mode": _bool(options.get("mpi_mode", "false"), "mpi_mode"),
    }
    return out


def torch_dtype_name(dtype: str | None, *, auto: bool) -> str | None:
    """get_torch_dtype_from_str: fp32 | fp16 | bf16 | int8 (| auto from 0.25's hf_properties), else
    ValueError "Invalid data type" (0.22.1-dlc P/deepspeed.py:73-84; master P/properties_manager/
    hf_properties.py:13-27)."""
    table = {"fp32": "float32", "fp16": "float16", "bf16": "bfloat16", "int8": "int8"}
    if dtype is None:
        return None
    if auto and dtype == "auto":
        return "auto"
    if dtype not in table:
        raise Refused(f"Invalid data type: {dtype}")
    return table[dtype]


# -- djl_python.huggingface (HF Accelerate; and the front of vLLM / LMI-Dist before 0.33) -------------


def huggingface(djl: str, options: Mapping[str, str], gpus: int) -> dict[str, Any]:
    """The kwargs from_pretrained gets, or the refusal.

    < 0.25 (0.23.0-dlc P/huggingface.py:121-169): plain reads; a TP degree > 0 without device_map
    means device_map "auto"; dtype through get_torch_dtype_from_str. 0.25.0-dlc .. 0.29.0-dlc
    (hf_properties.py 0.28.0-dlc:108-122, 0.29.0-dlc:118-139): TP > 0 with GPUs means device_map
    "auto" and a check that the worker sees exactly TP (0.29: TP*PP) GPUs; from 0.30.0-dlc (:118-140,
    0.31.0-dlc and master :96-118) only with rolling batch on. Without a device_map the model goes
    whole to `device` = cuda:{device_id} (0.30.0-dlc hf_properties.py:95-101; huggingface.py's
    pipeline(device=...), 0.31.0-dlc huggingface.py:382-386), and a TP worker's device_id is 0 (the
    frontend remaps it and makes its TP GPUs visible, 0.31.0-dlc J/Connection.java:269-275): one GPU
    holds the model however many the worker sees. `gpus` is what the worker sees: DJL gives a Python
    worker tensor_parallel_degree GPUs of the instance (J/PyEnv.java getTensorParallelDegree,
    WorkerPool). The result's "devices" is how many GPUs the weights are spread over.
    """
    v = _v(djl)
    kwargs: dict[str, Any] = {}
    if v < (0, 25):
        tp = _int(options.get("tensor_parallel_degree", "-1"), "tensor_parallel_degree")
        if "device_map" in options:
            kwargs["device_map"] = options["device_map"]
        elif tp > 0:
            kwargs["device_map"] = "auto"
        if options.get("dtype"):
            kwargs["torch_dtype"] = torch_dtype_name(options["dtype"], auto=False)
        model = options.get("model_id") or options.get("model_dir")
        return {"model": model, "kwargs": kwargs, "tp": tp, **_placement(kwargs, gpus)}
    base = properties(djl, options)
    tp = _int(options.get("tensor_parallel_degree", -1), "tensor_parallel_degree")  # HuggingFaceProperties: -1
    kwargs["trust_remote_code"] = base["trust_remote_code"]
    rolling_on = base["rolling_batch"] != "disable"
    if options.get("device_map"):
        kwargs["device_map"] = options["device_map"]
    elif tp > 0 and gpus > 0 and (v < (0, 30) or rolling_on):
        kwargs["device_map"] = "auto"
        if gpus != tp:
            raise Refused(
                f"TP degree ({tp}) doesn't match available GPUs ({gpus})"
                if v < (0, 29)
                else f"TP*PP degree ({tp}) doesn't match available GPUs ({gpus})"
            )
    if base["dtype"]:
        kwargs["torch_dtype"] = torch_dtype_name(base["dtype"].lower(), auto=True)
    return {
        "model": base["model_id_or_path"],
        "kwargs": kwargs,
        "tp": tp,
        "rolling_batch": base["rolling_batch"],
        **_placement(kwargs, gpus),
    }


def _placement(kwargs: Mapping[str, Any], gpus: int) -> dict[str, Any]:
    """Where from_pretrained puts the weights: a device_map spreads them over every GPU the worker
    sees (accelerate's "auto"); without one they go whole to cuda:0 (the worker's device_id, see
    huggingface() above), or stay on the CPU when the worker sees no GPU."""
    if kwargs.get("device_map"):
        return {"device": None, "devices": gpus}
    return {"device": "cuda:0", "devices": 1} if gpus > 0 else {"device": None, "devices": 0}


# -- vLLM (VllmRbProperties) ---------------------------------------------------------------------------

VLLM_DTYPES = {"float32": "float32", "fp32": "float32", "float16": "float16", "fp16": "float16",
               "bfloat16": "bfloat16", "bf16": "bfloat16", "auto": "auto"}  # fmt: skip


def vllm(djl: str, options: Mapping[str, str]) -> dict[str, Any]:
    """The vLLM engine args, or the refusal.

    0.28.0-dlc P/properties_manager/vllm_rb_properties.py:27-60: engine must be "Python" when given
    (AssertionError "Need python engine to start vLLM RollingBatcher"), dtype Optional[str] = "auto"
    passed as is, tensor_parallel_degree, max_model_len Optional[int], gpu_memory_utilization 0.9;
    extra keys ignored. 0.32.0-dlc :91 and master :86: extra='allow', and every extra key that is a
    field of vLLM's EngineArgs is passed through (master :262-268); dtype must be a key of
    DTYPE_MAPPER (master :22-30, :129-135, "Invalid dtype=... provided"); pipeline_parallel_degree
    must be 1. max_rolling_batch_size becomes max_num_seqs (master :212).
    """
    base = properties(djl, options)
    v = _v(djl)
    if "engine" in options and options["engine"] != "Python":
        raise Refused("Need python engine to start vLLM RollingBatcher")
    dtype = options.get("dtype", "auto")
    if v >= (0, 32):
        if dtype not in VLLM_DTYPES:
            raise Refused(f"Invalid dtype={dtype} provided. Must be one of {list(VLLM_DTYPES)}")
        dtype = VLLM_DTYPES[dtype]
    if _int(options.get("pipeline_parallel_degree", 1), "pipeline_parallel_degree") != 1 and v >= (0, 32):
        raise Refused("Pipeline parallelism is not supported in vLLM's LLMEngine used in rolling_batch implementation")
    args: dict[str, Any] = {
        "model": base["model_id_or_path"],
        "tensor_parallel_size": base["tensor_parallel_degree"],
        "max_num_seqs": base["max_rolling_batch_size"],
        "dtype": dtype,
        "trust_remote_code": base["trust_remote_code"],
    }
    if options.get("max_model_len") is not None:
        args["max_model_len"] = _int(options["max_model_len"], "max_model_len")
    return args


def lmi_dist(djl: str, options: Mapping[str, str]) -> dict[str, Any]:
    """0.28.0-dlc P/properties_manager/lmi_dist_rb_properties.py:28-70 (0.31.0-dlc the same checks):
    mpi_mode must be true ("Need MPI engine to start lmi-dist RollingBatcher"), dtype "auto" default,
    max_model_len Optional[int]; tensor_parallel_degree Optional[int] (int = 1 from 0.31)."""
    base = properties(djl, options)
    if not base["mpi_mode"]:
        raise Refused("Need MPI engine to start lmi-dist RollingBatcher")
    args: dict[str, Any] = {
        "model": base["model_id_or_path"],
        "tensor_parallel_size": base["tensor_parallel_degree"],
        "max_num_seqs": base["max_rolling_batch_size"],
        "dtype": options.get("dtype", "auto"),
    }
    if options.get("max_model_len") is not None:
        args["max_model_len"] = _int(options["max_model_len"], "max_model_len")
    return args


# NVIDIA/TensorRT-LLM tensorrt_llm/_utils.py _str_to_torch_dtype_dict (the floating keys; int8/int32/
# int64/bool/fp8 are there too) -- what LLM(dtype=...) can turn into a torch or TensorRT type
TRTLLM_DTYPES = ("bfloat16", "float16", "float32", "int8", "int32", "int64", "bool", "fp8")


def trtllm(djl: str, options: Mapping[str, str]) -> dict[str, Any]:
    """TensorRtLlmProperties: 0.25.0-dlc .. 0.26.0-dlc P/properties_manager/trt_properties.py:16-37 rolling
    batch auto | trtllm (disable: "You cannot disable rolling batch for TensorRT LLM."); 0.27.0-dlc ..
    0.32.0-dlc :16-33 auto | trtllm | disable; 0.33.0-dlc :27-69 no check, dtype str = 'auto', extra
    keys allowed, tensor_parallel_degree -> tensor_parallel_size (:137).

    From 0.33.0-dlc the dtype goes untouched to TensorRT-LLM's LLM(dtype=...) (trt_properties.py:134;
    the ahead-of-time build too, serving/docker/partition/trt_llm_partition.py:246-249), whose LLM
    args accept any string (llm_args.py validate_dtype only rewrites 'auto' and refuses bfloat16
    before SM 80) and whose dtype tables name bfloat16 | float16 | float32 (and int/fp8 types), not
    DJL's bf16 | fp16 | fp32: str_dtype_to_torch / str_dtype_to_trt assert "Unsupported dtype: bf16"
    (NVIDIA/TensorRT-LLM tensorrt_llm/_utils.py, _str_to_torch_dtype_dict and _str_to_trt_dtype_dict).
    Before 0.33 DJL's own TensorRT-LLM toolkit takes DJL's names (not checked here)."""
    base = properties(djl, options)
    v = _v(djl)
    dtype = options.get("dtype", "auto")
    if v >= (0, 33) and dtype != "auto" and dtype not in TRTLLM_DTYPES:
        raise Refused(f"AssertionError: Unsupported dtype: {dtype}")
    rolling = str(options.get("rolling_batch", base["rolling_batch"])).lower()
    if v < (0, 33):
        allowed = ("auto", "trtllm") if v < (0, 27) else ("auto", "trtllm", "disable")
        if v < (0, 27) and rolling == "disable":
            raise Refused(
                "You cannot disable rolling batch for TensorRT LLM."
                "Kindly enable it with auto or tensorrt values to option.rolling_batch"
            )
        if rolling not in allowed:
            raise Refused(f"tensorrt llm only supports rolling batch type {list(allowed)}.")
    return {
        "model": base["model_id_or_path"],
        "tensor_parallel_size": base["tensor_parallel_degree"],
        "max_batch_size": base["max_rolling_batch_size"],
        "dtype": dtype,
    }


# -- DeepSpeed and FasterTransformer (legacy images) ----------------------------------------------------

# 0.22.1-dlc P/deepspeed.py:41-49 (the same set through 0.27.0-dlc)
DEEPSPEED_TASKS = ("text-generation", "text-classification", "question-answering", "fill-mask",
                   "token-classification", "conversational", "text2text-generation")  # fmt: skip


def deepspeed(djl: str, options: Mapping[str, str]) -> dict[str, Any]:
    """0.22.1-dlc .. 0.24.0-dlc P/deepspeed.py _parse_properties (0.22.1 :126-174): model_id or model_dir,
    dtype through get_torch_dtype_from_str (fp32/fp16/bf16/int8, else "Invalid data type"),
    tensor_parallel_degree int -> ds_config tensor_parallel.tp_size, max_tokens int = 1024.
    0.25.0-dlc .. 0.27.0-dlc P/properties_manager/ds_properties.py:40-170: the same through
    DeepSpeedProperties, and rolling_batch only disable | auto | deepspeed ("deepspeed engine only
    supports rolling batch type ...")."""
    v = _v(djl)
    if v >= (0, 25):
        base = properties(djl, options)
        rolling = options.get("rolling_batch", "disable")
        if rolling != "disable" and rolling not in ("auto", "deepspeed"):
            raise Refused("deepspeed engine only supports rolling batch type ['auto', 'deepspeed'].")
        model, tp = base["model_id_or_path"], base["tensor_parallel_degree"]
    else:
        model = options.get("model_id") or options.get("model_dir")
        tp = _int(options.get("tensor_parallel_degree", 1), "tensor_parallel_degree")
    task = options.get("task")
    if task is not None and task not in DEEPSPEED_TASKS:
        raise Refused(f"task: {task} is not currently supported by DeepSpeed")
    return {
        "model": model,
        "ds_config": {
            "tensor_parallel": {"tp_size": tp},
            "max_tokens": _int(options.get("max_tokens", 1024), "max_tokens"),
        },
        "dtype": torch_dtype_name(options.get("dtype"), auto=False),
    }


def fastertransformer(djl: str, options: Mapping[str, str]) -> dict[str, Any]:
    """0.22.1-dlc P/fastertransformer.py:62-70 (0.23.0-dlc :65-80, 0.24.0-dlc the same): TP and PP ints,
    dtype as given (default fp32), model_id or model_dir; ft.init_inference(model, tp, pp, dtype)."""
    model = options.get("model_id") or options.get("model_dir")
    return {
        "model": model,
        "tensor_parallel_degree": _int(options.get("tensor_parallel_degree", 1), "tensor_parallel_degree"),
        "pipeline_parallel_degree": _int(options.get("pipeline_parallel_degree", 1), "pipeline_parallel_degree"),
        "dtype": options.get("dtype", "fp32"),
    }


def load(family: str, djl: str, serving_properties: Mapping[str, str], init: Mapping[str, str], gpus: int) -> Loaded:
    """The built-in handler DJL picks for `serving_properties` and what it makes of the init options.

    `init` is the init Input's properties (engine.init_properties: option.X as X, model_id = the
    downloaded folder); `gpus` the GPUs the worker sees.
    """
    props = java_side(serving_properties)
    options = dict(init)
    if props.get("option.mpi_mode") and "mpi_mode" not in options:
        options["mpi_mode"] = props["option.mpi_mode"]
    point = entry_point(family, djl, props)
    rolling = options.get("rolling_batch", "")
    if point == "djl_python.deepspeed":
        args = deepspeed(djl, options)
    elif point == "djl_python.fastertransformer":
        args = fastertransformer(djl, options)
    elif point in ("djl_python.tensorrt_llm", "djl_python.lmi_trtllm.trtllm_async_service"):
        args = trtllm(djl, options)
    elif point == "djl_python.lmi_vllm.vllm_async_service":
        huggingface(djl, options, gpus)  # master P/lmi_vllm/vllm_async_service.py:88-90 builds both
        args = vllm(djl, {**options, "engine": props.get("engine", "Python")})
    elif point == "djl_python.huggingface":
        hf = huggingface(djl, options, gpus)
        # 0.28.0-dlc P/huggingface.py:144-152: rolling batch on -> the class named by rolling_batch
        if rolling == "vllm":
            args = vllm(djl, {**options, "engine": props.get("engine", "Python")})
        elif rolling == "lmi-dist":
            args = lmi_dist(djl, options)
        else:
            args = hf
    else:
        raise NoStandIn(f"no stand-in for entry point {point}")
    model = args.get("model")
    return Loaded(point, str(model), args)
