"""The table component's models without a window: natural sort, filter, selection by id."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot

from clustergenie_gui.client.types import DropletStatus, JobState
from clustergenie_gui.models.components.id_selection import IdSelection
from clustergenie_gui.models.components.natural_sort import natural_key, parse_filter
from clustergenie_gui.models.components.table_proxy_model import TableProxyModel
from clustergenie_gui.models.droplet_table_model import DropletTableModel
from clustergenie_gui.models.job_table_model import JobTableModel
from tests.gui.fakes import T0, make_droplet, make_job


def names(proxy: TableProxyModel) -> list[str]:
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def droplets(*specs: tuple[int, str]) -> DropletTableModel:
    model = DropletTableModel()
    for droplet_id, name in specs:
        model.upsert(make_droplet(droplet_id, name=name))
    return model


def proxy_over(model: object) -> TableProxyModel:
    proxy = TableProxyModel()
    proxy.setSourceModel(model)  # type: ignore[arg-type]
    return proxy


def test_natural_key_orders_numbers_as_numbers() -> None:
    texts = ["api-stage-10", "api-stage-2", "api-stage-1", "API-stage-3", "api"]
    assert sorted(texts, key=natural_key) == [
        "api",
        "api-stage-1",
        "api-stage-2",
        "API-stage-3",
        "api-stage-10",
    ]
    assert natural_key("9.5 %") < natural_key("10 %")


def test_the_proxy_sorts_names_naturally_both_ways(qapp: object) -> None:
    proxy = proxy_over(droplets((1, "api-stage-10"), (2, "api-stage-2"), (3, "api-stage-1")))
    proxy.sort(DropletTableModel.NAME, Qt.SortOrder.AscendingOrder)
    assert names(proxy) == ["api-stage-1", "api-stage-2", "api-stage-10"]
    proxy.sort(DropletTableModel.NAME, Qt.SortOrder.DescendingOrder)
    assert names(proxy) == ["api-stage-10", "api-stage-2", "api-stage-1"]


def test_job_ids_and_durations_sort_as_numbers(qapp: object) -> None:
    model = JobTableModel()
    for job_id in (9, 10, 100):
        model.upsert(
            make_job(job_id, JobState.SUCCEEDED, finished_at=T0 + timedelta(seconds=job_id))
        )
    proxy = proxy_over(model)
    proxy.sort(JobTableModel.ID, Qt.SortOrder.AscendingOrder)
    assert names(proxy) == ["9", "10", "100"]
    proxy.sort(JobTableModel.DURATION, Qt.SortOrder.DescendingOrder)
    assert names(proxy) == ["100", "10", "9"]


def test_filter_words_and_column_words(qapp: object) -> None:
    model = droplets((1, "web-1"), (2, "web-2"), (3, "db-1"))
    model.upsert(make_droplet(2, name="web-2", status=DropletStatus.ERRORED))
    proxy = proxy_over(model)
    proxy.set_filter_text("web")
    assert names(proxy) == ["web-1", "web-2"]
    proxy.set_filter_text("status:errored")
    assert names(proxy) == ["web-2"]
    proxy.set_filter_text("WEB stat:act")  # any case; a column prefix is enough
    assert names(proxy) == ["web-1"]
    proxy.set_filter_text("colour:red")  # no such column: nothing, so the typo shows
    assert names(proxy) == []
    proxy.set_filter_text("")
    assert proxy.rowCount() == 3
    assert parse_filter("state: failed").words == ("state", "failed")


def test_a_row_predicate_and_live_rows_pass_through_the_filter(qapp: object) -> None:
    model = droplets((1, "web-1"), (2, "db-1"))
    proxy = proxy_over(model)
    proxy.set_row_predicate(lambda droplet: droplet.cluster_id == 1)
    proxy.set_filter_text("web")
    assert names(proxy) == ["web-1"]
    model.upsert(make_droplet(3, name="web-3"))
    model.upsert(make_droplet(4, cluster_id=2, name="web-4"))
    assert names(proxy) == ["web-1", "web-3"]
    assert proxy.row_of_id(3) == 1
    assert proxy.row_of_id(4) is None


def select(selection_model: QItemSelectionModel, proxy: TableProxyModel, *rows: int) -> None:
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        selection_model.select(proxy.index(row, 0), flags)


def test_selection_follows_ids_across_updates_that_move_rows(qapp: object, qtbot: QtBot) -> None:
    model = droplets((1, "b"), (2, "c"), (3, "d"))
    proxy = proxy_over(model)
    selection_model = QItemSelectionModel(proxy)
    selection = IdSelection(selection_model)
    select(selection_model, proxy, 1)  # "c"
    assert selection.ids == (2,)
    model.upsert(make_droplet(4, name="a"))  # inserted above: the row index changes
    model.upsert(make_droplet(2, name="z", updated_at=T0 + timedelta(seconds=1)))  # moves down
    assert selection.ids == (2,)
    assert [item.name for item in selection.items()] == ["z"]


def test_removing_the_selected_row_selects_nothing_else(qapp: object, qtbot: QtBot) -> None:
    model = droplets((1, "a"), (2, "b"), (3, "c"))
    proxy = proxy_over(model)
    selection_model = QItemSelectionModel(proxy)
    selection = IdSelection(selection_model)
    select(selection_model, proxy, 1)
    with qtbot.waitSignal(selection.ids_changed, check_params_cb=lambda ids: ids == ()):
        model.remove(2)  # destroyed
    assert selection_model.selectedRows() == []
    assert not selection_model.currentIndex().isValid()


def test_multi_select_keeps_the_others_when_one_goes(qapp: object) -> None:
    model = droplets((1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, "e"))
    proxy = proxy_over(model)
    selection_model = QItemSelectionModel(proxy)
    selection = IdSelection(selection_model)
    selection.select_ids([1, 3, 5])
    assert selection.ids == (1, 3, 5)
    model.remove(3)
    assert selection.ids == (1, 5)
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert set(selection.ids) == {1, 5}
    proxy.set_filter_text("name:e")  # "a" is filtered out, "e" stays
    assert selection.ids == (5,)
