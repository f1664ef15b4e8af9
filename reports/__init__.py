"""Printed documents: `build(kind, actor, **params) -> PDF bytes` for the UI and the `report` command."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError

from coop import i18n
from coop.i18n import N_
from coop.permissions import Actor

if TYPE_CHECKING:  # the data layer is imported when a document is built, not at desktop start-up
    from coop.services.documents.header import CoopHeader

KINDS: dict[str, str] = {
    "receipt": N_("Sale receipt"),
    "voucher": N_("Payout voucher"),
    "tax-slip": N_("Tax payment slip"),
    "statement": N_("Member earnings statement"),
    "tax-filing": N_("Tax filing"),
    "production": N_("Production report"),
    "safety": N_("Safety report"),
    "mercury": N_("Mercury report"),
    "census": N_("Member register / census"),
    "custody": N_("Chain of custody"),
    "annual": N_("Annual report"),
    "anchor_slip": N_("Anchor slip (chain head to sign)"),
    "cash-book": N_("Cash book"),
    "general-ledger": N_("General ledger"),
    "trial-balance": N_("Trial balance"),
    "income-statement": N_("Income statement"),
    "balance-sheet": N_("Balance sheet"),
}


def document_locale(coop: CoopHeader, lang: str | None) -> tuple[str, str]:
    """(language, formatting locale): the cooperative's by default; another language keeps its country."""
    coop_lang = coop.locale.split("_")[0]
    if not lang or lang == coop_lang or lang == coop.locale:
        return coop_lang, coop.locale
    base = lang.split("_")[0]
    if "_" in lang:
        return base, lang
    for candidate in (f"{base}_{coop.country}", base):
        try:
            Locale.parse(candidate)
            return base, candidate
        except (ValueError, UnknownLocaleError):
            continue
    return base, "en"


def make_ctx(lang: str | None = None, printed: date | None = None) -> Any:
    from coop.services.documents import header
    from reports.base import Ctx

    coop = header.header()
    language, locale = document_locale(coop, lang)
    return Ctx(coop, language, locale, printed or date.today(), header.chain_prefix())


def _builders() -> dict[str, Callable[..., bytes]]:
    from reports import books, documents

    return documents.BUILDERS | books.BUILDERS


def build(kind: str, actor: Actor, **params: Any) -> bytes:
    """Render one document as PDF bytes after checking the actor may see it (see KINDS for the kinds)."""
    builders = _builders()
    if kind not in builders:
        raise ValueError(f"unknown report kind {kind!r}")
    lang = params.pop("lang", None)
    printed = params.pop("printed", None)
    ctx = make_ctx(lang, printed)
    with i18n.language(ctx.lang, ctx.locale):
        return builders[kind](ctx, actor, **params)


def each_statement(
    actor: Actor, start: date, end: date, lang: str | None = None
) -> Iterator[tuple[str, bytes]]:
    """(member number, PDF) for every member with a balance or movement: the one-file-per-member batch."""
    from coop.services import statements
    from reports.statement import render_statements

    ctx = make_ctx(lang)
    for s in statements.statements_data(actor, start, end, all=True):
        # entered per document, not across the yield: the caller's code between items keeps its language
        with i18n.language(ctx.lang, ctx.locale):
            pdf = render_statements(ctx, [s])
        yield s.member_no, pdf
