"""Row bookkeeping and display rules, without a QApplication."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clustergenie_gui.client.types import Droplet, DropletStatus, Job, JobState
from clustergenie_gui.models import format as fmt
from clustergenie_gui.models import rows as r
from clustergenie_gui.models.droplet_table_model import DropletAction, allowed_actions
from clustergenie_gui.models.job_table_model import can_cancel, can_retry, job_state_label
from clustergenie_gui.server_choice import address_problem
from clustergenie_gui.widgets.create_cluster_form import parse_tags
from tests.gui.fakes import T0, make_droplet, make_job


def test_upsert_keeps_newest_first_without_duplicates() -> None:
    rows: list[Job] = []
    for job_id in (2, 5, 1, 5, 3, 2):
        r.apply_upsert(rows, make_job(job_id), r.newest_first)
    assert [job.id for job in rows] == [5, 3, 2, 1]


def test_upsert_replaces_in_place_and_reports_indexes() -> None:
    rows = [make_job(3), make_job(2), make_job(1)]
    newer = make_job(2, JobState.SUCCEEDED, updated_at=T0 + timedelta(minutes=5))
    plan = r.apply_upsert(rows, newer, r.newest_first)
    assert plan == r.Upsert(old=1, new=1)
    assert rows[1].state == JobState.SUCCEEDED


def test_upsert_ignores_a_stale_version() -> None:
    rows = [make_job(1, JobState.SUCCEEDED, updated_at=T0 + timedelta(minutes=5))]
    plan = r.apply_upsert(rows, make_job(1, JobState.RUNNING, updated_at=T0), r.newest_first)
    assert plan.new is None
    assert rows[0].state == JobState.SUCCEEDED


def test_sort_by_name_is_case_insensitive() -> None:
    rows: list[Droplet] = []
    for droplet_id, name in ((1, "b"), (2, "A"), (3, "c")):
        r.apply_upsert(rows, make_droplet(droplet_id, name=name), r.by_name)
    assert [d.name for d in rows] == ["A", "b", "c"]


def test_missing_ids_lists_rows_not_kept() -> None:
    rows = [make_droplet(1), make_droplet(2), make_droplet(3)]
    assert r.missing_ids(rows, {1, 3}) == [2]


@pytest.mark.parametrize(
    ("status", "locked", "expected"),
    [
        (DropletStatus.ACTIVE, False, {"resize", "reboot", "power_off", "destroy"}),
        (DropletStatus.OFF, False, {"resize", "power_on", "destroy"}),
        (DropletStatus.NEW, False, {"destroy"}),
        (DropletStatus.ERRORED, False, {"destroy"}),
        (DropletStatus.ARCHIVE, False, set()),
        (DropletStatus.ACTIVE, True, set()),
    ],
)
def test_allowed_actions_follow_state(
    status: DropletStatus, locked: bool, expected: set[str]
) -> None:
    droplet = make_droplet(1, status=status, locked=locked)
    assert {DropletAction(a).value for a in allowed_actions(droplet)} == expected


def test_job_buttons_follow_state() -> None:
    assert can_cancel(make_job(1, JobState.RUNNING))
    assert can_cancel(make_job(1, JobState.QUEUED))
    assert not can_cancel(make_job(1, JobState.RUNNING, cancel_requested=True))
    assert not can_cancel(make_job(1, JobState.SUCCEEDED))
    assert can_retry(make_job(1, JobState.FAILED))
    assert can_retry(make_job(1, JobState.CANCELLED))
    assert not can_retry(make_job(1, JobState.RUNNING))
    assert not can_retry(make_job(1, JobState.CANCELLED, retryable=False))  # the server said no
    assert not can_retry(make_job(1, JobState.FAILED, retried_as_job_id=7))  # retried once
    assert not can_cancel(None)
    assert not can_retry(None)
    assert job_state_label(make_job(1, JobState.RUNNING, cancel_requested=True)) == "cancelling"
    retried = make_job(1, JobState.CANCELLED, retried_as_job_id=7)
    assert job_state_label(retried) == "cancelled, retried as #7"


def test_duration_formats() -> None:
    assert fmt.duration(None, None) == ""
    assert fmt.duration(T0, T0 + timedelta(seconds=4.2)) == "4.2 s"
    assert fmt.duration(T0, T0 + timedelta(seconds=185)) == "3 m 05 s"
    assert fmt.duration(T0, T0 + timedelta(hours=1, minutes=2)) == "1 h 02 m"


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("127.0.0.1:50051", True),
        ("localhost:1", True),
        ("[::1]:8080", True),
        ("", False),
        ("localhost", False),
        ("host:0", False),
        ("host:99999", False),
        ("bad host:1", False),
        (":50051", False),
    ],
)
def test_address_validation(text: str, ok: bool) -> None:
    assert (address_problem(text) == "") is ok


def test_parse_tags() -> None:
    assert parse_tags(" web, prod  web,,db ") == ["web", "prod", "db"]
