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
    # the books' own keys (coop/services/books/charts.py KEYS); chart numbers show as they are
    "share_called": N_("Share capital called, not paid"),
    "share_paid": N_("Share capital paid"),
    "share_receivable": N_("Members' unpaid capital"),
    "opening_equity": N_("Opening balances"),
    "cash_short": N_("Cash short"),
    "cash_over": N_("Cash over"),
    "result": N_("Result awaiting allocation"),
    "retained": N_("Retained earnings"),
    "legal_reserve": N_("Legal reserve"),
    "other_reserve": N_("Other reserves"),
}

# The entries of the books (coop.services.books): their journal entries are of kind "book_entry"; the
# journal shows the book entry's own kind.
BOOK_ENTRY_KINDS: Mapping[str, str] = {
    "expense": N_("Expense"),
    "income": N_("Other income"),
    "transfer": N_("Transfer"),
    "opening": N_("Opening balances"),
    "share_subscribe": N_("Share capital subscribed"),
    "share_pay": N_("Share capital paid"),
    "share_refund": N_("Share capital refunded"),
    "cash_count": N_("Cash count difference"),
    "year_close": N_("Year-end closing"),
    "allocation": N_("Allocation of the result"),
}

ENTRY_KINDS: Mapping[str, str] = {
    **BOOK_ENTRY_KINDS,
    "sale": N_("Sale"),
    "payout": N_("Payout"),
    "tax_payment": N_("Tax payment"),
    "void": N_("Void"),
    "period_close": N_("Period closed"),
    "register_event": N_("Register change"),  # a member's, account's or the settings' values (coop.register)
}
