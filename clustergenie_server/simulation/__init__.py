"""The simulated cloud: a DigitalOcean-like catalog and timings/failures of droplet actions."""
