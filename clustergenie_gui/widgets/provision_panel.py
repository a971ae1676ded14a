"""ProvisionPanel: clusters, the create form, and droplets (one cluster's, or all) with actions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.client.types import Cluster, Droplet, Job
from clustergenie_gui.models.cluster_list_model import can_change
from clustergenie_gui.models.components.navigation import Navigation, logs_of
from clustergenie_gui.models.droplet_table_model import DropletAction, allowed_actions
from clustergenie_gui.viewmodels.provisioning_viewmodel import ProvisioningViewModel
from clustergenie_gui.widgets.common import ErrorLabel, panel_header
from clustergenie_gui.widgets.components.confirm import TypeNameDialog, ask
from clustergenie_gui.widgets.components.data_table import DataTable
from clustergenie_gui.widgets.components.theme import set_role
from clustergenie_gui.widgets.create_cluster_form import CreateClusterForm
from clustergenie_gui.widgets.resize_dialog import ResizeDialog

# Actions that may run on many droplets at once; resize asks for a size, so one at a time.
_BULK = frozenset(
    {DropletAction.REBOOT, DropletAction.POWER_OFF, DropletAction.POWER_ON, DropletAction.DESTROY}
)


def _names(droplets: list[Droplet]) -> str:
    shown = ", ".join(d.name for d in droplets[:5])
    return shown + (f" and {len(droplets) - 5} more" if len(droplets) > 5 else "")


class ProvisionPanel(QWidget):
    """Create clusters and act on droplets; buttons follow the selected droplets' states.

    Signals:
        navigate_requested(object): a Navigation (a link to an action's job, or Show logs).
    """

    navigate_requested = Signal(object)

    def __init__(self, provisioning: ProvisioningViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vm = provisioning
        self.confirm_box: QMessageBox | None = None
        self.delete_dialog: TypeNameDialog | None = None
        self.resize_dialog: ResizeDialog | None = None
        self._cluster_id = 0  # the selected cluster's (0: none, every droplet shows)

        self.cluster_table = DataTable(
            provisioning.clusters,
            "clusters",
            "No clusters yet.\nFill in “New cluster” below and press Create cluster.",
        )
        self.cluster_view = self.cluster_table.view
        self.cluster_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.form = CreateClusterForm(provisioning)

        self.droplet_table = DataTable(
            provisioning.droplets, "droplets", "No droplets here yet: create a cluster first."
        )
        self.proxy = self.droplet_table.proxy
        self.proxy.set_row_predicate(self._in_selected_cluster)
        self.droplet_view = self.droplet_table.view

        self.droplets_title = QLabel("Droplets")
        set_role(self.droplets_title, "section")
        self.add_count = QSpinBox()
        self.add_count.setRange(1, 50)
        self.add_count.setAccessibleName("Droplets to add")
        self.add_button = self._button("Add droplets", "add_droplets", self._on_add_clicked)
        self.delete_button = self._button(
            "Delete cluster…", "delete_cluster", self._on_delete_clicked
        )
        # Red only while enabled, so a disabled Delete greys out like the other buttons.
        set_role(self.delete_button, "danger")
        self.action_buttons: dict[DropletAction, QPushButton] = {
            DropletAction.RESIZE: self._button("Resize…", "resize", self._on_resize_clicked),
            DropletAction.REBOOT: self._button(
                "Reboot…", "reboot", self._confirmed(DropletAction.REBOOT)
            ),
            DropletAction.POWER_OFF: self._button(
                "Power off…", "power_off", self._confirmed(DropletAction.POWER_OFF)
            ),
            DropletAction.POWER_ON: self._button(
                "Power on", "power_on", self._confirmed(DropletAction.POWER_ON)
            ),
            DropletAction.DESTROY: self._button(
                "Destroy…", "destroy", self._confirmed(DropletAction.DESTROY)
            ),
        }
        # Reading logs changes nothing: no role gate.
        self.logs_button = self._button("Show logs", "show_logs", self._on_logs_clicked)
        self.logs_button.setToolTip(
            "The selected droplet's lines (or the cluster's) in the Logs panel (Ctrl+L)"
        )
        self.droplet_table.mirror(*self.action_buttons.values(), self.logs_button)
        self.droplet_table.set_delete_button(self.action_buttons[DropletAction.DESTROY])
        self.cluster_table.mirror(self.add_button, self.delete_button)
        self.cluster_table.set_delete_button(self.delete_button)
        self.action_error = ErrorLabel()
        self.action_error.setObjectName("action_error")
        self.job_link = QLabel()
        self.job_link.setObjectName("action_job_link")
        self.job_link.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.job_link.setOpenExternalLinks(False)
        self.job_link.hide()
        self._build_layout()

        self.cluster_table.selection_changed.connect(self._on_cluster_selected)
        self.cluster_table.activated.connect(lambda _c: self.droplet_view.setFocus())
        self.droplet_table.selection_changed.connect(self._update_buttons)
        self.droplet_table.activated.connect(self._on_droplet_activated)
        for model in (provisioning.clusters, self.proxy):
            model.dataChanged.connect(self._update_buttons)
            model.rowsInserted.connect(self._update_buttons)
            model.rowsRemoved.connect(self._update_buttons)
            model.modelReset.connect(self._update_buttons)
        provisioning.action_error.connect(self.action_error.show_message)
        provisioning.cluster_created.connect(self._on_cluster_created)
        provisioning.action_started.connect(self._on_action_started)
        provisioning.cluster_jobs_started.connect(self._on_cluster_jobs_started)
        self.job_link.linkActivated.connect(self._on_job_link)
        self._update_buttons()

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _build_layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        clusters_title = QLabel("Clusters")
        set_role(clusters_title, "section")
        left_layout.addWidget(clusters_title)
        left_layout.addWidget(self.cluster_table, 1)
        left_layout.addWidget(self.form)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        # Show logs sits by the title: beside the five action buttons the panel was too wide
        # for a 1024 px window.
        title_row = QHBoxLayout()
        title_row.addWidget(self.droplets_title)
        title_row.addStretch(1)
        title_row.addWidget(self.logs_button)
        right_layout.addLayout(title_row)
        cluster_row = QHBoxLayout()
        cluster_row.addStretch(1)
        cluster_row.addWidget(self.add_count)
        cluster_row.addWidget(self.add_button)
        cluster_row.addWidget(self.delete_button)
        right_layout.addLayout(cluster_row)
        right_layout.addWidget(self.droplet_table, 1)
        droplet_row = QHBoxLayout()
        for button in self.action_buttons.values():
            droplet_row.addWidget(button)
        droplet_row.addStretch(1)
        right_layout.addLayout(droplet_row)
        right_layout.addWidget(self.job_link)
        right_layout.addWidget(self.action_error)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([420, 820])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(
            panel_header(
                "Provision", "Create clusters of droplets and power, resize or destroy them."
            )
        )
        layout.addWidget(splitter, 1)

    # Selection -----------------------------------------------------------------------

    def selected_cluster(self) -> Cluster | None:
        """The cluster selected in the list, if any."""
        cluster = self.cluster_table.current_item()
        return cluster if isinstance(cluster, Cluster) else None

    def selected_droplets(self) -> list[Droplet]:
        """The droplets selected in the table, in view order."""
        return [d for d in self.droplet_table.selected_items() if isinstance(d, Droplet)]

    def selected_droplet(self) -> Droplet | None:
        """The first selected droplet, if any."""
        droplets = self.selected_droplets()
        return droplets[0] if droplets else None

    def select_cluster(self, cluster_id: int) -> None:
        """Select the cluster with cluster_id in the list."""
        self.cluster_table.select_id(cluster_id)

    def select_droplet(self, droplet_id: int) -> None:
        """Show droplet_id's cluster and select the droplet."""
        droplet = self._vm.droplets.get(droplet_id)
        if droplet is None:
            return
        self.select_cluster(droplet.cluster_id)
        self.droplet_table.select_id(droplet_id)
        self.droplet_view.setFocus()

    def apply_navigation(self, nav: Navigation) -> None:
        """Open a cluster or a droplet, or filter every cluster's droplets."""
        if nav.item_kind == "cluster":
            self.select_cluster(nav.item_id)
            self.cluster_view.setFocus()
        elif nav.item_kind == "droplet":
            self.droplet_table.set_filter_text(nav.filter_text)
            self.select_droplet(nav.item_id)
        else:
            self.cluster_table.selection.select_ids([])
            self.droplet_table.set_filter_text(nav.filter_text)
            self.droplet_view.setFocus()

    def logs_navigation(self) -> Navigation | None:
        """The selected droplet's logs; with none (or several) selected, the cluster's."""
        droplets = self.selected_droplets()
        if len(droplets) == 1:
            return logs_of(droplet=droplets[0].name)
        cluster = self.selected_cluster()
        return logs_of(cluster=cluster.name) if cluster is not None else None

    def _on_logs_clicked(self) -> None:
        nav = self.logs_navigation()
        if nav is not None:
            self.navigate_requested.emit(nav)

    def _in_selected_cluster(self, droplet: Droplet) -> bool:
        return not self._cluster_id or droplet.cluster_id == self._cluster_id

    def _on_cluster_selected(self) -> None:
        cluster = self.selected_cluster()
        cluster_id = cluster.id if cluster else 0
        if cluster_id != self._cluster_id:
            self._cluster_id = cluster_id
            self.proxy.refilter()
        # Every cluster's droplets show when none is chosen: then the Cluster column matters.
        self.droplet_view.setColumnHidden(self._vm.droplets.CLUSTER, cluster is not None)
        self.action_error.show_message("")
        self._update_buttons()

    def _on_cluster_created(self, cluster: Cluster) -> None:
        self.select_cluster(cluster.id)

    def _update_buttons(self, *_args: object) -> None:
        cluster = self.selected_cluster()
        if cluster is None:
            self.droplets_title.setText("Droplets of every cluster")
        else:
            self.droplets_title.setText(f"Droplets in {cluster.name}")
        changeable = can_change(cluster)
        self.add_button.setEnabled(changeable)
        self.add_count.setEnabled(changeable)
        self.delete_button.setEnabled(changeable)
        droplets = self.selected_droplets()
        allowed = self._allowed(droplets)
        for action, button in self.action_buttons.items():
            button.setEnabled(action in allowed)
        self.logs_button.setEnabled(self.logs_navigation() is not None)

    @staticmethod
    def _allowed(droplets: list[Droplet]) -> frozenset[DropletAction]:
        """What every selected droplet allows (resize: one droplet only)."""
        if not droplets:
            return frozenset()
        allowed = allowed_actions(droplets[0])
        for droplet in droplets[1:]:
            allowed &= allowed_actions(droplet)
        return allowed & _BULK if len(droplets) > 1 else allowed

    # Actions -------------------------------------------------------------------------

    def _confirmed(self, action: DropletAction) -> Callable[[], None]:
        runs: dict[DropletAction, Callable[[int], object]] = {
            DropletAction.REBOOT: self._vm.reboot,
            DropletAction.POWER_OFF: self._vm.power_off,
            DropletAction.POWER_ON: self._vm.power_on,
            DropletAction.DESTROY: self._vm.destroy,
        }
        questions = {
            DropletAction.REBOOT: ("Reboot", "{It} stops serving while it restarts."),
            DropletAction.POWER_OFF: (
                "Power off",
                "{It} stops serving until powered on again; disks and IPs are kept.",
            ),
            DropletAction.DESTROY: (
                "Destroy",
                "Disks and IPs are gone and this cannot be undone.",
            ),
        }

        def run() -> None:
            droplets = [d for d in self.selected_droplets() if action in allowed_actions(d)]
            if not droplets:
                return

            def go() -> None:
                for droplet in droplets:
                    runs[action](droplet.id)

            if action not in questions:
                go()
                return
            verb, detail = questions[action]
            many = len(droplets) > 1
            detail = detail.format(It="Each" if many else "It")
            count = f"{len(droplets)} droplets" if many else "droplet"
            self.confirm_box = ask(
                self,
                f"{verb} {count} {_names(droplets)}?",
                detail,
                verb,
                go,
                danger=action is DropletAction.DESTROY,
            )

        return run

    def _on_add_clicked(self) -> None:
        cluster = self.selected_cluster()
        if cluster is not None:
            self._vm.add_droplets(cluster.id, self.add_count.value(), "")

    def _on_resize_clicked(self) -> None:
        droplet = self.selected_droplet()
        if droplet is None:
            return
        self.resize_dialog = ResizeDialog(droplet, self._vm.catalog, self)
        self.resize_dialog.accepted.connect(self._on_resize_accepted)
        self.resize_dialog.open()

    def _on_resize_accepted(self) -> None:
        dialog = self.resize_dialog
        if dialog is not None and dialog.chosen_size():
            self._vm.resize(dialog.droplet_id, dialog.chosen_size())

    def _on_delete_clicked(self) -> None:
        cluster = self.selected_cluster()
        if cluster is None:
            return
        self.delete_dialog = TypeNameDialog(
            self,
            "cluster",
            cluster.name,
            f"Its {cluster.droplet_count} droplet(s) are destroyed.",
            lambda: self._vm.delete_cluster(cluster.id),
        )
        self.delete_dialog.finished.connect(self._on_delete_dialog_finished)

    def _on_delete_dialog_finished(self, _result: int) -> None:
        self.delete_dialog = None

    def _on_action_started(self, job: Job, droplet_name: str) -> None:
        self.job_link.setText(
            f"{job.kind.label.capitalize()} of {droplet_name} started as "
            f"<a href='job:{job.id}'>job #{job.id}</a> — open it in Jobs."
        )
        self.job_link.setProperty("job_target", droplet_name)
        self.job_link.show()

    def _on_cluster_jobs_started(self, jobs: list[Job], cluster_name: str) -> None:
        kinds = sorted({job.kind.label for job in jobs})
        self.job_link.setText(
            f"{' and '.join(kinds).capitalize()} for {cluster_name}: "
            f"<a href='job:{jobs[0].id}'>{len(jobs)} job(s)</a> — follow them in Jobs."
        )
        self.job_link.setProperty("job_target", cluster_name)
        self.job_link.show()

    def _on_job_link(self, link: str) -> None:
        job_id = int(link.partition(":")[2] or 0)
        target = str(self.job_link.property("job_target") or "")
        self.navigate_requested.emit(Navigation("Jobs", f"target:{target}", "job", job_id))

    def _on_droplet_activated(self, droplet: Droplet) -> None:
        """Enter on a droplet opens its history: its jobs."""
        self.navigate_requested.emit(Navigation("Jobs", f"target:{droplet.name}"))
