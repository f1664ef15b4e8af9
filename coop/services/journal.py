"""The journal and audit-log views' vocabulary: labels of the ledger accounts and of journal entry kinds."""

from __future__ import annotations

from collections.abc import Mapping

from coop import vocab
from coop.i18n import N_

ACCOUNT_LABELS: Mapping[str, str] = {
    **vocab.PAYMENT_METHODS,  # one treasury account per payment method
    "member_payable": N_("Owed to members"),
    "levy_income": N_("Levy income"),
    "tax_payable": N_("Tax payable"),
    "tax_expense": N_("Tax expense"),
}

ENTRY_KINDS: Mapping[str, str] = {
    "sale": N_("Sale"),
    "payout": N_("Payout"),
    "tax_payment": N_("Tax payment"),
    "void": N_("Void"),
}
