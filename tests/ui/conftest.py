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
    fmt.Context.locale = fmt.Context.coop_locale  # texts in English, numbers as the cooperative types them
    assert fmt.Context.locale == "fr_CD"
    return coop


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory):
    """The demo cooperative built once per session (it is slow to build); each test gets a copy of the file."""
    from coop.db import open_database
    from coop.permissions import SYSTEM
    from coop.services import demo

    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite"
    handle = open_database(path)
    demo.create(SYSTEM)
    handle.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    handle.close()
    return path


@pytest.fixture
def demo_db(_demo_template, tmp_path):
    """Overrides the shared fixture for UI tests: a fresh copy of the session's demo database."""
    import shutil

    from coop.db import open_database

    path = tmp_path / "demo.sqlite"
    shutil.copyfile(_demo_template, path)
    handle = open_database(path)
    yield handle
    handle.close()
