"""ScalingPanel: pick a cluster; its live graph, policy editor, manual scale and decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.client.types import Job, ScalingDecision
from clustergenie_gui.models.cluster_list_model import ClusterListModel
from clustergenie_gui.models.components.navigation import Navigation
from clustergenie_gui.models.row_table_model import ITEM_ROLE
from clustergenie_gui.viewmodels.scaling_viewmodel import ScalingViewModel
from clustergenie_gui.widgets.common import ErrorLabel, panel_header
from clustergenie_gui.widgets.components.confirm import ask
from clustergenie_gui.widgets.components.data_table import DataTable
from clustergenie_gui.widgets.components.theme import set_role
from clustergenie_gui.widgets.policy_editor_widget import PolicyEditor

if TYPE_CHECKING:
    from clustergenie_gui.widgets.scaling_graph_widget import ScalingGraph


class ScaleControl(QGroupBox):
    """Scale the cluster by hand: a count (starting at the current one) and a button.

    Scaling down, or against an enabled policy (which will move the count back), asks first
    and says so; the server's refusal shows inline.
    """

    def __init__(
        self,
        scaling: ScalingViewModel,
        clusters: ClusterListModel | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Scale by hand", parent)
        self._vm = scaling
        self._clusters = clusters
        self.confirm_box: QMessageBox | None = None
        self.count_spin = QSpinBox()
        self.count_spin.setObjectName("scale_count")
        self.count_spin.setRange(1, 1000)
        self.count_spin.setValue(1)
        self.count_spin.setSuffix(" droplets")
        self.count_spin.setAccessibleName("Droplets to scale to")
        self.scale_button = QPushButton("Scale…")
        self.scale_button.setObjectName("scale_button")
        self.status_label = QLabel()
        self.status_label.setObjectName("scale_job_link")
        self.status_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        set_role(self.status_label, "muted")
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
        # Enter in the count scales, as the button does (keyboard-first); a spin box keeps
        # Enter to itself, so it is caught here.
        self.count_spin.installEventFilter(self)
        scaling.scale_error.connect(self.error_label.show_message)
        scaling.scale_started.connect(self._on_scale_started)
        scaling.cluster_changed.connect(self._on_cluster_changed)
        # The count follows the cluster's size (an auto-scaler or another client changes it)
        # until the user edits it: then their number stays.
        self._followed = 0
        if clusters is not None:
            clusters.dataChanged.connect(self._follow_count)
            clusters.modelReset.connect(self._follow_count)
            clusters.rowsInserted.connect(self._follow_count)
        self._on_cluster_changed(scaling.cluster_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the count box scales."""
        if (
            watched is self.count_spin
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.count_spin.interpretText()
            self._on_scale_clicked()
            return True
        return super().eventFilter(watched, event)

    def current_count(self) -> int:
        """The selected cluster's droplet count (0 when unknown)."""
        cluster = self._clusters.get(self._vm.cluster_id) if self._clusters else None
        return cluster.droplet_count if cluster is not None else 0

    def _on_scale_clicked(self) -> None:
        count, current = self.count_spin.value(), self.current_count()
        policy = self._vm.policy
        warnings = []
        if current and count < current:
            warnings.append(
                f"Scaling down destroys {current - count} droplet(s) after draining them."
            )
        if policy is not None and policy.enabled:
            warnings.append(
                f"Auto-scaling is on ({policy.metric.label} → {policy.target:g}, "
                f"{policy.min_droplets}–{policy.max_droplets} droplets): it will move the "
                "cluster back to what its load needs. Pause the policy to keep "
                f"{count} droplets."
            )
        if not warnings:
            self._vm.scale_to(count)
            return
        self.confirm_box = ask(
            self,
            f"Scale from {current} to {count} droplets?",
            " ".join(warnings),
            "Scale",
            lambda: self._vm.scale_to(count),
        )

    def _on_scale_started(self, job: Job) -> None:
        self.status_label.setText(
            f"Scaling to {self.count_spin.value()}: "
            f"<a href='job:{job.id}'>job #{job.id}</a> queued — open it in Jobs."
        )
        self.status_label.show()

    def _on_cluster_changed(self, cluster_id: int) -> None:
        self.setEnabled(cluster_id != 0)
        self.status_label.hide()
        self.error_label.show_message("")
        self._followed = 0
        self._follow_count()

    def _follow_count(self, *_args: object) -> None:
        current = self.current_count()
        untouched = self._followed == 0 or self.count_spin.value() == self._followed
        if current and untouched and not self.count_spin.hasFocus():
            self.count_spin.setValue(current)
            self._followed = current


class ScalingPanel(QWidget):
    """The Scaling page: everything about one cluster's size, live.

    Signals:
        navigate_requested(object): a Navigation (a decision's job opened).
    """

    navigate_requested = Signal(object)

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
        set_role(self.summary_label, "muted")
        # The graph imports pyqtgraph (~0.2 s, more than the rest of the window): it is built on
        # first use, so the window can show first (see build_graph and MainWindow).
        self._graph: ScalingGraph | None = None
        self._graph_slot = QWidget()
        self._graph_slot_layout = QVBoxLayout(self._graph_slot)
        self._graph_slot_layout.setContentsMargins(0, 0, 0, 0)
        self.editor = PolicyEditor(scaling)
        self.scale_control = ScaleControl(scaling, clusters)
        self.decision_table = DataTable(
            scaling.decisions,
            "decisions",
            "No decisions yet: with a policy, the autoscaler decides every evaluation and "
            "each decision shows here with its reason.",
        )
        self.decision_view = self.decision_table.view
        self.decision_table.activated.connect(self._on_decision_activated)
        self.scale_control.status_label.linkActivated.connect(self._on_job_link)
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
        self.scale_control.setMinimumHeight(self.scale_control.sizeHint().height())
        left_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(400)
        decisions = QWidget()
        decisions_layout = QVBoxLayout(decisions)
        decisions_layout.setContentsMargins(0, 8, 0, 0)
        title = QLabel("Decisions")
        set_role(title, "section")
        decisions_layout.addWidget(title)
        decisions_layout.addWidget(self.decision_table)
        decisions.setMinimumHeight(160)
        self._graph_slot.setMinimumHeight(220)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self._graph_slot)
        right.addWidget(decisions)
        right.setChildrenCollapsible(False)
        right.setSizes([430, 260])
        right.setMinimumWidth(360)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(scroll)
        body.addWidget(right)
        body.setStretchFactor(1, 1)
        body.setChildrenCollapsible(False)
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

    def apply_navigation(self, nav: Navigation) -> None:
        """Show a cluster (Overview's sparkline cards open it here)."""
        if nav.item_kind == "cluster":
            self.select_cluster(nav.item_id)
        self.decision_table.set_filter_text(nav.filter_text)
        self.cluster_combo.setFocus()

    def _on_job_link(self, link: str) -> None:
        job_id = int(link.partition(":")[2] or 0)
        self.navigate_requested.emit(Navigation("Jobs", "kind:scale", "job", job_id))

    def _on_decision_activated(self, decision: ScalingDecision) -> None:
        if decision.job_id:
            self.navigate_requested.emit(Navigation("Jobs", "", "job", decision.job_id))

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
