"""What operators watch: the Prometheus metrics of a server and the endpoint that serves them."""
