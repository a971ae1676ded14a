"""PolicyEditor: edit a cluster's auto-scaling policy; the server's verdict shows under Save."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.client.types import ScalingMetric, ScalingPolicy, ScalingRules, SelectPolicy
from clustergenie_gui.viewmodels.scaling_viewmodel import ScalingViewModel
from clustergenie_gui.widgets.common import ErrorLabel
from clustergenie_gui.widgets.components.theme import set_role
from clustergenie_gui.widgets.policy_tables import DOWN, UP, RateLimitTable, ScheduleTable

_METRICS = (ScalingMetric.CPU, ScalingMetric.REQUESTS_PER_DROPLET, ScalingMetric.P95_LATENCY)
_DEFAULT_TARGETS = {
    ScalingMetric.CPU: 60.0,
    ScalingMetric.REQUESTS_PER_DROPLET: 50.0,
    ScalingMetric.P95_LATENCY: 200.0,
}
_SELECT = (
    ("default (max)", SelectPolicy.UNKNOWN),
    ("max change", SelectPolicy.MAX),
    ("min change", SelectPolicy.MIN),
    ("disabled", SelectPolicy.DISABLED),
)


def _window_spin(default_text: str) -> QSpinBox:
    """0..3600 s, with -1 shown as the server default."""
    spin = QSpinBox()
    spin.setRange(-1, 3600)
    spin.setSuffix(" s")
    spin.setSpecialValueText(default_text)
    spin.setValue(-1)
    return spin


def _select_combo() -> QComboBox:
    combo = QComboBox()
    for text, value in _SELECT:
        combo.addItem(text, value.value)
    return combo


class PolicyEditor(QGroupBox):
    """Fields of a ScalingPolicy; Save sends it to the view-model, Delete removes it."""

    def __init__(self, scaling: ScalingViewModel, parent: QWidget | None = None) -> None:
        super().__init__("Auto-scaling policy", parent)
        self._vm = scaling
        self.enabled_check = QCheckBox("Enabled")
        self.enabled_check.setChecked(True)
        self.metric_combo = QComboBox()
        self.metric_combo.setObjectName("policy_metric")
        for metric in _METRICS:
            self.metric_combo.addItem(metric.label, metric.value)
        self.target_spin = QDoubleSpinBox()
        self.target_spin.setObjectName("policy_target")
        self.target_spin.setRange(0.0, 100_000.0)
        self.target_spin.setDecimals(1)
        self.min_spin = QSpinBox()
        self.min_spin.setObjectName("policy_min")
        self.min_spin.setRange(0, 1000)
        self.max_spin = QSpinBox()
        self.max_spin.setObjectName("policy_max")
        self.max_spin.setRange(0, 1000)
        self.tolerance_spin = QDoubleSpinBox()
        self.tolerance_spin.setObjectName("policy_tolerance")
        self.tolerance_spin.setRange(-0.01, 0.9)
        self.tolerance_spin.setSingleStep(0.05)
        self.tolerance_spin.setSpecialValueText("default (0.10)")
        self.up_window = _window_spin("default (0 s)")
        self.down_window = _window_spin("default (300 s)")
        self.up_select = _select_combo()
        self.down_select = _select_combo()
        self.rate_limits = RateLimitTable()
        self.schedules = ScheduleTable()
        self.save_button = QPushButton("Save policy")
        self.save_button.setObjectName("policy_save")
        self.save_button.setDefault(True)
        self.delete_button = QPushButton("Delete policy")
        self.delete_button.setObjectName("policy_delete")
        self.status_label = QLabel()
        set_role(self.status_label, "muted")
        self.error_label = ErrorLabel()
        self.error_label.setObjectName("policy_error")
        self._build_layout()

        self.metric_combo.currentIndexChanged.connect(self._on_metric_changed)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.delete_button.clicked.connect(scaling.delete_policy)
        scaling.policy_changed.connect(self.set_policy)
        scaling.policy_error.connect(self.error_label.show_message)
        scaling.policy_busy_changed.connect(self._on_busy_changed)
        scaling.cluster_changed.connect(self._on_cluster_changed)
        self.set_policy(scaling.policy)
        self._on_cluster_changed(scaling.cluster_id)

    def _build_layout(self) -> None:
        # The inputs sit in one widget so that a role that may not change policies gets them
        # disabled as one (see app._gate_actions).
        self.fields = QWidget()
        form = QFormLayout(self.fields)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("", self.enabled_check)
        form.addRow("Metric", self.metric_combo)
        form.addRow("Target", self.target_spin)
        form.addRow("Droplets", self._pair(self.min_spin, "to", self.max_spin))
        form.addRow("Tolerance", self.tolerance_spin)
        form.addRow("Stabilization", self._pair(self.up_window, "up · down", self.down_window))
        form.addRow("Rate policy", self._pair(self.up_select, "up · down", self.down_select))
        form.addRow("Rate limits", self.rate_limits)
        form.addRow("Schedules", self.schedules)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)

    @staticmethod
    def _pair(first: QWidget, middle: str, second: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(first, 1)
        row.addWidget(QLabel(middle))
        row.addWidget(second, 1)
        return box

    # From the view-model -------------------------------------------------------------

    def set_policy(self, policy: ScalingPolicy | None) -> None:
        """Show policy, or a sensible new one when the cluster has none."""
        self.error_label.show_message("")
        shown = policy or ScalingPolicy(self._vm.cluster_id, ScalingMetric.CPU, 60.0, 1, 5)
        self.metric_combo.setCurrentIndex(max(0, self.metric_combo.findData(shown.metric.value)))
        self.target_spin.setValue(shown.target)
        self.min_spin.setValue(shown.min_droplets)
        self.max_spin.setValue(shown.max_droplets)
        self.enabled_check.setChecked(shown.enabled)
        tolerance = shown.tolerance
        self.tolerance_spin.setValue(
            self.tolerance_spin.minimum() if tolerance is None else tolerance
        )
        for spin, combo, rules in (
            (self.up_window, self.up_select, shown.scale_up),
            (self.down_window, self.down_select, shown.scale_down),
        ):
            window = rules.stabilization_window_seconds
            spin.setValue(-1 if window is None else int(window))
            combo.setCurrentIndex(max(0, combo.findData(rules.select_policy.value)))
        self.rate_limits.set_limits(shown.scale_up.rate_limits, shown.scale_down.rate_limits)
        self.schedules.set_schedules(shown.schedules)
        self.delete_button.setEnabled(policy is not None)
        self.status_label.setText(
            "No policy yet: Save creates one."
            if policy is None
            else f"Saved policy on {shown.metric.label}."
        )

    def _on_busy_changed(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy and self._vm.cluster_id != 0)
        self.save_button.setText("Saving…" if busy else "Save policy")

    def _on_cluster_changed(self, cluster_id: int) -> None:
        self.setEnabled(cluster_id != 0)

    # To the view-model ---------------------------------------------------------------

    def policy(self) -> ScalingPolicy:
        """The policy the fields describe; ValueError for a field that does not parse."""
        tolerance = self.tolerance_spin.value()
        return ScalingPolicy(
            cluster_id=self._vm.cluster_id,
            metric=ScalingMetric(self.metric_combo.currentData()),
            target=self.target_spin.value(),
            min_droplets=self.min_spin.value(),
            max_droplets=self.max_spin.value(),
            tolerance=None if tolerance < 0 else round(tolerance, 2),
            scale_up=self._rules(self.up_window, self.up_select, UP),
            scale_down=self._rules(self.down_window, self.down_select, DOWN),
            schedules=self.schedules.schedules(),
            enabled=self.enabled_check.isChecked(),
        )

    def _rules(self, window: QSpinBox, select: QComboBox, direction: str) -> ScalingRules:
        seconds = window.value()
        return ScalingRules(
            stabilization_window_seconds=None if seconds < 0 else float(seconds),
            select_policy=SelectPolicy(select.currentData()),
            rate_limits=self.rate_limits.limits(direction),
        )

    def _on_save_clicked(self) -> None:
        try:
            policy = self.policy()
        except ValueError as error:
            self.error_label.show_message(str(error))
            return
        self._vm.save_policy(policy)

    def _on_metric_changed(self, _index: int) -> None:
        metric = ScalingMetric(self.metric_combo.currentData())
        policy = self._vm.policy
        if policy is None or policy.metric != metric:
            self.target_spin.setValue(_DEFAULT_TARGETS.get(metric, 60.0))
        self.target_spin.setSuffix(
            {ScalingMetric.CPU: " %", ScalingMetric.P95_LATENCY: " ms"}.get(metric, " req/s")
        )
