"""Every figure of a cooperative with awkward values, recomputed from its raw inputs (tests/figures/recompute.py,
plain Decimal, no import of the code under test) and compared to the minor unit with what the command line
printed (--json) and with the text of the printed receipts, statements and filings (read back with pypdf)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.figures.conftest import MEMBERS, SALES, as_json, ok, pdf_text


def test_the_cooperative_is_built_and_verifies(built):
    v = as_json(built.folder, "verify")
    assert v["ok"] is True and v["problems"] == [] and len(v["head"]) == 64


def test_member_balances_equal_the_recomputed_shares_less_payouts(built):
    got = {m["member_no"]: m for m in as_json(built.folder, "balance")["members"]}
    for no, _name in MEMBERS:
        expected = built.books.balance(no)
        assert got[no]["balance_minor"] == expected, no
        assert got[no]["balance"] == str(expected)  # XOF: no decimals, an exact string


def test_position_adds_up(built):
    pos = as_json(built.folder, "balance")
    b = built.books
    sales_cash = sum(f.gross_local for n, f in b.figures.items() if n not in b.voids)
    paid = sum(m for pid, _no, m, _d in b.payouts if pid not in b.payout_voids)
    taxes_paid = sum(m for *_x, m in b.tax_payments)
    assert pos["treasury"]["cash_minor"] == sales_cash - paid - taxes_paid
    assert pos["members_payable_minor"] == sum(b.balance(no) for no, _n in MEMBERS)
    levy = sum(f.levy for n, f in b.figures.items() if n not in b.voids)
    assert pos["levy_income_minor"] == levy


@pytest.mark.parametrize("sale", SALES, ids=lambda s: f"sale{s.number}")
def test_receipt_prints_the_recomputed_figures_and_the_rates_used(built, sale, tmp_path):
    fig = built.books.figures[sale.number]
    out = tmp_path / "r.pdf"
    ok(built.folder, "report", "receipt", "--sale", f"2025/{sale.number}", "--out", str(out))
    text = _plain(pdf_text(out))
    assert (
        _amount_after(text, "Valeur brute en F CFA" if sale.currency != "XOF" else "Valeur brute")
        == fig.gross_local
    )
    levy_label = f"({_pct(fig.levy_bp)})"
    assert levy_label in text and _amount_after(text, levy_label) == -fig.levy
    assert _amount_after(text, "Net aux membres") == fig.net
    assert text.count(" – ") >= len(fig.taxes)
    for key, amount in fig.taxes.items():  # every tax applied, also one that rounded to zero
        rule = next(r for r in built.books.rules if r.key == key)
        label = f"{rule.name} – {rule.authority} ({_pct(rule.rate_bp)})"
        assert text.count(label) == 1, text
        assert abs(_amount_after(text, label)) == amount  # withheld: "−x"; paid by the cooperative: "x"
    assert _price(sale.price) in text  # the price exactly as typed


def test_first_receipt_keeps_the_levy_and_royalty_it_was_computed_with(built, tmp_path):
    out = tmp_path / "r1.pdf"
    ok(built.folder, "report", "receipt", "--sale", "2025/1", "--out", str(out))
    text = _plain(pdf_text(out))
    assert "(3,33 %)" in text and "(3,50 %)" in text  # levy since set to 2.50 %, royalty replaced by 4.00 %
    assert "(2,50 %)" not in text and "(4,00 %)" not in text
    out6 = tmp_path / "r6.pdf"
    ok(built.folder, "report", "receipt", "--sale", "2025/6", "--out", str(out6))
    text6 = _plain(pdf_text(out6))
    assert "(2,50 %)" in text6 and "(4,00 %)" in text6


def test_receipt_lines_multiply_out(built, tmp_path):
    """printed fine quantity × printed price = printed value, on every lot line (rounded once)."""
    from decimal import ROUND_HALF_UP, Decimal

    for sale in SALES:
        fig = built.books.figures[sale.number]
        for ref in sale.lots:
            fine = Decimal(fig.lot_fine_milli[ref]) / 1000
            digits = 2 if sale.currency == "USD" else 0
            value = (fine * Decimal(sale.price)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
            assert int(value.scaleb(digits)) == fig.lot_values[ref]


@pytest.mark.parametrize(
    "start,end",
    [(date(2025, 1, 1), date(2025, 3, 31)), (date(2025, 4, 1), date(2025, 6, 30))],
    ids=["Q1", "Q2"],
)
def test_tax_summary_per_quarter_equals_the_recomputation(built, start, end):
    got = as_json(built.folder, "tax-summary", "--from", start.isoformat(), "--to", end.isoformat())
    want = built.books.tax_period(start, end)
    rows = {t["rule_id"]: (t["base_minor"], t["due_minor"]) for t in got["taxes"]}
    assert rows == {built.rule_ids[k]: v for k, v in want["rows"].items()}
    assert got["untaxed_base_minor"] == want["untaxed"]
    assert [(a["receipt"], a["gross_minor"], a["tax_minor"]) for a in got["adjustments"]] == [
        (f"2025/{n}", g, t) for n, g, t in want["adjustments"]
    ]
    assert got["due_minor"] == want["due"] and got["paid_minor"] == want["paid"]
    assert got["balance_minor"] == want["due"] - want["paid"]
    for t in got["taxes"]:  # rate × base, rounded once, printed beside the per-sale sum
        assert t["rate_times_base_minor"] == _half_up(t["base_minor"] * t["rate_bp"], 10_000)


def test_a_tax_that_rounded_to_zero_is_in_the_base(built):
    got = as_json(built.folder, "tax-summary", "--from", "2025-02-01", "--to", "2025-02-28")
    fee = next(t for t in got["taxes"] if t["rule_id"] == built.rule_ids["fee"])
    assert fee["due_minor"] == 0 and fee["base_minor"] == built.books.figures[2].gross_local == 30


def test_first_quarter_filed_is_unchanged_by_the_later_void(built, tmp_path):
    now = as_json(built.folder, "tax-summary", "--from", "2025-01-01", "--to", "2025-03-31")
    assert now == built.q1_before and now["final"] is True and len(now["chain_head"]) == 64
    out = tmp_path / "q1-b.pdf"
    ok(built.folder, "report", "tax-filing", "--from", "2025-01-01", "--to", "2025-03-31", "--out", str(out))
    assert _without_print_date(pdf_text(out)) == _without_print_date(built.q1_filing_before)


def test_second_quarter_filing_names_the_void_of_the_first_quarters_sale(built, tmp_path):
    out = tmp_path / "q2.pdf"
    ok(built.folder, "report", "tax-filing", "--from", "2025-04-01", "--to", "2025-06-30", "--out", str(out))
    text = _plain(pdf_text(out))
    fig = built.books.figures[1]
    assert "2025-1" in text and "-" + _n(fig.gross_local) in text.replace("−", "-"), text
    want = built.books.tax_period(date(2025, 4, 1), date(2025, 6, 30))
    assert _n(want["due"]).lstrip("-") in text


@pytest.mark.parametrize("no", [m[0] for m in MEMBERS])
@pytest.mark.parametrize("start", [date(2025, 1, 1), date(2025, 4, 1)], ids=["year", "from-Q2"])
def test_statement_lines_and_totals_reconcile(built, no, start, tmp_path):
    pdf = tmp_path / f"st-{no}.pdf"
    got = as_json(
        built.folder, "statement", no, "--from", start.isoformat(), "--to", "2025-12-31", "--pdf", str(pdf)
    )
    b = built.books
    moves = [m for m in b.movements(no) if m[0] >= start]
    assert [(ln["date"], ln["kind"], ln["amount_minor"]) for ln in got["lines"]] == [
        (d.isoformat(), k, a) for d, k, a in moves
    ]
    opening = b.balance(no, until=date.fromordinal(start.toordinal() - 1))
    assert got["opening_minor"] == opening
    running = opening
    for ln in got["lines"]:
        running += ln["amount_minor"]
        assert ln["balance_minor"] == running
    closing = got["opening_minor"] + got["earned_minor"] - got["sales_reversed_minor"] - got["paid_minor"]
    closing += got["payouts_reversed_minor"]
    assert closing == got["closing_minor"] == b.balance(no)  # and the ledger agrees
    assert as_json(built.folder, "balance", "--member", no)["balance_minor"] == got["closing_minor"]
    text = _plain(pdf_text(pdf))
    credits = sum(a for _d, _k, a in moves if a > 0)
    debits = -sum(a for _d, _k, a in moves if a < 0)
    assert opening + credits - debits == got["closing_minor"]
    assert _n(got["closing_minor"]) in text and _n(credits) in text and _n(debits) in text
    if any(k == "void" for _d, k, _a in moves):
        assert "Contrepassation" in text or "annul" in text.lower()


def test_summary_json_counts_and_head(built):
    s = as_json(built.folder, "summary")
    assert s["posted_sales"] == len(SALES) - 1  # the first is voided
    assert s["position"]["members_payable_minor"] == sum(built.books.balance(no) for no, _n in MEMBERS)
    assert s["chain_head"] == as_json(built.folder, "verify")["head"]


# --- helpers: the printed numbers of the French (Burkina Faso) documents --------------------------------


def _amount_after(text: str, label: str) -> int:
    """The first amount printed after `label` (XOF: whole units, "−" for a deduction)."""
    import re

    rest = text.split(label, 1)[1]
    found = re.search(r"([−-]?)\s*(?:F\s*CFA\s*)?(\d{1,3}(?: \d{3})*)(?![,\d]| \d)", rest)
    assert found, rest[:200]
    value = int(found.group(2).replace(" ", ""))
    return -value if found.group(1) else value


def _plain(text: str) -> str:
    """Digit groups joined: babel's narrow and plain no-break spaces (and pypdf's rendering of them) go."""
    for space in ("\u202f", "\u00a0"):
        text = text.replace(space, " ")
    return text


def _n(minor: int) -> str:
    """An XOF amount as printed in fr_BF: groups of three separated by a space."""
    sign = "-" if minor < 0 else ""
    return sign + f"{abs(minor):,}".replace(",", " ")


def _pct(bp: int) -> str:
    return f"{bp // 100},{bp % 100:02d} %"


def _price(typed: str) -> str:
    whole, _dot, frac = typed.partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return grouped + ("," + frac if frac else "")


def _half_up(numerator: int, denominator: int) -> int:
    q, r = divmod(numerator, denominator)
    return q + (1 if 2 * r >= denominator else 0)


def _without_print_date(text: str) -> str:
    """A reprint differs only in the line saying when it was printed."""
    return "\n".join(ln for ln in text.splitlines() if "Imprimé" not in ln and "Édité" not in ln)
