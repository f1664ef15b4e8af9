"""The figures of a cooperative recomputed from its raw inputs with plain Decimal arithmetic, following the
README's "How the figures are computed" and nothing else: this module imports nothing from coop, cli or
reports, so a wrong rule in the application cannot hide by being reused here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

DIGITS = {"XOF": 0, "USD": 2, "CDF": 2, "EUR": 2}


def half_up(value: Decimal, places: int = 0) -> Decimal:
    """Round half away from zero (the README's one rule) to `places` decimals."""
    with localcontext(prec=80):
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Parts of `total` proportional to `weights`: floors, then one more unit to the largest remainders
    (the earlier weight first on a tie)."""
    wsum = sum(weights)
    exact = [Decimal(total) * w / wsum for w in weights]
    parts = [int(x // 1) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class Lot:
    ref: str
    day: date
    mineral: str
    qty: str  # as typed, in the mineral's unit
    grade: str  # as typed (‰ for fineness)
    owners: tuple[tuple[str, str], ...]  # (member no, percent as typed)


@dataclass(frozen=True)
class Rule:
    key: str
    name: str
    authority: str
    rate_bp: int
    mineral: str | None
    buyer_kind: str
    withheld: bool
    valid_from: date
    valid_to: date | None = None


@dataclass(frozen=True)
class Sale:
    number: int
    day: date
    buyer_kind: str
    lots: tuple[str, ...]
    currency: str
    price: str  # as typed
    rate: str = "1"  # local units per unit of `currency`, as typed


@dataclass
class Figures:
    """What one sale must post, in minor units."""

    lot_fine_milli: dict[str, int]
    lot_values: dict[str, int]
    gross: int
    gross_local: int
    levy_bp: int
    levy: int
    taxes: dict[str, int]  # rule key -> amount (also zero)
    withheld: int
    net: int
    shares: dict[str, int]  # member no -> amount


@dataclass
class Books:
    """The inputs of a cooperative, enough to recompute everything it prints."""

    local: str
    fineness: set[str]  # minerals priced on fine content
    mineral_of_lot: dict[str, str] = field(default_factory=dict)
    lots: dict[str, Lot] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    figures: dict[int, Figures] = field(default_factory=dict)
    sale_days: dict[int, date] = field(default_factory=dict)
    voids: dict[int, date] = field(default_factory=dict)  # sale number -> date of its void
    payouts: list[tuple[int, str, int, date]] = field(default_factory=list)  # (id, member, minor, day)
    payout_voids: dict[int, date] = field(default_factory=dict)
    tax_payments: list[tuple[date, date, date, int]] = field(default_factory=list)  # (day, from, to, minor)

    def add_lot(self, lot: Lot) -> None:
        self.lots[lot.ref] = lot

    def milli(self, text: str) -> int:
        value = Decimal(text) * 1000
        assert value == value.to_integral_value(), text  # the inputs of this suite are never over-precise
        return int(value)

    def fine_milli(self, lot: Lot) -> int:
        if lot.mineral in self.fineness:
            return int(half_up(Decimal(self.milli(lot.qty)) * Decimal(lot.grade) / 1000))
        return self.milli(lot.qty)

    def rules_for(self, mineral: str, buyer_kind: str, day: date) -> list[Rule]:
        return [
            r
            for r in self.rules
            if r.valid_from <= day
            and (r.valid_to is None or day <= r.valid_to)
            and (r.mineral is None or r.mineral == mineral)
            and (r.buyer_kind in ("", buyer_kind))
        ]

    def sell(self, sale: Sale, levy_bp: int) -> Figures:
        lots = [self.lots[ref] for ref in sale.lots]
        price = Decimal(sale.price)
        d = DIGITS[sale.currency]
        fine = {lot.ref: self.fine_milli(lot) for lot in lots}
        values = {
            ref: int(half_up(Decimal(milli) / 1000 * price, d).scaleb(d)) for ref, milli in fine.items()
        }
        gross = sum(values.values())
        ld = DIGITS[self.local]
        rate = Decimal(1) if sale.currency == self.local else Decimal(sale.rate)
        gross_local = int(half_up(Decimal(gross).scaleb(-d) * rate, ld).scaleb(ld))
        levy = int(half_up(Decimal(gross_local) * levy_bp / 10_000))
        applied = self.rules_for(lots[0].mineral, sale.buyer_kind, sale.day)
        taxes = {r.key: int(half_up(Decimal(gross_local) * r.rate_bp / 10_000)) for r in applied}
        withheld = sum(taxes[r.key] for r in applied if r.withheld)
        net = gross_local - levy - withheld
        shares: dict[str, int] = {}
        for lot, part in zip(lots, largest_remainder(net, [values[lot.ref] for lot in lots]), strict=True):
            bps = [int(Decimal(pct) * 100) for _no, pct in lot.owners]
            for (no, _pct), amount in zip(lot.owners, largest_remainder(part, bps), strict=True):
                shares[no] = shares.get(no, 0) + amount
        out = Figures(fine, values, gross, gross_local, levy_bp, levy, taxes, withheld, net, shares)
        self.figures[sale.number] = out
        self.sale_days[sale.number] = sale.day
        return out

    # --- what members are owed -------------------------------------------------------------------------
    def movements(self, member: str) -> list[tuple[date, str, int]]:
        """(date, kind, amount) of a member's account in journal order: shares, payouts, voids."""
        out: list[tuple[date, int, str, int]] = []
        seq = 0
        events: list[tuple[date, int, str, int]] = []
        for number, fig in self.figures.items():
            if member in fig.shares:
                events.append((self.sale_days[number], number * 10, "sale", fig.shares[member]))
                if number in self.voids:
                    events.append((self.voids[number], 10_000 + number, "void", -fig.shares[member]))
        for pid, who, minor, day in self.payouts:
            if who == member:
                events.append((day, 5_000 + pid, "payout", -minor))
                if pid in self.payout_voids:
                    events.append((self.payout_voids[pid], 20_000 + pid, "void", minor))
        for ev in sorted(events, key=lambda e: (e[0], e[1])):
            seq += 1
            out.append(ev)
        return [(d, kind, amount) for d, _order, kind, amount in out]

    def balance(self, member: str, until: date = date.max, since: date = date.min) -> int:
        return sum(a for d, _k, a in self.movements(member) if since <= d <= until)

    # --- the tax summary of a period -------------------------------------------------------------------
    def tax_period(self, start: date, end: date) -> dict:
        """Per rule: base and due from the sales dated in the period and the voids dated in it (negative);
        the base of sales no rule applied to; the adjustments (earlier sales voided in the period)."""
        base: dict[str, int] = {}
        due: dict[str, int] = {}
        untaxed = 0
        adjustments = []

        def count(fig: Figures, sign: int) -> None:
            nonlocal untaxed
            if not fig.taxes:
                untaxed += sign * fig.gross_local
            for key, amount in fig.taxes.items():
                base[key] = base.get(key, 0) + sign * fig.gross_local
                due[key] = due.get(key, 0) + sign * amount

        for number, fig in self.figures.items():
            if start <= self.sale_days[number] <= end:
                count(fig, 1)
            voided = self.voids.get(number)
            if voided is not None and start <= voided <= end:
                count(fig, -1)
                if self.sale_days[number] < start:
                    adjustments.append((number, fig.gross_local, sum(fig.taxes.values())))
        paid = sum(m for _d, f, t, m in self.tax_payments if f <= end and t >= start)
        rows = {k: (base[k], due[k]) for k in base if (base[k], due[k]) != (0, 0)}
        total = sum(d for _b, d in rows.values())
        return {"rows": rows, "untaxed": untaxed, "adjustments": adjustments, "due": total, "paid": paid}
