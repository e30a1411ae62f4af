"""Ranks and barriers, read from the environment torchrun gives each process.

Functions only, no module state: the seed's tip 8 (global CUDA-holding objects fail the job at
exit) is easiest to keep when nothing lives at module level.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import torch.distributed as dist


def world_rank() -> int:
    return int(os.environ.get("RANK", "0"))


def local_rank() -> int:
    return int(os.environ.get("LOCAL_RANK", "0"))


def world_size() -> int:
    return int(os.environ.get("WORLD_SIZE", "1"))


def nnodes() -> int:
    # torchrun exports the per-node count as LOCAL_WORLD_SIZE; the node count follows from it.
    local = int(os.environ.get("LOCAL_WORLD_SIZE", "1"))
    return max(world_size() // max(local, 1), 1)


def barrier() -> None:
    """All ranks meet; a no-op in a single process without a process group."""
    if dist.is_available() and dist.is_initialized():
        dist.barrier()


@contextmanager
def local_main_only(enabled: bool = True) -> Iterator[bool]:
    """Run the block on local rank 0 of each node only, then every rank waits at a barrier.

    For downloads onto the node's disk (seed tips 7 and 13): several processes writing one cache
    folder fail (the seed's nltk FileExistsError), and the others need the files before going on.
    Yields whether this process is the one that runs the block.
    """
    is_main = local_rank() == 0
    try:
        yield is_main and enabled
    finally:
        barrier()


def close() -> None:
    """Leave the process group cleanly; after the final barrier nothing else is collective."""
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()
