"""Plain PyTorch reference: the same architecture, shapes and batch, no DeepSpeed, no Trainer.

    python3 bench/gpu/reference.py --arch flan-t5-xl --batch 16 --source 500 --target 150 \
        --precision bf16|fp32-master [--checkpointing] [--compile] [--steps 20] [--warmup 5]

bf16: bf16 weights and gradients, fused AdamW on them (DeepSpeed's bf16 compute path, without
its fp32 master copy). fp32-master: fp32 weights under bf16 autocast, fused AdamW in fp32 (the
fp32 master weights DeepSpeed keeps). Random token ids, fixed lengths, as the prepared data has.
Prints one `REFERENCE {json}` line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import architectures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default="flan-t5-xl")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--source", type=int, default=500)
    ap.add_argument("--target", type=int, default=150)
    ap.add_argument("--precision", choices=["bf16", "fp32-master"], default="bf16")
    ap.add_argument("--checkpointing", action="store_true")
    ap.add_argument("--compile", action="store_true")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    args = ap.parse_args()

    from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM

    cfg = architectures.config(args.arch)
    seq2seq = cfg.model_type == "t5"
    torch.manual_seed(0)
    dtype = torch.bfloat16 if args.precision == "bf16" else torch.float32
    with torch.device("cuda"):
        auto = AutoModelForSeq2SeqLM if seq2seq else AutoModelForCausalLM
        model = auto.from_config(cfg, dtype=dtype)
    model.train()
    if args.checkpointing:
        model.gradient_checkpointing_enable()
    split = architectures.parameter_split(model)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5, fused=True)
    step_model = torch.compile(model) if args.compile else model

    b, vocab = args.batch, cfg.vocab_size
    gen = torch.Generator(device="cuda").manual_seed(0)
    if seq2seq:
        batch = {
            "input_ids": torch.randint(2, vocab, (b, args.source), device="cuda", generator=gen),
            "attention_mask": torch.ones(b, args.source, dtype=torch.long, device="cuda"),
            "labels": torch.randint(2, vocab, (b, args.target), device="cuda", generator=gen),
        }
    else:
        total = args.source + args.target
        ids = torch.randint(2, vocab, (b, total), device="cuda", generator=gen)
        labels = ids.clone()
        labels[:, : args.source] = -100
        batch = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": labels}

    def step() -> float:
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=args.precision == "fp32-master"):
            loss = step_model(**batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        return float(loss.detach())

    torch.cuda.reset_peak_memory_stats()
    t0 = time.perf_counter()
    for _ in range(args.warmup):
        step()
    torch.cuda.synchronize()
    warm_s = time.perf_counter() - t0
    times = []
    for _ in range(args.steps):
        t = time.perf_counter()
        step()
        torch.cuda.synchronize()
        times.append(time.perf_counter() - t)
    total_s = sum(times)
    samples_per_s = args.steps * b / total_s
    flops = architectures.flops_per_sample(split, "seq2seq" if seq2seq else "causal", args.source, args.target)
    out = {
        "arch": args.arch,
        "precision": args.precision,
        "checkpointing": args.checkpointing,
        "compile": args.compile,
        "batch": b,
        "parameters": sum(p.numel() for p in model.parameters()),
        "parameter_split": split,
        "warmup_s": round(warm_s, 1),
        "samples_per_s": round(samples_per_s, 2),
        "median_step_s": round(statistics.median(times), 4),
        "model_tflops_per_s": round(samples_per_s * flops / 1e12, 1),
        "mfu_vs_989": round(samples_per_s * flops / 989e12, 4),
        "peak_allocated_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2),
        "peak_reserved_gib": round(torch.cuda.max_memory_reserved() / 2**30, 2),
    }
    print("REFERENCE " + json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
