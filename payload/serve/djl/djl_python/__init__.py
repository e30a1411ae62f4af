"""Stand-in for the LMI image's djl_python package: only what a custom model.py touches.

The real one: engines/python/setup/djl_python/{inputs,outputs,pair_list}.py in djl-serving.
"""

from .inputs import Input
from .outputs import Output

__all__ = ["Input", "Output"]
