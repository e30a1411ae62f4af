"""Steady-state throughput and peak GPU memory of a training run, as one log line at its end.

zerostack's plan turns samples/s per GPU into expected hours and cost (program/spec/throughput.ts);
this line is where such figures come from (bench/gpu/bench_scale.py reads it). The first optimizer
steps are left out: they include DeepSpeed's set-up, kernel JIT and allocator growth.
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import time
from itertools import pairwise
from typing import Any

import torch
from transformers import TrainerCallback

logger = logging.getLogger("zerostack.train")
WARMUP_STEPS = 5


def _sync() -> None:
    if torch.cuda.is_available():
        torch.cuda.synchronize()


class ThroughputCallback(TrainerCallback):
    """Times optimizer steps after `warmup` of them; world rank 0 logs `throughput {json}` at the end."""

    def __init__(self, tokens_per_sample: int | None = None, warmup: int | None = None) -> None:
        self.tokens_per_sample = tokens_per_sample
        self.warmup = int(os.environ.get("ZEROSTACK_THROUGHPUT_WARMUP", WARMUP_STEPS)) if warmup is None else warmup
        self.ends: list[float] = []
        self.began = 0.0

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        _sync()
        self.began = time.perf_counter()
        if torch.cuda.is_available():
            torch.cuda.reset_peak_memory_stats()

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        # A sync per optimizer step: the step's kernels are done when its time is read. It costs
        # a drained queue once per step (well under 1% at the step times of real models).
        _sync()
        self.ends.append(time.perf_counter())

    def summary(self, args: Any) -> dict[str, Any]:
        world = int(os.environ.get("WORLD_SIZE", "1"))
        per_step = args.per_device_train_batch_size * args.gradient_accumulation_steps * world
        timed = self.ends[self.warmup :] if len(self.ends) > self.warmup + 1 else self.ends
        gaps = [b - a for a, b in pairwise(timed)]
        out: dict[str, Any] = {
            "steps": len(self.ends),
            "timed_steps": len(gaps),
            "world_size": world,
            "samples_per_step": per_step,
            "first_step_s": round(self.ends[0] - self.began, 3) if self.ends else None,
        }
        if gaps:
            seconds = timed[-1] - timed[0]
            samples_per_s = len(gaps) * per_step / seconds
            out.update(
                samples_per_s=round(samples_per_s, 3),
                samples_per_s_per_gpu=round(samples_per_s / world, 3),
                median_step_s=round(statistics.median(gaps), 4),
            )
            if self.tokens_per_sample:
                out.update(
                    tokens_per_sample=self.tokens_per_sample,
                    tokens_per_s_per_gpu=round(samples_per_s / world * self.tokens_per_sample, 1),
                )
        if torch.cuda.is_available():
            out.update(
                gpu=torch.cuda.get_device_name(),
                peak_allocated_gib=round(torch.cuda.max_memory_allocated() / 2**30, 3),
                peak_reserved_gib=round(torch.cuda.max_memory_reserved() / 2**30, 3),
            )
        return out

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        _sync()
        if int(os.environ.get("RANK", "0")) == 0:
            logger.info("throughput %s", json.dumps(self.summary(args)))
