"""The provider the settings choose."""

from __future__ import annotations

from clustergenie_server.llm.http_provider import HttpProvider, read_key
from clustergenie_server.llm.mock_provider import MockProvider
from clustergenie_server.llm.provider import LlmProvider
from clustergenie_server.settings import LlmSettings


def build_provider(s: LlmSettings) -> LlmProvider:
    """The mock (default) or the OpenAI-compatible HTTP provider."""
    if s.provider == "openai":
        key = read_key(s.api_key_file, s.api_key_env)
        return HttpProvider(s.url, s.model, key, timeout_seconds=s.timeout_seconds)
    return MockProvider(s.seed, s.pace_seconds, s.context_tokens)


def needs_masking(provider: LlmProvider) -> bool:
    """Names leave the process only through providers that talk to the network."""
    return provider.name != "mock"
