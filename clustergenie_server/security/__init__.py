"""Bearer tokens (parsing, generation, the constant-time lookup) and TLS credentials."""
