"""Services: the logic, one package per feature area (jobs, provisioning, scaling, telemetry,
audit, and health, logs, diagnosis as they land), over repositories, the bus, the cache and the
simulated cloud. Shared pieces live in services.shared."""
