"""The auditor's "Check receipts…" dialog: typed and loaded hashes, each shown as matching or not."""

from __future__ import annotations

from coop.models import Sale
from coop.permissions import SYSTEM
from ui.anchors import CheckReceiptsDialog
from ui.none_guard import keep_none_alive


def test_typed_and_loaded_receipts_are_checked_one_by_one(qtbot, demo_db, tmp_path):
    keep_none_alive()
    good, bad = Sale.select().where(Sale.state != "draft").order_by(Sale.id).limit(2)
    wrong = ("0" if bad.chain_hash[0] != "0" else "1") + bad.chain_hash[1:16]
    listed = tmp_path / "receipts.txt"
    listed.write_text(f"{bad.series}/{bad.receipt_no}:{wrong}\n")
    dialog = CheckReceiptsDialog(SYSTEM)
    qtbot.addWidget(dialog)
    dialog.text.setPlainText(f"{good.series}/{good.receipt_no}:{good.chain_hash[:16].upper()}\nnot an anchor")
    dialog.load_file(str(listed))
    dialog.check()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3, timeout=20000)
    results = [dialog.table.item(row, 2).text() for row in range(3)]
    assert results[0] == "matches the chain"
    assert "is not an anchor" in results[1]
    assert f"receipt {bad.series}/{bad.receipt_no}" in results[2] and "does not match" in results[2]
    assert dialog.summary.text() == "1 of 3 match the chain."
