"""What SageMaker puts on a node before `python start.py` runs: code, data, configuration.

The framework containers' toolkit downloads `HyperParameters.sagemaker_submit_directory` (a
JSON-quoted s3:// URI of sourcedir.tar.gz) and extracts it into /opt/ml/code, where it runs
`sagemaker_program`; SageMaker itself copies every S3Prefix input channel into
/opt/ml/input/data/<channel>/ and writes the hyperparameters to
/opt/ml/input/config/hyperparameters.json (SageMaker Developer Guide: "How Amazon SageMaker
Provides Training Information", "Use Your Own Training Algorithms"). Here each node gets its own
such tree under a temporary root (the payload reads it through ZEROSTACK_OPT_ML), filled from the
sandbox's own S3 backend, read in-process. A missing bundle or an empty channel fails the job the
way SageMaker does, so a rehearsal proves that the bundle and the data are complete.
"""

from __future__ import annotations

import io
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from moto.s3.exceptions import MissingBucket
from moto.s3.models import FakeKey, s3_backends

from ..lifecycle import LOCK


class StageError(Exception):
    """The job cannot start; the message is the FailureReason SageMaker would give."""


@dataclass(frozen=True)
class Channel:
    name: str
    s3_uri: str


@dataclass(frozen=True)
class JobInputs:
    """What of CreateTrainingJob a node needs."""

    account_id: str
    region: str
    job_name: str
    role_arn: str
    hyper_parameters: dict[str, str]
    channels: tuple[Channel, ...]
    # the scenario's edits to the bundle's DeepSpeed config ({"dotted.key": value}), if any
    ds_config_edit: dict[str, object] | None = None


def split_s3_uri(uri: str) -> tuple[str, str]:
    parsed = urlparse(uri)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise StageError(f"ClientError: {uri!r} is not an s3:// URI")
    return parsed.netloc, parsed.path.lstrip("/")


def unquote(value: str) -> str:
    """sagemaker_program and sagemaker_submit_directory are JSON strings ("\\"start.py\\"")."""
    try:
        decoded = json.loads(value)
    except (json.JSONDecodeError, TypeError):
        return value
    return decoded if isinstance(decoded, str) else value


def read_object(account_id: str, uri: str) -> bytes | None:
    bucket, key = split_s3_uri(uri)
    with LOCK:
        backend = s3_backends[account_id]["aws"]
        try:
            found = backend.get_object(bucket, key)
        except MissingBucket:
            return None
        return found.value if isinstance(found, FakeKey) else None


def read_prefix(account_id: str, uri: str) -> dict[str, bytes] | None:
    """Every object under the prefix, by path relative to it; None when the bucket is missing."""
    bucket_name, prefix = split_s3_uri(uri)
    with LOCK:
        backend = s3_backends[account_id]["aws"]
        try:
            bucket = backend.get_bucket(bucket_name)
        except MissingBucket:
            return None
        found: dict[str, bytes] = {}
        for name in list(bucket.keys.keys()):
            if not name.startswith(prefix) or name.endswith("/"):
                continue
            key = bucket.keys[name]
            if isinstance(key, FakeKey):
                relative = name[len(prefix) :].lstrip("/")
                found[relative or Path(name).name] = key.value
        return found


def no_data(inputs: JobInputs, uri: str) -> StageError:
    bucket, _ = split_s3_uri(uri)
    return StageError(
        f'ClientError: No S3 objects found under S3 URL "{uri}" given in input data source. Please '
        f"ensure that the bucket exists in the selected region ({inputs.region}), that objects exist "
        f'under that S3 prefix, and that the role "{inputs.role_arn}" has "s3:ListBucket" '
        f'permissions on bucket "{bucket}".'
    )


def source_bundle(inputs: JobInputs) -> tuple[bytes, str]:
    """The sourcedir.tar.gz bytes and the entry point, or StageError."""
    submit = inputs.hyper_parameters.get("sagemaker_submit_directory")
    program = inputs.hyper_parameters.get("sagemaker_program")
    if not submit or not program:
        raise StageError(
            "ClientError: a rehearsal runs the job's source bundle: HyperParameters "
            "sagemaker_submit_directory (s3:// URI of sourcedir.tar.gz) and sagemaker_program are required"
        )
    uri = unquote(submit)
    body = read_object(inputs.account_id, uri)
    if body is None:
        raise StageError(
            f"AlgorithmError: framework error: could not download the source bundle {uri}: "
            "An error occurred (404) when calling the HeadObject operation: Not Found"
        )
    return body, unquote(program)


def channel_files(inputs: JobInputs) -> dict[str, dict[str, bytes]]:
    """channel -> relative path -> bytes; an empty or missing prefix is SageMaker's ClientError."""
    out: dict[str, dict[str, bytes]] = {}
    for channel in inputs.channels:
        files = read_prefix(inputs.account_id, channel.s3_uri)
        if not files:
            raise no_data(inputs, channel.s3_uri)
        out[channel.name] = files
    return out


def extract_bundle(body: bytes, code: Path) -> list[str]:
    """Extract sourcedir.tar.gz into `code`; refuse members that would land outside it."""
    code.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as archive:
            members = archive.getmembers()
            for member in members:
                target = (code / member.name).resolve()
                if code.resolve() not in (target, *target.parents):
                    raise StageError(
                        f"AlgorithmError: framework error: bundle member {member.name!r} leaves /opt/ml/code"
                    )
            archive.extractall(code, members=[m for m in members if m.isfile() or m.isdir()])
    except tarfile.TarError as error:
        raise StageError(f"AlgorithmError: framework error: the source bundle is not a tar.gz: {error}") from error
    return sorted(m.name for m in members if m.isfile())


def user_hyperparameters(hyper_parameters: dict[str, str]) -> dict[str, object]:
    """SM_HPS as the toolkit builds it: JSON-decoded values, sagemaker_* framework keys left out."""
    out: dict[str, object] = {}
    for key, value in hyper_parameters.items():
        if key.startswith("sagemaker_"):
            continue
        try:
            out[key] = json.loads(value)
        except (json.JSONDecodeError, TypeError):
            out[key] = value
    return out


def lay_out_node(opt_ml: Path, inputs: JobInputs, bundle: bytes, data: dict[str, dict[str, bytes]]) -> Path:
    """One node's /opt/ml: code/, input/config/*.json, input/data/<channel>/, model/, output/."""
    code = opt_ml / "code"
    extract_bundle(bundle, code)
    config = opt_ml / "input" / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "hyperparameters.json").write_text(json.dumps(inputs.hyper_parameters, indent=1))
    (config / "inputdataconfig.json").write_text(
        json.dumps(
            {c.name: {"TrainingInputMode": "File", "S3DistributionType": "FullyReplicated"} for c in inputs.channels}
        )
    )
    for channel, files in data.items():
        root = opt_ml / "input" / "data" / channel
        for relative, body in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
        root.mkdir(parents=True, exist_ok=True)
    for folder in ("model", "output/data", "output/failure"):
        (opt_ml / folder).mkdir(parents=True, exist_ok=True)
    return code


def edit_ds_config(code: Path, inputs: JobInputs) -> list[str]:
    """Apply the scenario's ds_config_edit to the DeepSpeed config in `code`; one note per change.

    The file is the one the `deepspeed` hyperparameter names, relative to the bundle (as train.py
    reads it). A missing file or a path through a non-object fails the job before the nodes start.
    """
    if not inputs.ds_config_edit:
        return []
    name = unquote(inputs.hyper_parameters.get("deepspeed", ""))
    path = code / name if name else None
    if path is None or not path.is_file():
        raise StageError(f"ClientError: the scenario edits ds_config, but the bundle has no DeepSpeed config {name!r}")
    config = json.loads(path.read_text())
    notes = []
    for dotted, value in inputs.ds_config_edit.items():
        *parents, leaf = dotted.split(".")
        target = config
        for part in parents:
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                raise StageError(f"ClientError: the scenario's ds_config_edit {dotted!r} goes through a non-object")
        before = target.get(leaf, "(absent)")
        target[leaf] = value
        notes.append(f"scenario ds_config_edit: {name} {dotted}: {json.dumps(before)} -> {json.dumps(value)}")
    path.write_text(json.dumps(config, indent=2))
    return notes
