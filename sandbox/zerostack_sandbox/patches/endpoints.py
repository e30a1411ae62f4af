"""Endpoints that take time: CreateEndpoint, UpdateEndpoint, DeleteEndpoint, CreateEndpointConfig.

moto makes an endpoint `InService` at once, deletes it at once, has no UpdateEndpoint and only
knows instance types up to ml.g4dn. SageMaker (DescribeEndpoint, EndpointStatus) goes Creating ->
InService or Failed (with FailureReason); UpdateEndpoint goes Updating -> InService and the new
EndpointConfigName takes effect only then ("the endpoint continues to use the previous
configuration until the update completes"); DeleteEndpoint goes through Deleting, after which
DescribeEndpoint fails with ValidationException "Could not find endpoint ...". Each change is a
`Transition` that completes when the sandbox clock passes its end, applied when someone looks.

Before either begins, the serving keys of the config's models (serving.properties in the
ModelDataUrl tarball, OPTION_* variables) are held to what their LMI image documents
(lmi_keys.py): a key it does not document makes the endpoint fail as a container that cannot start
does (Creating -> Failed with the ping health-check FailureReason naming the keys; an update rolls
back to the old config, InService with that FailureReason), simulated and rehearsed endpoints alike.

An `EndpointServer` registered here (register_server) may serve an endpoint's model for real and
end its transition itself: rehearsal/ registers one. This module knows nothing of what it does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import (
    FakeEndpoint,
    FakeEndpointConfig,
    Model,
    SageMakerModelBackend,
    sagemaker_backends,
)
from moto.sagemaker.responses import SageMakerResponse

from ..clock import clock, to_datetime
from ..lifecycle import each_backend, locked, observes_time, register_observer
from ..scenario import EndpointScenario, scenarios
from . import lmi_keys, model_code

# ProductionVariantInstanceType families of today (CreateEndpointConfig, ProductionVariant).
INSTANCE_TYPE = re.compile(
    r"^ml\.(t2|t3|m4|m5|m5d|m6i|m7i|c4|c5|c5d|c6i|c7i|r5|r5d|r6i|r7i|p2|p3|p4d|p4de|p5|p5e|p5en"
    r"|g4dn|g5|g6|g6e|inf1|inf2|trn1|trn1n|trn2)\.(medium|large|\d*xlarge)$"
)
# What SageMaker reports when the model container never answers /ping (DescribeEndpoint FailureReason).
HEALTH_CHECK_FAILED = (
    "The primary container for production variant AllTraffic did not pass the ping health check. "
    "Please check CloudWatch logs for this endpoint."
)
FAILURE_REASON_MAX = 1024  # DescribeEndpointOutput FailureReason: max length 1024 (botocore model)


@dataclass(frozen=True)
class Transition:
    kind: str  # Creating | Updating | Deleting
    start: float
    end: float
    scenario: EndpointScenario
    new_config_name: str | None = None
    refused: str | None = None  # the container cannot start: the FailureReason it ends with


def failure_reason(detail: str) -> str:
    """The health-check FailureReason with the sandbox's detail, within FailureReason's 1024."""
    text = f"{HEALTH_CHECK_FAILED} ({detail})"
    return text if len(text) <= FAILURE_REASON_MAX else text[: FAILURE_REASON_MAX - 3] + "..."


def validate_instance_type(self: FakeEndpointConfig, instance_type: str) -> None:
    if not INSTANCE_TYPE.match(instance_type):
        raise ValidationError(
            message=f"Value '{instance_type}' at 'instanceType' failed to satisfy constraint: "
            "Member must satisfy enum value set of SageMaker instance types (ml.<family>.<size>)"
        )


def _endpoint_arn(backend: SageMakerModelBackend, name: str) -> str:
    return FakeEndpoint.arn_formatter(name, backend.account_id, backend.region_name)


def _missing_endpoint(backend: SageMakerModelBackend, name: str) -> ValidationError:
    return ValidationError(message=f"Could not find endpoint '{_endpoint_arn(backend, name)}'.")


def finish(backend: SageMakerModelBackend, endpoint: FakeEndpoint, now: float) -> None:
    """Complete the endpoint's transition if its time has come."""
    transition: Transition | None = getattr(endpoint, "sandbox_transition", None)
    if transition is None or now < transition.end:
        return
    endpoint.sandbox_transition = None
    endpoint.last_modified_time = to_datetime(transition.end)
    if transition.kind == "Deleting":
        backend.endpoints.pop(endpoint.endpoint_name, None)
    elif transition.kind == "Creating" and transition.refused:
        endpoint.endpoint_status = "Failed"
        endpoint.failure_reason = transition.refused
    elif transition.kind == "Updating" and transition.refused:  # rolled back: the old config serves on
        endpoint.endpoint_status = "InService"
        endpoint.pending_deployment_summary = None
        endpoint.failure_reason = transition.refused
    elif transition.kind == "Creating" and transition.scenario.fail:
        endpoint.endpoint_status = "Failed"
        endpoint.failure_reason = transition.scenario.failure_reason
    elif transition.kind == "Updating" and transition.new_config_name:
        config = backend.endpoint_configs[transition.new_config_name]
        endpoint.endpoint_config_name = transition.new_config_name
        endpoint.production_variants = endpoint._process_production_variants(config.production_variants)
        endpoint.pending_deployment_summary = None
        endpoint.endpoint_status = "InService"
    else:
        endpoint.endpoint_status = "InService"


def observe_endpoints(now: float) -> None:
    for backend in each_backend(sagemaker_backends):
        for endpoint in list(backend.endpoints.values()):
            finish(backend, endpoint, now)


# -- the hook: a model served for real --------------------------------------------------------


@dataclass(frozen=True)
class EndpointServer:
    """Serves endpoints' models for real; each is called with the LOCK held."""

    # CreateEndpoint/UpdateEndpoint began its transition to this config: serve it (and end the
    # transition once serving, through `finish`)? True if it does
    serve: Callable[[SageMakerModelBackend, FakeEndpoint, str], bool]
    release: Callable[[str], bool]  # DeleteEndpoint: stop serving this endpoint; True if it served it


_servers: list[EndpointServer] = []


def register_server(server: EndpointServer) -> EndpointServer:
    if server not in _servers:
        _servers.append(server)
    return server


def refused_keys(backend: SageMakerModelBackend, config_name: str) -> str | None:
    """Why the config's containers cannot start: serving keys their image does not document."""
    config = backend.endpoint_configs.get(config_name)
    problems = []
    for variant in (config.production_variants if config else None) or []:
        model = backend._models.get(variant.get("ModelName") or "")
        for container in model_code.containers(model) if model is not None else []:
            code = model_code.serving_code(backend.account_id, container)
            image = code.djl_image
            bad = lmi_keys.undocumented(image, code.properties) if image is not None else []
            if bad and image is not None:
                named = ", ".join(f"{key} (OPTION_ env)" if key in code.from_env else key for key in bad)
                problems.append(f"{named} not documented for {image.label} images")
    if not problems:
        return None
    return failure_reason(
        "sandbox: serving.properties " + "; ".join(problems) + "; see sandbox/zerostack_sandbox/patches/lmi_keys.py"
    )


def _serve(backend: SageMakerModelBackend, endpoint: FakeEndpoint, config_name: str) -> None:
    refused = refused_keys(backend, config_name)
    if refused is not None:  # the container cannot start: no server is asked, rehearsed or not
        transition = endpoint.sandbox_transition
        endpoint.sandbox_transition = replace(transition, refused=refused)
        return
    for server in _servers:
        if server.serve(backend, endpoint, config_name):
            return


def _begin(endpoint: FakeEndpoint, kind: str, seconds_field: str, new_config: str | None = None) -> None:
    now = clock.timestamp()
    scenario = scenarios.current.for_endpoint(endpoint.endpoint_name)
    end = now + float(getattr(scenario, seconds_field))
    endpoint.sandbox_transition = Transition(kind, now, end, scenario, new_config)
    endpoint.endpoint_status = kind
    endpoint.last_modified_time = to_datetime(now)


# -- backend methods ---------------------------------------------------------------------------

_moto_create_endpoint = SageMakerModelBackend.create_endpoint
_moto_create_endpoint_config = SageMakerModelBackend.create_endpoint_config
_moto_create_model = SageMakerModelBackend.create_model


def create_model(self: SageMakerModelBackend, **kwargs: Any) -> Model:
    if kwargs["model_name"] in self._models:
        arn = f"arn:aws:sagemaker:{self.region_name}:{self.account_id}:model/{kwargs['model_name']}"
        raise ValidationError(message=f'Cannot create already existing model "{arn}".')
    return _moto_create_model(self, **kwargs)


def create_endpoint_config(self: SageMakerModelBackend, **kwargs: Any) -> FakeEndpointConfig:
    name = kwargs["endpoint_config_name"]
    if name in self.endpoint_configs:
        arn = FakeEndpointConfig.arn_formatter(name, self.account_id, self.region_name)
        raise ValidationError(message=f'Cannot create already existing endpoint configuration "{arn}".')
    return _moto_create_endpoint_config(self, **kwargs)


def create_endpoint(
    self: SageMakerModelBackend, endpoint_name: str, endpoint_config_name: str, tags: list[dict[str, str]]
) -> FakeEndpoint:
    """CreateEndpoint: the endpoint is Creating until the scenario's creating_s have passed."""
    if endpoint_name in self.endpoints:
        raise ValidationError(
            message=f'Cannot create already existing endpoint "{_endpoint_arn(self, endpoint_name)}".'
        )
    endpoint = _moto_create_endpoint(self, endpoint_name, endpoint_config_name, tags)
    endpoint.creation_time = clock.now()
    _begin(endpoint, "Creating", "creating_s")
    _serve(self, endpoint, endpoint_config_name)  # a registered server may serve it for real
    return endpoint


def update_endpoint(self: SageMakerModelBackend, endpoint_name: str, endpoint_config_name: str) -> FakeEndpoint:
    """UpdateEndpoint: Updating, still on the old config, then InService on the new one."""
    endpoint = self.endpoints.get(endpoint_name)
    if endpoint is None:
        raise _missing_endpoint(self, endpoint_name)
    self.describe_endpoint_config(endpoint_config_name)  # ValidationException if it is missing
    if endpoint.endpoint_status != "InService":
        raise ValidationError(
            message=f'Cannot update in-progress endpoint "{_endpoint_arn(self, endpoint_name)}".'
            if endpoint.endpoint_status != "Failed"
            else f'Cannot update failed endpoint "{_endpoint_arn(self, endpoint_name)}".'
        )
    _begin(endpoint, "Updating", "updating_s", endpoint_config_name)
    endpoint.pending_deployment_summary = {
        "EndpointConfigName": endpoint_config_name,
        "StartTime": endpoint.last_modified_time,
    }
    _serve(self, endpoint, endpoint_config_name)
    return endpoint


def delete_endpoint(self: SageMakerModelBackend, endpoint_name: str) -> None:
    """DeleteEndpoint: Deleting for the scenario's deleting_s, then gone."""
    endpoint = self.endpoints.get(endpoint_name)
    if endpoint is None:
        raise _missing_endpoint(self, endpoint_name)
    if endpoint.endpoint_status != "Deleting":
        for server in _servers:
            server.release(endpoint_name)  # a model served for real stops with the endpoint
        _begin(endpoint, "Deleting", "deleting_s")
        finish(self, endpoint, clock.timestamp())  # deleting_s == 0 removes it at once


def update_endpoint_response(self: SageMakerResponse) -> ActionResult:
    endpoint = self.sagemaker_backend.update_endpoint(
        endpoint_name=self._get_param("EndpointName"),
        endpoint_config_name=self._get_param("EndpointConfigName"),
    )
    return ActionResult({"EndpointArn": endpoint.arn})


def apply() -> None:
    FakeEndpointConfig.validate_instance_type = validate_instance_type  # type: ignore[method-assign]
    SageMakerModelBackend.create_model = locked(create_model)  # type: ignore[method-assign]
    SageMakerModelBackend.create_endpoint_config = locked(create_endpoint_config)  # type: ignore[method-assign]
    SageMakerModelBackend.create_endpoint = locked(create_endpoint)  # type: ignore[method-assign]
    SageMakerModelBackend.update_endpoint = observes_time(update_endpoint)  # type: ignore[attr-defined]
    SageMakerModelBackend.delete_endpoint = observes_time(delete_endpoint)  # type: ignore[method-assign]
    for name in ("describe_endpoint", "list_endpoints"):
        setattr(SageMakerModelBackend, name, observes_time(getattr(SageMakerModelBackend, name)))
    SageMakerResponse.update_endpoint = update_endpoint_response  # type: ignore[attr-defined]
    register_observer(observe_endpoints)
