"""A cooperative's figures recomputed from its CSV exports alone (csv module + Decimal): imports nothing from
coop, cli or reports, and not tests/figures/recompute.py either, so neither the application nor the other
recomputation can hide a wrong rule by being reused here."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

# ISO 4217 minor digits of the currencies the two cooperatives use
DIGITS = {"XOF": 0, "USD": 2, "CDF": 2, "EUR": 2}
TABLES = (
    "sales", "sale_lot", "lots", "members", "payouts", "tax_payments", "tax_rules", "postings",
    "journal_entries", "journal", "buyers", "minerals", "audit",
)  # fmt: skip


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def half_up(value: Decimal, places: int = 0) -> int:
    """`value` rounded half away from zero to `places` decimals, as an integer count of 10^-places."""
    with localcontext(prec=80):
        return int(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).scaleb(places))


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    wsum = sum(weights)
    with localcontext(prec=80):
        exact = [Decimal(total) * w / wsum for w in weights]
    parts = [int(x // 1) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def milli(text: str) -> int:
    value = Decimal(text) * 1000
    assert value == value.to_integral_value(), text
    return int(value)


@dataclass
class SaleFigures:
    sale_id: int
    reference: str  # series/receipt_no
    day: date
    state: str
    lot_values: list[int]
    gross: int
    gross_local: int
    levy: int
    taxes: dict[int, int]  # rule id -> amount
    withheld: int
    net: int
    shares: dict[str, int]  # member no -> amount


@dataclass
class Recomputed:
    local: str
    sales: dict[int, SaleFigures] = field(default_factory=dict)
    sale_voids: dict[int, date] = field(default_factory=dict)
    payouts: list[tuple[int, str, int, date]] = field(default_factory=list)  # id, member no, minor, day
    payout_voids: dict[int, date] = field(default_factory=dict)
    tax_payments: list[tuple[date, date, int]] = field(default_factory=list)  # from, to, minor
    members: list[str] = field(default_factory=list)
    rules: dict[int, dict[str, str]] = field(default_factory=dict)
    payable_by_postings: dict[str, int] = field(default_factory=dict)  # member no -> credit balance
    # other entries on members' accounts (the demo's year-end allocation of the surplus): taken as posted,
    # not recomputed here
    book_moves: list[tuple[str, date, int]] = field(default_factory=list)

    # --- members ---------------------------------------------------------------------------------------
    def movements(self, no: str) -> list[tuple[date, str, int]]:
        out = []
        for sid, f in self.sales.items():
            if no in f.shares:
                out.append((f.day, "sale", f.shares[no]))
                if sid in self.sale_voids:
                    out.append((self.sale_voids[sid], "sale_void", -f.shares[no]))
        for pid, who, minor, day in self.payouts:
            if who == no:
                out.append((day, "payout", -minor))
                if pid in self.payout_voids:
                    out.append((self.payout_voids[pid], "payout_void", minor))
        out += [(day, "book_entry", amount) for who, day, amount in self.book_moves if who == no]
        return out

    def balance(self, no: str) -> int:
        return sum(a for _d, _k, a in self.movements(no))

    def statement(self, no: str, start: date, end: date) -> dict[str, int]:
        moves = self.movements(no)
        within = [(k, a) for d, k, a in moves if start <= d <= end]
        opening = sum(a for d, _k, a in moves if d < start)
        totals = {
            "opening_minor": opening,
            "earned_minor": sum(a for k, a in within if k == "sale"),
            "sales_reversed_minor": -sum(a for k, a in within if k == "sale_void"),
            "paid_minor": -sum(a for k, a in within if k == "payout"),
            "payouts_reversed_minor": sum(a for k, a in within if k == "payout_void"),
            "book_entries_minor": sum(a for k, a in within if k == "book_entry"),
        }
        totals["closing_minor"] = opening + sum(a for _k, a in within)
        return totals

    # --- taxes -----------------------------------------------------------------------------------------
    def tax_period(self, start: date, end: date) -> dict:
        base: dict[int, int] = {}
        due: dict[int, int] = {}
        untaxed = 0

        def count(f: SaleFigures, sign: int) -> None:
            nonlocal untaxed
            if not f.taxes:
                untaxed += sign * f.gross_local
            for rid, amount in f.taxes.items():
                base[rid] = base.get(rid, 0) + sign * f.gross_local
                due[rid] = due.get(rid, 0) + sign * amount

        for sid, f in self.sales.items():
            if start <= f.day <= end:
                count(f, 1)
            voided = self.sale_voids.get(sid)
            if voided is not None and start <= voided <= end:
                count(f, -1)
        rows = {rid: (base[rid], due[rid]) for rid in base}
        paid = sum(m for f, t, m in self.tax_payments if f <= end and t >= start)
        return {"rows": rows, "untaxed": untaxed, "due": sum(d for _b, d in rows.values()), "paid": paid}


def member_numbers(t: dict[str, list[dict[str, str]]], ld: int) -> dict[int, str]:
    """member id -> member no, from the postings export paired with the journal export row by row."""
    seq = {e["id"]: int(e["seq"]) for e in t["journal_entries"]}
    postings = sorted(t["postings"], key=lambda p: (seq[p["entry_id"]], int(p["id"])))
    assert len(postings) == len(t["journal"])
    out: dict[int, str] = {}
    for p, j in zip(postings, t["journal"], strict=True):
        amount = int(p["amount_minor"])
        printed = Decimal(j["debit"] or 0) - Decimal(j["credit"] or 0)
        assert (int(j["seq"]), printed.scaleb(ld)) == (seq[p["entry_id"]], amount), (p, j)
        if p["member_id"]:
            assert out.setdefault(int(p["member_id"]), j["member"]) == j["member"], (p, j)
        else:
            assert j["member"] == "", (p, j)
    return out


def recompute(folder: Path, local: str) -> Recomputed:
    """Everything from the CSV files `<table>.csv` in `folder`."""
    t = {name: read(folder / f"{name}.csv") for name in TABLES}
    out = Recomputed(local)
    ld = DIGITS[local]
    # ids: the member and lot exports carry numbers and references (their import formats), the other tables
    # ids. Members: the journal export names each posting's member, in (seq, posting id) order, so it pairs
    # one to one with the postings export. Lots: the lots export is written in id order; the demo's audit
    # records each lot's creation with its id, and every sale's quantity is checked against its lots below.
    member_no = member_numbers(t, ld)
    out.members = [m["member_no"] for m in t["members"]]
    assert set(member_no.values()) <= set(out.members)
    lots = dict(enumerate(t["lots"], 1))
    for a in t["audit"]:
        if a["action"] == "create" and a["entity"] == "production_lot":
            new = json.loads(a["new"])
            row = lots[int(a["entity_id"])]
            assert (new["date"], new["qty_milli"]) == (row["date"], milli(row["quantity"])), (a, row)
    fineness = {m["name"] for m in t["minerals"] if m["grade_kind"] == "fineness"}
    mineral_name = {int(m["id"]): m["name"] for m in t["minerals"]}
    buyer_kind = {int(b["id"]): b["kind"] for b in t["buyers"]}
    out.rules = {int(r["id"]): r for r in t["tax_rules"]}
    lots_of: dict[int, list[int]] = {}
    for sl in t["sale_lot"]:
        lots_of.setdefault(int(sl["sale_id"]), []).append(int(sl["lot_id"]))

    for s in t["sales"]:
        if s["state"] == "draft":
            continue
        sid = int(s["id"])
        d = DIGITS[s["currency"]]
        price = Decimal(s["price_micro"]) / 1_000_000
        rate = Decimal(s["rate_micro"]) / 1_000_000
        sold = [lots[lid] for lid in lots_of[sid]]
        assert sum(milli(lot["quantity"]) for lot in sold) == int(s["qty_milli"]), sid  # the lot join holds
        values = []
        for lot in sold:
            if lot["mineral"] in fineness:
                fine = half_up(Decimal(milli(lot["quantity"])) * Decimal(lot["grade"]) / 1000)
            else:
                fine = milli(lot["quantity"])
            values.append(half_up(Decimal(fine) / 1000 * price, d))
        gross = sum(values)
        gross_local = gross if s["currency"] == local else half_up(Decimal(gross).scaleb(-d) * rate, ld)
        levy = half_up(Decimal(gross_local) * int(s["levy_bp"]) / 10_000)
        taxes, withheld = {}, 0
        for rid, rate_bp, is_withheld in json.loads(s["tax_rates"]):
            taxes[rid] = half_up(Decimal(gross_local) * rate_bp / 10_000)
            withheld += taxes[rid] if is_withheld else 0
        net = gross_local - levy - withheld
        shares: dict[str, int] = {}
        for lot, part in zip(sold, largest_remainder(net, values), strict=True):
            owners = [
                (no, int(Decimal(pct) * 100)) for no, pct in (o.split(":") for o in lot["owners"].split(";"))
            ]
            for (no, _bp), amount in zip(
                owners, largest_remainder(part, [bp for _n, bp in owners]), strict=True
            ):
                shares[no] = shares.get(no, 0) + amount
        day = date.fromisoformat(s["date"])
        out.sales[sid] = SaleFigures(
            sid, f"{s['series']}/{s['receipt_no']}", day, s["state"], values, gross, gross_local, levy, taxes,
            withheld, net, shares,
        )  # fmt: skip
        # the rules stored on the sale are those the exported tax rules give for its date, mineral and buyer
        mineral = sold[0]["mineral"]
        applicable = sorted(
            rid
            for rid, r in out.rules.items()
            if date.fromisoformat(r["valid_from"]) <= day
            and (not r["valid_to"] or day <= date.fromisoformat(r["valid_to"]))
            and (not r["mineral_id"] or mineral_name[int(r["mineral_id"])] == mineral)
            and r["buyer_kind"] in ("", buyer_kind[int(s["buyer_id"])])
        )
        assert applicable == sorted(taxes), (sid, applicable, taxes)
        for rid, rate_bp, is_withheld in json.loads(s["tax_rates"]):
            r = out.rules[rid]
            # a rule edited later (valid_to set) keeps its rate; a rate change is a new rule
            assert (int(r["rate_bp"]), bool(int(r["withheld"]))) == (rate_bp, is_withheld), (sid, r)

    for e in t["journal_entries"]:
        if e["kind"] == "void" and e["source_type"] == "sale":
            out.sale_voids[int(e["source_id"])] = date.fromisoformat(e["date"])
        if e["kind"] == "void" and e["source_type"] == "payout":
            out.payout_voids[int(e["source_id"])] = date.fromisoformat(e["date"])
    for p in t["payouts"]:
        if p["state"] != "draft":
            out.payouts.append(
                (
                    int(p["id"]),
                    member_no[int(p["member_id"])],
                    int(p["amount_minor"]),
                    date.fromisoformat(p["date"]),
                )
            )
    for p in t["tax_payments"]:
        if p["state"] != "draft":
            out.tax_payments.append(
                (
                    date.fromisoformat(p["period_from"]),
                    date.fromisoformat(p["period_to"]),
                    int(p["amount_minor"]),
                )
            )
    entries = {e["id"]: e for e in t["journal_entries"]}
    for p in t["postings"]:
        if p["account"] == "member_payable":
            no = member_no[int(p["member_id"])]
            out.payable_by_postings[no] = out.payable_by_postings.get(no, 0) - int(p["amount_minor"])
            e = entries[p["entry_id"]]
            if e["kind"] not in ("sale", "payout", "void"):
                out.book_moves.append((no, date.fromisoformat(e["date"]), -int(p["amount_minor"])))
    return out
