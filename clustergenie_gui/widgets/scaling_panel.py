"""ScalingPanel: pick a cluster; its live graph, policy editor, manual scale and decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.client.types import Job
from clustergenie_gui.models.cluster_list_model import ClusterListModel
from clustergenie_gui.models.row_table_model import ITEM_ROLE
from clustergenie_gui.viewmodels.scaling_viewmodel import ScalingViewModel
from clustergenie_gui.widgets.common import ErrorLabel, panel_header, setup_table
from clustergenie_gui.widgets.policy_editor_widget import PolicyEditor

if TYPE_CHECKING:
    from clustergenie_gui.widgets.scaling_graph_widget import ScalingGraph

_SECTION_STYLE = "font-weight: 600; font-size: 11pt;"


class ScaleControl(QGroupBox):
    """Scale the cluster by hand: a count and a button; the server's refusal shows inline."""

    def __init__(self, scaling: ScalingViewModel, parent: QWidget | None = None) -> None:
        super().__init__("Scale by hand", parent)
        self._vm = scaling
        self.count_spin = QSpinBox()
        self.count_spin.setObjectName("scale_count")
        self.count_spin.setRange(1, 1000)
        self.count_spin.setValue(3)
        self.count_spin.setSuffix(" droplets")
        self.scale_button = QPushButton("Scale")
        self.scale_button.setObjectName("scale_button")
        self.status_label = QLabel()
        self.status_label.setStyleSheet("color: #5f6368;")
        self.error_label = ErrorLabel()
        self.error_label.setObjectName("scale_error")
        row = QHBoxLayout()
        row.addWidget(self.count_spin, 1)
        row.addWidget(self.scale_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status_label)
        layout.addWidget(self.error_label)
        self.status_label.hide()
        self.scale_button.clicked.connect(self._on_scale_clicked)
        scaling.scale_error.connect(self.error_label.show_message)
        scaling.scale_started.connect(self._on_scale_started)
        scaling.cluster_changed.connect(self._on_cluster_changed)
        self._on_cluster_changed(scaling.cluster_id)

    def _on_scale_clicked(self) -> None:
        self._vm.scale_to(self.count_spin.value())

    def _on_scale_started(self, job: Job) -> None:
        self.status_label.setText(
            f"Scaling to {self.count_spin.value()}: job #{job.id} queued (see Jobs)."
        )
        self.status_label.show()

    def _on_cluster_changed(self, cluster_id: int) -> None:
        self.setEnabled(cluster_id != 0)
        self.status_label.hide()


class ScalingPanel(QWidget):
    """The Scaling page: everything about one cluster's size, live."""

    def __init__(
        self, scaling: ScalingViewModel, clusters: ClusterListModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._vm = scaling
        self.cluster_combo = QComboBox()
        self.cluster_combo.setObjectName("scaling_cluster")
        self.cluster_combo.setModel(clusters)
        self.cluster_combo.setModelColumn(ClusterListModel.NAME)
        self.cluster_combo.setMinimumWidth(220)
        self.cluster_combo.setPlaceholderText("no clusters yet")
        self.summary_label = QLabel()
        self.summary_label.setStyleSheet("color: #5f6368;")
        # The graph imports pyqtgraph (~0.2 s, more than the rest of the window): it is built on
        # first use, so the window can show first (see build_graph and MainWindow).
        self._graph: ScalingGraph | None = None
        self._graph_slot = QWidget()
        self._graph_slot_layout = QVBoxLayout(self._graph_slot)
        self._graph_slot_layout.setContentsMargins(0, 0, 0, 0)
        self.editor = PolicyEditor(scaling)
        self.scale_control = ScaleControl(scaling)
        self.decision_view = QTableView()
        self.decision_view.setObjectName("decision_table")
        self.decision_view.setModel(scaling.decisions)
        setup_table(self.decision_view)
        for column, width in enumerate((120, 150, 70, 80, 100)):
            self.decision_view.setColumnWidth(column, width)
        self._build_layout()
        self.cluster_combo.currentIndexChanged.connect(self._on_combo_changed)
        clusters.rowsInserted.connect(self._on_combo_changed)
        scaling.policy_changed.connect(self._update_summary)
        scaling.samples_added.connect(self._update_summary)
        self._on_combo_changed()

    def _build_layout(self) -> None:
        picker = QHBoxLayout()
        picker.addWidget(QLabel("Cluster"))
        picker.addWidget(self.cluster_combo)
        picker.addWidget(self.summary_label, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.addWidget(self.editor)
        left_layout.addWidget(self.scale_control)
        left_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(440)
        decisions = QWidget()
        decisions_layout = QVBoxLayout(decisions)
        decisions_layout.setContentsMargins(0, 8, 0, 0)
        title = QLabel("Decisions")
        title.setStyleSheet(_SECTION_STYLE)
        decisions_layout.addWidget(title)
        decisions_layout.addWidget(self.decision_view)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self._graph_slot)
        right.addWidget(decisions)
        right.setSizes([430, 260])
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(scroll)
        body.addWidget(right)
        body.setStretchFactor(1, 1)
        body.setSizes([450, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(
            panel_header(
                "Scaling",
                "Scale a cluster by hand or by a policy on its load; every decision and "
                "its reason, live. Times are on the simulation clock.",
            )
        )
        layout.addLayout(picker)
        layout.addWidget(body, 1)

    @property
    def graph(self) -> ScalingGraph:
        """The live graph (built now if it was not yet)."""
        if self._graph is None:
            from clustergenie_gui.widgets.scaling_graph_widget import ScalingGraph

            self._graph = ScalingGraph(self._vm)
            self._graph_slot_layout.addWidget(self._graph)
        return self._graph

    def build_graph(self) -> None:
        """Build the live graph ahead of its first show (the app does it after its first paint)."""
        _ = self.graph

    def showEvent(self, event: QShowEvent) -> None:
        """Never show without the graph."""
        self.build_graph()
        super().showEvent(event)

    def select_cluster(self, cluster_id: int) -> None:
        """Pick the cluster with cluster_id in the combo (and so in the view-model)."""
        model = self.cluster_combo.model()
        for row in range(model.rowCount()):
            if model.index(row, 0).data(ITEM_ROLE).id == cluster_id:
                self.cluster_combo.setCurrentIndex(row)
                return

    def _on_combo_changed(self, *_args: object) -> None:
        row = self.cluster_combo.currentIndex()
        if row < 0 and self.cluster_combo.count() > 0:
            self.cluster_combo.setCurrentIndex(0)  # re-enters through currentIndexChanged
            return
        index = self.cluster_combo.model().index(row, 0)
        cluster = index.data(ITEM_ROLE) if row >= 0 else None
        self._vm.select_cluster(cluster.id if cluster is not None else 0)
        self._update_summary()

    def _update_summary(self, *_args: object) -> None:
        buffer = self._vm.buffer
        policy = self._vm.policy
        parts = []
        if len(buffer):
            serving = int(buffer.values("serving_droplets")[-1])
            value = buffer.values(self._vm.graph_metric.sample_field)[-1]
            parts.append(f"{serving} serving · {value:,.1f} {self._vm.graph_metric.label}")
        if policy is not None:
            state = "on" if policy.enabled else "paused"
            parts.append(
                f"auto-scaling {state}: {policy.metric.label} → {policy.target:g}, "
                f"{policy.min_droplets}–{policy.max_droplets} droplets"
            )
        elif self._vm.cluster_id:
            parts.append("no auto-scaling policy")
        self.summary_label.setText("   ·   ".join(parts))
