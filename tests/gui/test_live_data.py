"""Ring buffers, indexed table models and the live graph: what the desktop bench leans on."""

from __future__ import annotations

import random
from datetime import timedelta

import numpy as np
from pytestqt.qtbot import QtBot

from clustergenie_gui.client.types import Droplet, DropletStatus, JobState
from clustergenie_gui.models import rows as r
from clustergenie_gui.models.droplet_table_model import DropletTableModel
from clustergenie_gui.models.job_table_model import JobTableModel
from clustergenie_gui.models.metric_buffer import MetricBuffer
from clustergenie_gui.widgets.live_graph_widget import LiveGraph
from tests.gui.conftest import OFFSCREEN_WARNING
from tests.gui.curves import curve_x, curve_y
from tests.gui.fakes import T0, make_droplet, make_job, make_sample


def test_extend_columns_keeps_the_newest_capacity_rows_in_order() -> None:
    buffer = MetricBuffer(("a", "b"), capacity=5)
    version = buffer.version
    assert buffer.extend_columns(np.arange(3.0), np.array([[0.0, 1, 2], [10, 11, 12]])) == 3
    assert buffer.version > version
    # Older or equal times are dropped; a block longer than the room compacts once.
    times = np.arange(2.0, 9.0)
    kept = buffer.extend_columns(times, np.vstack([times, times + 10]))
    assert kept == 5  # 3..8 is six new rows, of which the newest five are kept
    assert buffer.times().tolist() == [4.0, 5.0, 6.0, 7.0, 8.0]
    assert buffer.values("b").tolist() == [14.0, 15.0, 16.0, 17.0, 18.0]
    assert buffer.extend_columns(np.array([8.0]), np.array([[0.0], [0.0]])) == 0


def test_extend_columns_and_append_share_one_ring() -> None:
    buffer = MetricBuffer(("cpu_percent",), capacity=4)
    for step in range(10):
        buffer.extend_columns(np.array([2.0 * step]), np.array([[float(step)]]))
        assert buffer.append(make_sample(2.0 * step + 1, 1, cpu_percent=float(step)))
    assert buffer.times().tolist() == [16.0, 17.0, 18.0, 19.0]


def test_indexed_upserts_match_a_plain_sorted_list() -> None:
    model, plain = DropletTableModel(), list[Droplet]()
    rng = random.Random(6)
    statuses = list(DropletStatus)[1:]
    for step in range(600):
        droplet_id = rng.randrange(1, 60)
        if rng.random() < 0.15:
            model.remove(droplet_id)
            plain = [d for d in plain if d.id != droplet_id]
            continue
        droplet = make_droplet(
            droplet_id,
            name=f"n-{rng.randrange(20)}",
            status=rng.choice(statuses),
            updated_at=T0 + timedelta(seconds=step),
        )
        model.upsert(droplet)
        r.apply_upsert(plain, droplet, r.by_name)
    assert model.items() == plain
    assert all(model.row_of(d.id) == i for i, d in enumerate(plain))
    expected: dict[DropletStatus, int] = {}
    for droplet in plain:
        expected[droplet.status] = expected.get(droplet.status, 0) + 1
    assert model.count_by_status() == expected


def test_job_counts_follow_state_changes() -> None:
    jobs = JobTableModel()
    for job_id in range(1, 6):
        jobs.upsert(make_job(job_id, JobState.RUNNING))
    jobs.upsert(make_job(2, JobState.FAILED, updated_at=T0 + timedelta(hours=1)))
    jobs.upsert(make_job(3, JobState.QUEUED, updated_at=T0 + timedelta(hours=1)))
    assert jobs.running_count() == 4
    assert jobs.count_in(JobState.FAILED) == 1
    jobs.clear()
    assert jobs.running_count() == 0


@OFFSCREEN_WARNING
def test_live_graph_draws_each_buffer_version_once(qtbot: QtBot) -> None:
    buffer = MetricBuffer([f"s{i}" for i in range(3)], capacity=1000)
    times = np.arange(1000.0)
    buffer.extend_columns(times, np.vstack([times, -times, times * 2]))
    graph = LiveGraph(buffer)
    qtbot.addWidget(graph)
    graph.resize(400, 200)
    graph.show()
    qtbot.waitUntil(lambda: curve_x(graph.curves[0]).size > 0)
    assert curve_y(graph.curves[2])[-1] == 1998.0
    drawn = graph.curves[0].xData
    graph.redraw()  # nothing new: the curves keep their data
    assert graph.curves[0].xData is drawn
    buffer.extend_columns(np.array([1000.0]), np.array([[1.0], [2.0], [3.0]]))
    graph.redraw()
    assert curve_y(graph.curves[1])[-1] == 2.0
    graph.grab()  # paints with downsampling and clipping


def test_sparkline_cards_survive_cluster_changes(qtbot: QtBot) -> None:
    from clustergenie_gui.viewmodels.telemetry_viewmodel import TelemetryViewModel
    from clustergenie_gui.widgets.sparklines_widget import ClusterSparklines
    from tests.gui.fakes import FakeTelemetryClient, make_cluster

    vm = TelemetryViewModel(FakeTelemetryClient())
    grid = ClusterSparklines(vm)
    qtbot.addWidget(grid)
    vm.set_clusters([make_cluster(2, "b"), make_cluster(3, "c")])
    kept = grid.cards[3]
    vm.set_clusters([make_cluster(1, "a"), make_cluster(3, "c"), make_cluster(4, "d")])
    assert list(grid.cards) == [1, 3, 4]
    assert grid.cards[3] is kept  # reused, moved to the second place
    assert grid._grid_cell(grid._grid.indexOf(kept)) == (0, 1)
    assert [c.name_label.text() for c in grid.cards.values()] == ["a", "c", "d"]
