"""What each LMI image carries that the handler depends on, read from djl-serving's Dockerfiles.

`serving/docker/deepspeed.Dockerfile` on branches 0.21.0-dlc and 0.22.1-dlc (ARG lines 15-21),
`serving/docker/fastertransformer.Dockerfile`, `serving/docker/lmi.Dockerfile` and
`lmi-container-requirements.txt` on 0.28.0-dlc .. master. transformers < 4.30 did not depend on
safetensors and these Dockerfiles do not install it, so those images read only pytorch_model*.bin.
accelerate < 0.21 divides by (num_devices - 1) for device_map "balanced_low_0" with one GPU
(huggingface/accelerate v0.16.0 src/accelerate/utils/modeling.py:419, v0.20.3 :588; the
`if num_devices == 1: low_zero = False` guard arrives in v0.21.0 :748).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest.mock import patch


def version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


@dataclass(frozen=True)
class Image:
    family: str  # djl-deepspeed | djl-fastertransformer | djl-lmi | djl-tensorrtllm (the SDK's file)
    djl: str
    transformers: str
    accelerate: str
    safetensors: bool

    @property
    def reads_safetensors(self) -> bool:
        return self.safetensors or version_tuple(self.transformers) >= (4, 30)

    @property
    def balanced_low_0_needs_two_gpus(self) -> bool:
        return version_tuple(self.accelerate) < (0, 21)


# (family, DJL version) -> what the image's Dockerfile installs
IMAGES = {
    ("deepspeed", "0.19.0"): Image("deepspeed", "0.19.0", "4.22.1", "0.13.2", False),
    ("deepspeed", "0.20.0"): Image("deepspeed", "0.20.0", "4.23.1", "0.13.2", False),
    ("deepspeed", "0.21.0"): Image("deepspeed", "0.21.0", "4.26.0", "0.16.0", False),
    ("deepspeed", "0.22.1"): Image("deepspeed", "0.22.1", "4.29.2", "0.19.0", False),
    ("deepspeed", "0.23.0"): Image("deepspeed", "0.23.0", "4.30.2", "0.20.3", True),
    ("deepspeed", "0.24.0"): Image("deepspeed", "0.24.0", "4.34.0", "0.23.0", True),
    ("deepspeed", "0.25.0"): Image("deepspeed", "0.25.0", "4.34.0", "0.23.0", True),
    ("deepspeed", "0.26.0"): Image("deepspeed", "0.26.0", "4.36.2", "0.25.0", True),
    ("deepspeed", "0.27.0"): Image("deepspeed", "0.27.0", "4.39.0", "0.28.0", True),
    ("fastertransformer", "0.21.0"): Image("fastertransformer", "0.21.0", "4.25.1", "0.15.0", False),
    ("fastertransformer", "0.22.1"): Image("fastertransformer", "0.22.1", "4.27.3", "0.17.1", False),
    ("fastertransformer", "0.23.0"): Image("fastertransformer", "0.23.0", "4.30.1", "0.20.3", True),
    ("fastertransformer", "0.24.0"): Image("fastertransformer", "0.24.0", "4.34.0", "0.23.0", True),
    ("lmi", "0.28.0"): Image("lmi", "0.28.0", "4.41.1", "0.30.1", True),
    ("lmi", "0.31.0"): Image("lmi", "0.31.0", "4.45.2", "1.0.1", True),
    ("lmi", "0.33.0"): Image("lmi", "0.33.0", "4.51.3", "1.0.1", True),
    # master (0.36.0-lmi27 and later): transformers >= 4.56 (5.x allowed), accelerate via peft
    ("lmi", "0.38.0"): Image("lmi", "0.38.0", "5.6.0", "1.10.0", True),
}


def image(family: str, djl: str) -> Image:
    """The nearest listed image of the family at or below `djl` (facts change only at listed versions)."""
    candidates = sorted((v for f, v in IMAGES if f == family), key=version_tuple)
    below = [v for v in candidates if version_tuple(v) <= version_tuple(djl)]
    if not below:
        raise KeyError(f"no facts for djl-{family} {djl}")
    return IMAGES[(family, below[-1])]


def known_image(family: str, djl: str) -> Image | None:
    """image(), or None for a family this file has no facts for (djl-tensorrtllm)."""
    try:
        return image(family, djl)
    except KeyError:
        return None


def default_entry_point(engine: str, djl: str, has_model_id: bool) -> str | None:
    """The handler DJL picks when serving.properties names none and the folder has no model.py.

    v0.21.0 PyModel.java:139-148: DJL_ENTRY_POINT or a .py file, else FileNotFoundException (no
    default for any engine). v0.22.1 PyModel.java:142-160: DeepSpeed -> djl_python.deepspeed,
    FasterTransformer -> djl_python.fastertransformer, a model_id -> djl_python.huggingface.
    master PyModel.java:173-197: recommendedEntryPoint, djl_python.huggingface for a model_id
    (djl_python.lmi_vllm.vllm_async_service with option.async_mode on the vLLM image).
    """
    if version_tuple(djl) < (0, 22):
        return None
    if engine == "DeepSpeed":
        return "djl_python.deepspeed"
    if engine == "FasterTransformer":
        return "djl_python.fastertransformer"
    return "djl_python.huggingface" if has_model_id else None


# -- running the handler as on an image, on this (CPU) machine -----------------------------------


@contextmanager
def simulated(image: Image, gpus: int) -> Iterator[None]:
    """The image's package versions and `gpus` visible GPUs, as far as the handler can tell.

    from_pretrained fails as the image's transformers and accelerate would, then loads on the CPU:
    without safetensors, transformers < 4.30 looks only for pytorch_model*.bin (OSError "no file
    named pytorch_model.bin ..."); accelerate < 0.21 raises ZeroDivisionError for balanced_low_0
    on one GPU (see the module docstring).
    """
    import torch
    import transformers

    import handler

    versions = {
        "transformers": image.transformers,
        "accelerate": image.accelerate,
        "safetensors": "0.4.0" if image.safetensors else None,
    }
    real_version = getattr(handler, "package_version", lambda name: None)
    patches = [
        patch.object(
            handler,
            "package_version",
            lambda name: versions[name] if name in versions else real_version(name),
            create=True,  # so the simulation also runs a handler that never asks
        ),
        patch.object(torch.cuda, "is_available", lambda: gpus > 0),
        patch.object(torch.cuda, "device_count", lambda: gpus),
    ]
    for auto in (transformers.AutoModelForSeq2SeqLM, transformers.AutoModelForCausalLM):
        real = auto.from_pretrained

        def from_pretrained(path: Any, *args: Any, _real: Any = real, **kwargs: Any) -> Any:
            if not image.reads_safetensors:
                if not list(Path(path).glob("pytorch_model*.bin")):
                    raise OSError(
                        f"Error no file named pytorch_model.bin, tf_model.h5, model.ckpt.index or "
                        f"flax_model.msgpack found in directory {path}."
                    )
                kwargs["use_safetensors"] = False
            if kwargs.get("device_map") == "balanced_low_0" and gpus == 1 and image.balanced_low_0_needs_two_gpus:
                raise ZeroDivisionError("integer division or modulo by zero")
            kwargs["device_map"] = None  # this machine has no GPU
            return _real(path, *args, **kwargs)

        patches.append(patch.object(auto, "from_pretrained", from_pretrained))
    for item in patches:
        item.start()
    try:
        yield
    finally:
        for item in reversed(patches):
            item.stop()
