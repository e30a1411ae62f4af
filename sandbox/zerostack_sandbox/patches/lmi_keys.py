"""The serving keys each LMI image family documents; an endpoint whose model sets another fails.

DJL Serving hands every `option.X` to the handler and ignores what nothing reads, so a key the image
does not know is silently dropped on AWS (option.s3url on an image that reads only model_id leaves
the model without weights, and the container never gets healthy). The sandbox holds a model to what
its image documents instead: `undocumented()` names the keys of `engine` / `option.*` (from
serving.properties or OPTION_* variables) that no rule below grants to the image's family and DJL
version, and patches/endpoints.py fails the endpoint with them, as a container that cannot start.

Each rule cites djl-serving (github.com/deepjavalibrary/djl-serving, `<branch>:<path>:<line>`; the
`<djl>-dlc` branches are what each image was built from). "Documented" means named in the docs'
configuration tables and examples, or read by the Java frontend or the family's built-in handlers at
that version. Only the keys of those tables are listed; server-level keys (minWorkers, batch_size,
job_queue_size, ...) are not checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .model_code import DjlImage

FAMILIES = ("deepspeed", "fastertransformer", "lmi", "tensorrtllm")


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


@dataclass(frozen=True)
class Rule:
    keys: frozenset[str]
    families: tuple[str, ...]
    since: str = "0.0.0"  # DJL version, inclusive
    until: str | None = None  # DJL version, exclusive
    source: str = ""

    def grants(self, image: DjlImage) -> bool:
        return (
            image.family in self.families
            and version(image.djl) >= version(self.since)
            and (self.until is None or version(image.djl) < version(self.until))
        )


def _keys(*names: str) -> frozenset[str]:
    return frozenset(names)


RULES: tuple[Rule, ...] = (
    Rule(
        _keys(
            "engine",
            "option.entryPoint",
            "option.tensor_parallel_degree",
            "option.parallel_loading",
            "option.model_loading_timeout",
            "option.predict_timeout",
            "option.pythonExecutable",
            "option.handler",
            "option.model_id",
        ),
        FAMILIES,
        source="0.21.0-dlc:engines/python/src/main/java/ai/djl/python/engine/PyModel.java:88-125 (the "
        "options the Python engine reads); 0.21.0-dlc:serving/docs/configurations.md:159-178 (model_id); "
        "master:serving/docs/lmi/deployment_guide/configurations.md:87-96",
    ),
    Rule(
        _keys("option.dtype", "option.task", "option.device_map", "option.low_cpu_mem_usage", "option.load_in_8bit"),
        FAMILIES,
        source="0.21.0-dlc:engines/python/setup/djl_python/huggingface.py:72-95 and deepspeed.py:118 (read by "
        "the built-in handlers); master:engines/python/setup/djl_python/properties_manager/hf_properties.py:31-39",
    ),
    Rule(
        _keys("option.data_type", "option.max_new_tokens"),
        ("deepspeed", "fastertransformer"),
        source="0.21.0-dlc:serving/docs/configurations.md:170-173 (extra options passed to the handler)",
    ),
    Rule(
        _keys("option.s3url"),
        FAMILIES,
        until="0.27.0",
        source="0.21.0-dlc:engines/python/src/main/java/ai/djl/python/engine/PyModel.java:146; deprecated for "
        "model_id in 0.22.1-dlc:wlm/src/main/java/ai/djl/serving/wlm/ModelInfo.java:821-826, last read in "
        "0.26.0-dlc:wlm/src/main/java/ai/djl/serving/wlm/ModelInfo.java:952; no source of 0.27.0-dlc reads it",
    ),
    Rule(
        _keys("option.rolling_batch", "option.max_rolling_batch_size"),
        FAMILIES,
        since="0.23.0",
        source="0.23.0-dlc:serving/docs/configurations_large_model_inference_containers.md:44,49",
    ),
    Rule(
        _keys("option.trust_remote_code", "option.revision", "option.output_formatter"),
        FAMILIES,
        since="0.27.0",
        source="0.27.0-dlc:serving/docs/lmi/deployment_guide/configurations.md:107,108,116",
    ),
    Rule(
        _keys("option.max_model_len"),
        ("lmi",),
        since="0.26.0",
        source="0.28.0-dlc:serving/docs/lmi/user_guides/vllm_user_guide.md:103 (vLLM, >= 0.26.0) and "
        "lmi-dist_user_guide.md:113 (>= 0.27.0); neither engine is on the other families",
    ),
    Rule(
        _keys(
            "option.load_format",
            "option.quantize",
            "option.max_rolling_batch_prefill_tokens",
            "option.enforce_eager",
            "option.gpu_memory_utilization",
            "option.enable_lora",
            "option.max_loras",
            "option.max_lora_rank",
            "option.lora_extra_vocab_size",
            "option.max_cpu_loras",
        ),
        ("lmi",),
        source="0.28.0-dlc:engines/python/setup/djl_python/properties_manager/vllm_rb_properties.py:27-52 (the "
        "fields vLLM's handler reads); 0.28.0-dlc:serving/docs/lmi/user_guides/vllm_user_guide.md:84-105",
    ),
    Rule(
        # vLLM pass-through: from 0.32.0-dlc the handler passes every extra option that is a field of vLLM's
        # EngineArgs (vllm_rb_properties.py:91 extra='allow', :246-248); the keys granted are those the
        # user guide names (the EngineArgs of each image's vLLM are not listed here)
        _keys(
            "option.quantization",
            "option.max_num_batched_tokens",
            "option.cpu_offload_gb",
            "option.cpu_offload_gb_per_gpu",
            "option.enable_prefix_caching",
            "option.tokenizer_mode",
        ),
        ("lmi",),
        since="0.32.0",
        source="0.32.0-dlc:serving/docs/lmi/user_guides/vllm_user_guide.md:128-152 (pass-through configurations); "
        "0.32.0-dlc:engines/python/setup/djl_python/properties_manager/vllm_rb_properties.py:91,246-248",
    ),
    Rule(
        _keys("option.speculative_config"),
        ("lmi",),
        since="0.35.0",
        source="0.35.0-dlc:serving/docs/lmi/user_guides/vllm_user_guide.md:178",
    ),
    Rule(
        _keys("option.async_mode"),
        ("lmi", "tensorrtllm"),
        since="0.33.0",
        source="0.33.0-dlc:serving/docs/modes.md:24 (Python async mode, first documented in 0.33.0)",
    ),
)


def documented(image: DjlImage) -> frozenset[str]:
    keys: set[str] = set()
    for rule in RULES:
        if rule.grants(image):
            keys |= rule.keys
    return frozenset(keys)


def checked(key: str) -> bool:
    return key == "engine" or key.startswith("option.")


def undocumented(image: DjlImage, properties: Mapping[str, str]) -> list[str]:
    """The keys of `properties` that the image's family does not document at its DJL version."""
    known = documented(image)
    return sorted(key for key in properties if checked(key) and key not in known)


def sources_for(key: str) -> list[str]:
    """Where the key is documented, for an image that lacks it (the FailureReason says so)."""
    return [rule.source.split(" ")[0] for rule in RULES if key in rule.keys]
