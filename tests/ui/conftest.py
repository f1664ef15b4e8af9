"""UI test fixtures: message boxes recorded instead of shown, a QSettings sandbox, login helper."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from ui import fmt, msgbox


@pytest.fixture(autouse=True)
def _quiet_ui(tmp_path, qapp):
    msgbox.SUPPRESS = True
    msgbox.SHOWN.clear()
    QCoreApplication.setOrganizationName("CoopLedgerTests")
    QCoreApplication.setApplicationName("CoopLedgerTests")
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    yield
    msgbox.SHOWN.clear()


@pytest.fixture
def ctx(coop):
    fmt.Context.refresh()
    return coop
