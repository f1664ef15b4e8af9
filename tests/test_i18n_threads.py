"""A document built in another language on a worker thread leaves the UI's (process-wide) language alone."""

from __future__ import annotations

import threading
from datetime import date

import pytest

import reports
from coop import i18n
from coop.i18n import _
from coop.permissions import SYSTEM
from reports import documents
from tests.reports.conftest import flat, pdf_text

WAIT = 60  # seconds: generous for a loaded CI machine, a hang fails instead of blocking the run


def _in_thread(fn):
    """Run fn on a new thread (an empty context, as a worker's) and return what it returned."""
    out: dict[str, object] = {}
    t = threading.Thread(target=lambda: out.setdefault("value", fn()))
    t.start()
    t.join(WAIT)
    assert not t.is_alive()
    return out["value"]


def test_override_applies_to_its_block_only():
    i18n.set_language("en")
    with i18n.language("fr", "fr_CD"):
        assert _("Gross value") == "Valeur brute"
        assert i18n.current_language() == "fr" and i18n.current_locale() == "fr_CD"
        assert i18n.ngettext("{count} row", "{count} rows", 2) == "{count} lignes"
        assert i18n.pgettext("receipt mark", "DUPLICATE") == "DUPLICATA"
        assert i18n.format_money(150_000, "CDF") == i18n.format_money(150_000, "CDF", "fr_CD")
        assert i18n.format_date(date(2026, 1, 6)) == i18n.format_date(date(2026, 1, 6), "fr_CD")
        assert _in_thread(lambda: _("Gross value")) == "Gross value"  # another thread: the UI language
    assert _("Gross value") == "Gross value"
    assert i18n.format_money(150_000, "CDF") == i18n.format_money(150_000, "CDF", "en")


def test_a_new_thread_speaks_the_process_wide_language_not_english():
    i18n.set_language("fr")
    assert _in_thread(lambda: (_("Gross value"), i18n.current_language())) == ("Valeur brute", "fr")
    assert _in_thread(lambda: i18n.format_decimal(1234.5)) == i18n.format_decimal(1234.5, "fr")


def test_set_language_inside_a_block_is_kept_after_it():
    with i18n.language("fr"):
        i18n.set_language("es")
        assert _("Gross value") == "Valeur brute"  # the block's language still wins inside it
    assert i18n.current_language() == "es" and _("Gross value") == "Valor bruto"


def test_french_receipt_on_a_worker_while_the_ui_speaks_english(coop, monkeypatch):
    sale_id = coop.sell([coop.lot()])
    inside, go_on = threading.Event(), threading.Event()
    real = documents.BUILDERS["receipt"]

    def paused(ctx, actor, **params):
        inside.set()  # the worker is now inside its French block
        assert go_on.wait(WAIT)
        return real(ctx, actor, **params)

    monkeypatch.setitem(documents.BUILDERS, "receipt", paused)
    result: dict[str, bytes] = {}
    worker = threading.Thread(
        target=lambda: result.setdefault("pdf", reports.build("receipt", SYSTEM, sale_id=sale_id, lang="fr"))
    )
    i18n.set_language("en")
    worker.start()
    try:
        assert inside.wait(WAIT)
        # the UI thread during the build
        assert _("Gross value") == "Gross value" and i18n.current_language() == "en"
        i18n.set_language("es")  # the user switches the UI while the document is being built
    finally:
        go_on.set()
        worker.join(WAIT)
    text = flat(pdf_text(result["pdf"]))
    assert "Valeur brute" in text and "Reçu de vente" in text and "Gross value" not in text
    assert "Valor bruto" not in text
    assert i18n.current_language() == "es" and _("Gross value") == "Valor bruto"  # not undone by the build


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_build_on_the_main_thread_restores_nothing_it_did_not_set(coop, lang):
    sale_id = coop.sell([coop.lot()])
    i18n.set_language("sw")
    reports.build("receipt", SYSTEM, sale_id=sale_id, lang=lang)
    assert i18n.current_language() == "sw"
