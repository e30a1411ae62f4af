"""AWS's own service models (botocore's data files), loaded once per service, and their patterns compiled once.

Source: botocore 1.44.8's `botocore/data/<service>/<api-version>/service-2.json.gz`, the same models the
AWS SDKs are generated from. A model's `min`, `max`, `pattern`, `enum` and `required` traits are the
constraints the service checks (Smithy `@length`, `@range`, `@pattern`, `@enum`, `@required`;
https://smithy.io/2.0/spec/constraint-traits.html).
"""

from __future__ import annotations

import re
import threading
from typing import Any

import regex
from botocore.loaders import Loader
from botocore.model import ServiceModel

# The services the sandbox checks (botocore names); sagemaker-runtime shares SageMaker's signing name.
SERVICES = ("sagemaker", "sagemaker-runtime", "s3", "scheduler", "logs", "iam", "secretsmanager", "kms")

_loader = Loader()
_models: dict[str, ServiceModel] = {}
_lock = threading.Lock()
_patterns: dict[str, Any] = {}

# Java's UTF-16 spelling of "any supplementary character" (a surrogate pair range), as Python writes it.
_SURROGATE_RANGE = "\\uD800\\uDC00-\\uDBFF\\uDFFF"
_SUPPLEMENTARY = "\\U00010000-\\U0010FFFF"


def model(service: str) -> ServiceModel:
    """The service's model, parsed on first use (sagemaker's is the largest: about 0.2 s)."""
    found = _models.get(service)
    if found is not None:
        return found
    with _lock:
        found = _models.get(service)
        if found is None:
            found = ServiceModel(_loader.load_service_model(service, "service-2"), service_name=service)
            _models[service] = found
        return found


def pattern(source: str) -> Any:
    """A model pattern compiled once; None when neither `re` nor `regex` can read it (then it is not checked).

    The models hold Java regular expressions (AWS services match them whole, as Matcher.matches does):
    `\\p{L}` classes need the `regex` module, and Java's surrogate-pair range becomes Python's
    supplementary range.
    """
    if source in _patterns:
        return _patterns[source]
    translated = source.replace(_SURROGATE_RANGE, _SUPPLEMENTARY)
    compiled: Any = None
    try:
        compiled = re.compile(translated)
    except re.error:
        try:
            compiled = regex.compile(translated.replace("\\w-_", "\\w\\-_"))
        except regex.error:
            compiled = None
    _patterns[source] = compiled
    return compiled


def matches(source: str, value: str) -> bool:
    compiled = pattern(source)
    return compiled is None or compiled.fullmatch(value) is not None


def targets() -> dict[str, str]:
    """X-Amz-Target prefix -> service, for the JSON-protocol services (e.g. 'SageMaker' -> 'sagemaker')."""
    return _TARGET_PREFIXES


# From each model's metadata.targetPrefix (fixed per API version, so listed here rather than loaded at start).
_TARGET_PREFIXES = {
    "SageMaker": "sagemaker",
    "Logs_20140328": "logs",
    "secretsmanager": "secretsmanager",
    "TrentService": "kms",
}
