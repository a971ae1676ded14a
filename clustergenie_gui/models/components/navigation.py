"""Navigation: where a click or a command sends the user: a panel, a filter, an item.

API: Navigation("Jobs", filter_text="state:failed"); Navigation("Provision", item_kind="droplet",
item_id=7). A panel that can honour one defines apply_navigation(nav: Navigation) -> None;
MainWindow.navigate(nav) shows the panel and hands it over (see widgets/main_window.py).
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
