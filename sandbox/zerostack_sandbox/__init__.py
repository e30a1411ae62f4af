"""zerostack's sandbox cloud: moto's server plus the SageMaker lifecycle moto lacks."""

__version__ = "0.1.0"
