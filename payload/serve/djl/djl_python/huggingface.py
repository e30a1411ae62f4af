"""Stand-in for the image's built-in `djl_python.huggingface` (option.entryPoint=djl_python.huggingface,
the default for a model_id without model.py from DJL 0.22), in its Accelerate path: no rolling batch,
no streaming. It does on CPU what the real one does with the options it reads and answers in its
shape, so a rehearsed endpoint of a `handler: builtin` preset answers as LMI would.

Sources (djl-serving, `<branch>:engines/python/setup/djl_python/<file>:<line>`):
- handle(): initialize on the first call with the Input's properties, None for the empty init
  call, else inference (master huggingface.py:644-657; 0.22.1-dlc huggingface.py has the same).
- options read: model_id (the folder DJL downloaded the S3 weights to), task, dtype (fp32 | fp16 |
  bf16 | int8 | auto, anything else ValueError "Invalid data type"), device_map, low_cpu_mem_usage,
  trust_remote_code, revision (master properties_manager/hf_properties.py:13-27, 74-151).
- the task, when no option.task: the first architecture's suffix in ARCHITECTURES_2_TASK,
  ForConditionalGeneration -> text2text-generation, ForCausalLM -> text-generation, else ValueError
  "Task couldn't be inferred" (master huggingface.py:465-477; 0.22.1-dlc :26-38).
- inference: the JSON body's "inputs" (or the whole body) and "parameters" as generate kwargs
  (0.22.1-dlc huggingface.py:127-140); the answer is the pipeline's list, one
  {"generated_text": ...} per input (text-generation: the prompt and its continuation, decoded with
  skip_special_tokens; master huggingface.py:440-461), JSON with content-type application/json;
  an exception is Output().error(str(e)), code 424 (0.22.1-dlc huggingface.py:143-146).
"""

from __future__ import annotations

import json
from typing import Any

from .outputs import Output

ARCHITECTURES_2_TASK = {
    "ForCausalLM": "text-generation",
    "ForConditionalGeneration": "text2text-generation",
    "MTModel": "text2text-generation",
    "EncoderDecoderModel": "text2text-generation",
    "GPT2LMHeadModel": "text-generation",
    "T5WithLMHeadModel": "text2text-generation",
}
DTYPES = ("fp32", "fp16", "bf16", "int8", "auto")


def torch_dtype(name: str | None) -> Any:
    import torch

    if name is None or name == "auto":
        return name
    table = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16, "int8": torch.int8}
    if name not in table:
        raise ValueError(f"Invalid data type: {name}")
    return table[name]


def infer_task(architectures: list[str]) -> str:
    architecture = architectures[0]
    task = None
    for suffix, candidate in ARCHITECTURES_2_TASK.items():
        if architecture.endswith(suffix):
            task = candidate
    if task is None:
        raise ValueError(f"Task couldn't be inferred from {architecture}. Please manually set `task` option.")
    return task


class HuggingFaceService:
    def __init__(self) -> None:
        self.initialized = False
        self.task: str | None = None
        self.model: Any = None
        self.tokenizer: Any = None

    def initialize(self, properties: dict[str, Any]) -> None:
        import transformers

        model_id = properties.get("model_id") or properties["model_dir"]
        kwargs: dict[str, Any] = {"trust_remote_code": str(properties.get("trust_remote_code", "false")) == "true"}
        if properties.get("low_cpu_mem_usage"):
            kwargs["low_cpu_mem_usage"] = properties["low_cpu_mem_usage"]
        if properties.get("revision"):
            kwargs["revision"] = properties["revision"]
        if properties.get("device_map"):
            kwargs["device_map"] = properties["device_map"]
        dtype = properties.get("dtype")
        if dtype:
            kwargs["torch_dtype"] = torch_dtype(dtype.lower())
        config = transformers.AutoConfig.from_pretrained(model_id, trust_remote_code=kwargs["trust_remote_code"])
        self.task = properties.get("task") or infer_task(list(config.architectures or ["(none)"]))
        auto = (
            transformers.AutoModelForSeq2SeqLM
            if self.task == "text2text-generation"
            else transformers.AutoModelForCausalLM
        )
        self.tokenizer = transformers.AutoTokenizer.from_pretrained(model_id)
        self.model = auto.from_pretrained(model_id, **kwargs)
        self.model.eval()
        if self.task == "text-generation":  # master huggingface.py:390-395
            self.tokenizer.padding_side = "left"
            if not self.tokenizer.pad_token:
                self.tokenizer.pad_token = self.tokenizer.eos_token
        self.initialized = True

    def generate(self, data: str | list[str], parameters: dict[str, Any]) -> list[dict[str, str]]:
        import torch

        texts = [data] if isinstance(data, str) else list(data)
        tokens = self.tokenizer(texts, padding=True, return_tensors="pt").to(self.model.device)
        with torch.no_grad():
            output = self.model.generate(input_ids=tokens.input_ids, attention_mask=tokens.attention_mask, **parameters)
        return [{"generated_text": text} for text in self.tokenizer.batch_decode(output, skip_special_tokens=True)]

    def inference(self, inputs: Any) -> Output:
        try:
            body = json.loads(bytes(inputs.get_as_bytes() or b"{}").decode("utf-8"))
            data = body.pop("inputs", body) if isinstance(body, dict) else body
            parameters = body.pop("parameters", {}) if isinstance(body, dict) else {}
            prediction = self.generate(data, parameters)
            return Output().add_property("content-type", "application/json").add_as_json(prediction)
        except Exception as error:
            return Output().error(str(error))


_service = HuggingFaceService()


def handle(inputs: Any) -> Output | None:
    if not _service.initialized:
        _service.initialize(inputs.get_properties())
    if inputs.is_empty():
        return None
    return _service.inference(inputs)
