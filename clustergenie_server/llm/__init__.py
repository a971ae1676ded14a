"""The language model behind diagnoses: a provider interface, the mock, the HTTP provider."""
