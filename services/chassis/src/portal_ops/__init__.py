"""The `portal` program: the commands that run, migrate and look after the system.

Nothing here is imported by a service or the gateway: they build on `portal_chassis`;
this package drives them (serve, worker, migrate, dev, dlq).
"""
