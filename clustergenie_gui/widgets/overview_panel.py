"""OverviewPanel: counts of clusters, droplets by status, and running jobs, from the view-models."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from clustergenie_gui.client.types import DropletStatus, JobState
from clustergenie_gui.models.components.navigation import Navigation
from clustergenie_gui.models.components.palette import tone_of
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionViewModel
from clustergenie_gui.viewmodels.jobs_viewmodel import JobsViewModel
from clustergenie_gui.viewmodels.provisioning_viewmodel import ProvisioningViewModel
from clustergenie_gui.viewmodels.telemetry_viewmodel import TelemetryViewModel
from clustergenie_gui.widgets.common import panel_header
from clustergenie_gui.widgets.components.nav_card import StatCard
from clustergenie_gui.widgets.sparklines_widget import ClusterSparklines

_DROPLET_TILES = (
    ("active", DropletStatus.ACTIVE),
    ("new", DropletStatus.NEW),
    ("off", DropletStatus.OFF),
    ("errored", DropletStatus.ERRORED),
)


class OverviewPanel(QWidget):
    """What exists and what is happening, counted from the live models; each card opens it.

    Signals:
        navigate_requested(object): a Navigation (a card or a cluster's sparklines opened).
    """

    navigate_requested = Signal(object)

    def __init__(
        self,
        connection: ConnectionViewModel,
        provisioning: ProvisioningViewModel,
        jobs: JobsViewModel,
        telemetry: TelemetryViewModel | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._provisioning = provisioning
        self._jobs = jobs
        # The panel scrolls: with many clusters the cards outgrow any window, and without a
        # scroll area they would force the window taller than the screen.
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)
        content = QWidget()
        content.setObjectName("overview_content")
        self.scroll_area.setWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(panel_header("Overview", "Your clusters and what is running, live."))
        self.connection_label = QLabel(connection.message)
        self.connection_label.setObjectName("overview_connection")
        layout.addWidget(self.connection_label)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.clusters_tile = StatCard("clusters", "", Navigation("Provision"))
        self.droplets_tile = StatCard(
            "droplets", "", Navigation("Provision"), "Open every cluster's droplets"
        )
        self.jobs_tile = StatCard(
            "jobs queued or running",
            "busy",
            Navigation("Jobs", "state:running"),
            "Open the running jobs",
        )
        self.failed_tile = StatCard(
            "jobs failed (recent)",
            "bad",
            Navigation("Jobs", "state:failed"),
            "Open the failed jobs",
        )
        self.droplet_tiles = {
            status: StatCard(
                f"droplets {caption}",
                tone_of(status.value),
                Navigation("Provision", f"status:{status.value}"),
                f"Open the {caption} droplets",
            )
            for caption, status in _DROPLET_TILES
        }
        for tile in (
            self.clusters_tile,
            self.droplets_tile,
            self.jobs_tile,
            self.failed_tile,
            *self.droplet_tiles.values(),
        ):
            tile.opened.connect(self.navigate_requested)
        for column, tile in enumerate(
            (self.clusters_tile, self.droplets_tile, self.jobs_tile, self.failed_tile)
        ):
            grid.addWidget(tile, 0, column)
        for column, tile in enumerate(self.droplet_tiles.values()):
            grid.addWidget(tile, 1, column)
        layout.addLayout(grid)
        self._grid = grid
        self.sparklines: ClusterSparklines | None = None
        if telemetry is not None:
            layout.addSpacing(12)
            self.sparklines = ClusterSparklines(telemetry)
            self.sparklines.opened.connect(self.navigate_requested)
            layout.addWidget(self.sparklines)
        layout.addStretch(1)
        provisioning.inventory_changed.connect(self._on_inventory_changed)
        jobs.running_count_changed.connect(self._on_running_count_changed)
        jobs.jobs_changed.connect(self._on_jobs_changed)
        connection.connection_changed.connect(self._on_connection_changed)
        self._on_inventory_changed()
        self._on_running_count_changed(jobs.running_count)
        self._on_jobs_changed()

    def add_tile(self, tile: QWidget) -> None:
        """Another feature's tile, on a row of its own below the counts (e.g. Health's)."""
        self._grid.addWidget(tile, self._grid.rowCount(), 0, 1, 2)

    def _on_inventory_changed(self) -> None:
        self.clusters_tile.set_value(self._provisioning.clusters.rowCount())
        self.droplets_tile.set_value(self._provisioning.droplets.rowCount())
        counts = self._provisioning.droplets.count_by_status()
        for status, tile in self.droplet_tiles.items():
            tile.set_value(counts.get(status, 0))

    def _on_running_count_changed(self, count: int) -> None:
        self.jobs_tile.set_value(count)

    def _on_jobs_changed(self) -> None:
        self.failed_tile.set_value(self._jobs.jobs.count_in(JobState.FAILED))

    def _on_connection_changed(self, _state: str, message: str) -> None:
        self.connection_label.setText(message)
