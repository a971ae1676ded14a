"""The Health panel's add/edit check form: the HTTP request's fields for HTTP checks, condition
parse errors at their column, and the server's refusals under the field they name."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QWidget,
)

from clustergenie_gui.client.health_client import CheckForm, HttpForm
from clustergenie_gui.models.health_model import STATE_COLOURS, format_headers, parse_headers
from clustergenie_gui.viewmodels.health_viewmodel import HealthViewModel
from clustergenie_gui.widgets.common import ErrorLabel
from clustergenie_gui.widgets.components.field_errors import FieldErrors
from clustergenie_gui.widgets.components.theme import set_role

# The server's own list (services/health/validation.py METHODS), GET first as its default.
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# Each field the server's INVALID_ARGUMENT messages name ("http.headers: ..."), by its prefix.
FIELD_PREFIXES = {
    "name": "name:", "target_id": "target_id:", "address": "address:",
    "interval": "interval_seconds:", "timeout": "timeout_seconds:",
    "failures": "failure_threshold:", "successes": "success_threshold:",
    "locations": "locations:", "quorum": "quorum:", "method": "http.method:",
    "path": "http.path:", "headers": "http.headers:", "status_row": "http.status_min/max:",
}  # fmt: skip


def _text_box(placeholder: str, lines: int) -> QPlainTextEdit:
    """A few lines of plain text; Tab moves on (keyboard users are not trapped)."""
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 12)
    return box


class CheckFormWidget(QGroupBox):
    """Add a check; the condition editor shows parse errors inline, at the column."""

    def __init__(self, vm: HealthViewModel, parent: QWidget | None = None) -> None:
        super().__init__("Add a check", parent)
        self._vm = vm
        self.name = QLineEdit("web-http")
        self.kind = QComboBox()
        self.kind.addItems(["http", "tcp", "ping", "grpc"])
        self.target_kind = QComboBox()
        self.target_kind.addItems(["cluster", "droplet", "load_balancer", "address"])
        self.target_id = QSpinBox()
        self.target_id.setRange(0, 10_000_000)
        self.address = QLineEdit()
        self.address.setPlaceholderText("https://example.com/health or host:port")
        self._build_http_fields()
        self.interval = QDoubleSpinBox()
        self.interval.setRange(0.1, 86_400)
        self.interval.setValue(10)
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(0.1, 86_400)
        self.timeout.setValue(2)
        self.failures = QSpinBox()
        self.failures.setRange(1, 100)
        self.failures.setValue(3)
        self.successes = QSpinBox()
        self.successes.setRange(1, 100)
        self.successes.setValue(1)
        self.locations = QLineEdit("nyc1")
        self.quorum = QSpinBox()
        self.quorum.setRange(1, 10)
        self.conditions = QLineEdit("[STATUS] == 200 && [RESPONSE_TIME] < 300")
        self.condition_error = QLabel()
        set_role(self.condition_error, "field_error")  # the theme's error text
        self.error = ErrorLabel()  # what no field is named in
        self.add = QPushButton("Add check")
        self.new = QPushButton("New check")
        self.new.setVisible(False)
        self.editing = 0  # the id of the check being edited, 0 while adding
        self._layout = form = QFormLayout(self)
        for label, widget in (
            ("Name", self.name), ("Kind", self.kind), ("Target", self.target_kind),
            ("Cluster / droplet id", self.target_id), ("Address", self.address),
            ("&Method", self.method), ("&Path", self.path), ("Hea&ders", self.headers),
            ("&Body", self.body), ("E&xpected status", self.status_row),
            ("", self.follow_redirects),
            ("Interval (s)", self.interval), ("Timeout (s)", self.timeout),
            ("Failure threshold", self.failures), ("Success threshold", self.successes),
            ("Locations", self.locations), ("Quorum", self.quorum),
            ("Conditions", self.conditions),
        ):  # fmt: skip
            form.addRow(label, widget)
        form.addRow("", self.condition_error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add, 1)
        buttons.addWidget(self.new)
        form.addRow(buttons)
        form.addRow(self.error)
        self.errors = FieldErrors(form, self.error)
        for key, prefix in FIELD_PREFIXES.items():
            self.errors.add(key, getattr(self, key), (prefix,))
        self.headers.textChanged.connect(lambda: self.errors.clear("headers"))
        for spin in (self.status_min, self.status_max):
            spin.valueChanged.connect(lambda _v: self.errors.clear("status_row"))
        self.conditions.textChanged.connect(vm.check_conditions)
        self.kind.currentTextChanged.connect(self._on_kind_changed)
        vm.conditions_checked.connect(self._on_conditions_checked)
        vm.form_error.connect(self._on_form_error)
        vm.check_loaded.connect(self._on_check_loaded)
        vm.check_changed.connect(self._on_check_changed)
        self.add.clicked.connect(self._on_add)
        self.new.clicked.connect(self.start_new)
        self._on_kind_changed(self.kind.currentText())

    def _build_http_fields(self) -> None:
        """The request an HTTP check sends and the answers it accepts."""
        self.method = QComboBox()
        self.method.addItems(METHODS)
        self.path = QLineEdit("/")
        self.path.setToolTip("Joined to a droplet's address; a URL target carries its own")
        self.headers = _text_box("Name: value, one a line (e.g. Authorization: Bearer …)", 3)
        self.body = _text_box("Sent with the request (e.g. a JSON document)", 3)
        self.status_min = QSpinBox()
        self.status_max = QSpinBox()
        for spin, value in ((self.status_min, 200), (self.status_max, 399)):
            spin.setRange(100, 599)
            spin.setValue(value)
        self.status_row = QWidget()
        row = QHBoxLayout(self.status_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.status_min)
        row.addWidget(QLabel("to"))
        row.addWidget(self.status_max)
        row.addStretch(1)
        self.status_row.setFocusProxy(self.status_min)  # the label's mnemonic lands here
        self.follow_redirects = QCheckBox("Follow &redirects")
        self.follow_redirects.setChecked(True)
        self.http_fields: tuple[QWidget, ...] = (
            self.method, self.path, self.headers, self.body, self.status_row,
            self.follow_redirects,
        )  # fmt: skip

    def _on_kind_changed(self, kind: str) -> None:
        """The HTTP rows only for HTTP checks (their errors go with them)."""
        for widget in self.http_fields:
            self._layout.setRowVisible(widget, kind == "http")
        if kind != "http":
            for key in ("method", "path", "headers", "status_row"):
                self.errors.clear(key)

    def _on_conditions_checked(self, error: str, column: int) -> None:
        if not error:
            self.condition_error.setText("")
            self.conditions.setStyleSheet("")
            return
        self.conditions.setStyleSheet(f"border: 1px solid {STATE_COLOURS['unhealthy']}")
        self.condition_error.setText(f"column {column}: {error}")
        if column:
            self.conditions.setCursorPosition(max(0, column - 1))

    def _on_form_error(self, message: str) -> None:
        """The server's message under the field it names; scrolled into view (nothing typed
        is touched)."""
        self.errors.show_message(message)
        shown = [k for k in FIELD_PREFIXES if self.errors.label(k).isVisibleTo(self)]
        scroll = self._scroll_area()
        if shown and scroll is not None:
            scroll.ensureWidgetVisible(self.errors.label(shown[0]))

    def _scroll_area(self) -> QScrollArea | None:
        widget = self.parentWidget()
        while widget is not None and not isinstance(widget, QScrollArea):
            widget = widget.parentWidget()
        return widget

    def error_for(self, key: str) -> QLabel:
        """The error label of one field (a key of FIELD_PREFIXES)."""
        return self.errors.label(key)

    def form(self) -> CheckForm:
        """What the user entered."""
        locations = tuple(x.strip() for x in self.locations.text().split(",") if x.strip())
        http = HttpForm(
            self.method.currentText(), self.path.text().strip(),
            parse_headers(self.headers.toPlainText()), self.body.toPlainText(),
            self.status_min.value(), self.status_max.value(), self.follow_redirects.isChecked(),
        )  # fmt: skip
        return CheckForm(
            name=self.name.text().strip(), kind=self.kind.currentText(),
            target_kind=self.target_kind.currentText(), target_id=self.target_id.value(),
            address=self.address.text().strip(), interval_seconds=self.interval.value(),
            timeout_seconds=self.timeout.value(), conditions=self.conditions.text(),
            failure_threshold=self.failures.value(), success_threshold=self.successes.value(),
            locations=locations, quorum=self.quorum.value(), http=http,
        )  # fmt: skip

    def _on_add(self) -> None:
        if self.editing:
            self._vm.update_check(self.editing, self.form())
        else:
            self._vm.create_check(self.form())

    def _on_check_loaded(self, check_id: int, form: CheckForm, paused: bool) -> None:
        """Show a stored check for editing."""
        self.editing = check_id
        self.setTitle(f"Edit check {check_id}{' (paused)' if paused else ''}")
        self.add.setText("Save changes")
        self.new.setVisible(True)
        self.name.setText(form.name)
        self.kind.setCurrentText(form.kind)
        self.target_kind.setCurrentText(form.target_kind)
        self.target_id.setValue(form.target_id)
        self.address.setText(form.address)
        self.interval.setValue(form.interval_seconds)
        self.timeout.setValue(form.timeout_seconds)
        self.failures.setValue(form.failure_threshold)
        self.successes.setValue(form.success_threshold)
        self.locations.setText(",".join(form.locations))
        self.quorum.setValue(form.quorum)
        self.conditions.setText(form.conditions)
        h = form.http
        self.method.setCurrentText(h.method)
        self.path.setText(h.path)
        self.headers.setPlainText(format_headers(h.headers))
        self.body.setPlainText(h.body)
        self.status_min.setValue(h.status_min)
        self.status_max.setValue(h.status_max)
        self.follow_redirects.setChecked(h.follow_redirects)

    def _on_check_changed(self, check_id: int) -> None:
        if check_id == self.editing:
            self.errors.show_message("")

    def start_new(self) -> None:
        """Back to adding a check."""
        self.editing = 0
        self.setTitle("Add a check")
        self.add.setText("Add check")
        self.new.setVisible(False)
