"""Services: the logic of provisioning and jobs, over repositories, the bus and the cloud."""
