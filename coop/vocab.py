"""The vocabularies shared by the core, the UI, the documents and the CLI: stored value -> label message id.

Each is defined here once; everyone else reads it (choices, validation, combo boxes, receipts, CLI lines).
Labels are untranslated message ids: translate them where they are shown, with `label()` or `_()`.
"""

from __future__ import annotations

from collections.abc import Mapping

from coop.i18n import N_

# How money moves; each method is also the ledger's treasury account of that name.
PAYMENT_METHODS: Mapping[str, str] = {
    "cash": N_("Cash"),
    "mobile_money": N_("Mobile money"),
    "bank": N_("Bank"),
}

# The states of sales, payouts, tax payments (draft -> posted -> voided) and incidents.
RECORD_STATES: Mapping[str, str] = {
    "draft": N_("Draft"),
    "posted": N_("Posted"),
    "voided": N_("Voided"),
    "open": N_("Open"),
    "investigating": N_("Investigating"),
    "closed": N_("Closed"),
}

# A production lot: in stock -> sold (back in stock when its sale is voided), or voided.
LOT_STATES: Mapping[str, str] = {
    "in_stock": N_("In stock"),
    "sold": N_("Sold"),
    "voided": N_("Voided"),
}

# Messages of a void: every void asks for a reason, and only a posted record can be voided.
VOID_REASON_REQUIRED = N_("Give a reason for the void.")
VOID_NOT_POSTED = N_("Only a posted record can be voided.")
VOIDED_BECAUSE = N_("Voided: {reason}")


def label(vocabulary: Mapping[str, str], value: str) -> str:
    """The translated label of `value` (the value itself when the vocabulary does not know it)."""
    from coop.i18n import _

    text = vocabulary.get(value)
    return _(text) if text else value
