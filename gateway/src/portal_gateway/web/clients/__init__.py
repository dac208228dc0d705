"""Typed clients of the services, one module per service: the only place pages call a
service. Each method names one use of the service's public API and returns a typed
result; a refusal arrives as `ServiceError` (see `base.py`)."""
