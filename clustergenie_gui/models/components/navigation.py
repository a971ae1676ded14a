"""Navigation: where a click or a command sends the user: a panel, a filter, an item.

API: Navigation("Jobs", filter_text="state:failed"); Navigation("Provision", item_kind="droplet",
item_id=7); logs_of(droplet="web-1") opens the Logs panel on that droplet's lines. A panel that
can honour one defines apply_navigation(nav: Navigation) -> None; MainWindow.navigate(nav) shows
the panel and hands it over (see widgets/main_window.py). A panel whose selection has logs
defines logs_navigation() -> Navigation | None, which Ctrl+L (MainWindow.show_selection_logs)
opens.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Navigation:
    """Open panel; filter its table by filter_text; select item_kind item_id when given."""

    panel: str
    filter_text: str = ""
    item_kind: str = ""  # "cluster", "droplet", "job", ... ("" for none)
    item_id: int = 0


def _quoted(value: str) -> str:
    """A LogQL string: backslashes and double quotes escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def logs_of(*, droplet: str = "", cluster: str = "") -> Navigation | None:
    """The Logs panel filtered to a droplet's lines (or, when only it is known, a cluster's).

    The one way every panel's "Show logs" (and Ctrl+L) says what to show: the Logs panel runs
    filter_text as its query. None when neither name is known.
    """
    if droplet:
        return Navigation("Logs", "{droplet=" + _quoted(droplet) + "}")
    if cluster:
        return Navigation("Logs", "{cluster=" + _quoted(cluster) + "}")
    return None
