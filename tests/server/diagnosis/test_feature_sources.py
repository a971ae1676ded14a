"""The Logs adapter's queries: selectors from names the Logs parser accepts, searches that mean
what an investigator typed."""

from __future__ import annotations

import re

import pytest

from clustergenie_server.services.diagnosis.feature_sources import (
    LogFeatureReader,
    _expanded,
    _Names,
)
from clustergenie_server.services.logs.query_parser import parse_log_query


@pytest.mark.parametrize("cluster", ["web", 'we"b', "we\\b", "café\tprod"])
def test_a_selector_of_any_name_parses_to_that_name(cluster: str) -> None:
    selector = LogFeatureReader.selector(_Names(cluster, "web-2", {}))
    query = parse_log_query(selector)
    assert {(m.name, m.value) for m in query.selector} == {
        ("cluster", cluster),
        ("droplet", "web-2"),
    }


def test_a_status_class_also_matches_access_lines_statuses() -> None:
    pattern = re.compile("(?i)" + _expanded("5xx|error"))
    assert pattern.search("method=GET path=/ status=503 latency=3ms")
    assert pattern.search("upstream sent 5XX")
    assert pattern.search("KeyError: 'customer_id'")
    assert not pattern.search("method=GET path=/ status=200 latency=3ms")
