"""Defects the click-through found, each kept by a test through the real widgets."""

from __future__ import annotations

from coop import i18n
from coop.i18n import _
from tests.ui import clickkit
from ui.app import apply_language, open_main


def test_a_language_switch_redraws_the_hidden_dashboard_only_when_it_is_shown(
    qtbot, qapp, demo_db, monkeypatch
):
    """Switching language redrew the dashboard's charts even on another page (about a second per switch,
    the window frozen meanwhile); they are redrawn in the new language when the dashboard is shown."""
    window = open_main(qapp, clickkit.sign_in("manager"), "en")
    qtbot.addWidget(window)
    try:
        window.show()
        dashboard = window.show_area("dashboard")
        qtbot.waitUntil(lambda: dashboard._shown is not None and not dashboard.pending, timeout=30_000)
        window.show_area("sales")
        drawn: list[str] = []
        real = type(dashboard)._render
        monkeypatch.setattr(
            type(dashboard), "_render", lambda self, d: (drawn.append(i18n.current_language()), real(self, d))
        )
        window.lang_actions["fr"].trigger()
        assert drawn == []
        window.show_area("dashboard")
        assert drawn == ["fr"]
        titles = " ".join(" ".join(ax.get_title().split()) for ax in dashboard.figure.axes)
        assert _("Incidents by category") in titles
    finally:
        apply_language(qapp, "en")
