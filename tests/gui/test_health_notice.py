"""The status bar's alert notices: an alert that Diagnose has diagnosed says its root cause."""

from __future__ import annotations

from clustergenie_gui.client.health_client import alert_notice
from clustergenie_server.api.v1 import health_pb2 as pb


def test_an_opened_alert_says_what_is_down() -> None:
    alert = pb.HealthAlert(id=1, subject="web-http: 1 of 2 droplets unhealthy")
    assert alert_notice("opened", alert) == "opened: web-http: 1 of 2 droplets unhealthy"


def test_a_diagnosed_alert_says_its_root_cause_and_session() -> None:
    alert = pb.HealthAlert(
        id=1, subject="web-http: 1 of 2 droplets unhealthy", diagnosis_session_id=4,
        root_cause="web-2 went down 3 time(s) since 14:02: connections refused while it restarts",
    )  # fmt: skip
    assert alert_notice("diagnosed", alert) == (
        "diagnosed: web-http: 1 of 2 droplets unhealthy — root cause: web-2 went down 3 time(s) "
        "since 14:02: connections refused while it restarts (Diagnose session 4)"
    )
    nothing = pb.HealthAlert(id=1, subject="web-http: 1 of 2 droplets unhealthy",
                             diagnosis_session_id=5)  # fmt: skip
    assert alert_notice("diagnosed", nothing).endswith("no root cause found (Diagnose session 5)")
