"""Imports (CSV or .xlsx) of members, lots and sales, and the framework every import kind runs in:
streamed, validated row by row, all-or-nothing."""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from peewee import fn

from coop import money
from coop.changes import NOTHING, Changes
from coop.errors import Cancelled, CoopError, StorageError, ValidationError
from coop.i18n import N_
from coop.models import Buyer, Member, Mineral, ProductionLot, Site, database
from coop.permissions import Actor
from coop.services import audit, csvio, periods, production, records, registry, sales, settings

MEMBER_COLUMNS = [
    "member_no",
    "full_name",
    "sex",
    "birth_year",
    "id_number",
    "card_expiry",
    "phone",
    "community",
    "site_code",
    "role",
    "join_date",
    "status",
    "share_capital",
]
LOT_COLUMNS = [
    "reference",
    "date",
    "site_code",
    "mineral",
    "quantity",
    "grade",
    "owners",
    "mercury_g",
    "retort_used",
    "notes",
]
SALE_COLUMNS = [
    "date",
    "buyer",
    "lot_references",
    "currency",
    "unit_price",
    "exchange_rate",
    "payment_method",
]
REQUIRED = {
    "members": ["member_no", "full_name", "join_date"],
    "lots": ["date", "site_code", "mineral", "quantity", "owners"],
    "sales": ["date", "buyer", "lot_references", "currency", "unit_price"],
}
# The number columns of each kind and the decimals each keeps (None: as many as typed; LOCAL_DIGITS: the
# local currency's digits). Their cells are read by csvio.number_text: a decimal comma where the file's
# delimiter allows it, and more decimals than kept refused rather than rounded.
LOCAL_DIGITS = "local currency"
NUMBERS: dict[str, dict[str, int | str | None]] = {
    "members": {"share_capital": LOCAL_DIGITS},
    "lots": {"quantity": 3, "grade": 3, "mercury_g": 3},
    "sales": {"unit_price": 6, "exchange_rate": 6},
}
BATCH = 5000
TRUE = {"1", "yes", "true", "oui", "si", "sí", "sim", "ndiyo", "y", "x"}
FALSE = {"", "0", "no", "false", "non", "não", "nao", "hapana", "n"}


@dataclass(frozen=True)
class ImportResult:
    kind: str
    rows: int
    changes: Changes = NOTHING  # the areas written (no ids: an import may write a million rows)


# what an import of each kind writes (a sale also sells its lots and posts its journal entry)
TOUCHES = {
    "members": Changes.of(members=None),
    "lots": Changes.of(lots=None),
    "sales": Changes.of(sales=None, lots=None, ledger=None),
}


_WHOLE = re.compile(r"-?[0-9]{1,18}")


def _bool(text: str, column: str) -> bool:
    low = text.strip().lower()
    if low in TRUE:
        return True
    if low in FALSE:
        return False
    raise ValidationError(column, "“{value}” is not yes or no.", value=text)


def _int(text: str, column: str, optional: bool = True) -> int | None:
    if not text and optional:
        return None
    if not _WHOLE.fullmatch(text):  # int() also reads 1_000, " 12 " and other scripts' digits
        raise ValidationError(column, "“{value}” is not a whole number.", value=text)
    return int(text)


class RowProblems(CoopError):
    """Every problem of one CSV row (each cell is checked even after an earlier one was refused)."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__("{count} problems found.", count=len(errors))
        self.errors = errors


class _Row:
    """Reads the cells of one row, keeping each refusal instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def cell(self, read: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        """`read(*args, **kw)`, or None when it refused the cell (the refusal is kept)."""
        try:
            return read(*args, **kw)
        except ValidationError as exc:
            self.errors.append(exc)
            return None

    def refuse(self, error: ValidationError) -> None:
        self.errors.append(error)

    def refused(self, *columns: str) -> bool:
        return any(e.field in columns for e in self.errors)

    def check(self) -> None:
        """Raise every problem found in the row (one is raised as it is)."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise RowProblems(self.errors)


@dataclass(frozen=True)
class Watch:
    """How long work reports progress (rows read, 0 = total unknown) and learns it was cancelled."""

    progress: Callable[[int, int], None]
    cancelled: Callable[[], bool]


WATCH_EVERY = 1000  # rows between progress reports / cancel checks


def _check_in(watch: Watch | None, rowno: int) -> None:
    if watch is None or rowno % WATCH_EVERY:
        return
    watch.progress(rowno, 0)
    if watch.cancelled():
        raise Cancelled("The import was cancelled: nothing was written.")


def _places(kind: str) -> dict[str, int | None]:
    digits = money.digits(settings.get().currency) if LOCAL_DIGITS in NUMBERS[kind].values() else 0
    return {c: digits if p == LOCAL_DIGITS else p for c, p in NUMBERS[kind].items()}  # type: ignore[misc]


# a million lots repeat a few hundred quantities and grades: remembered by text (refusals are not)
_number_text = functools.lru_cache(maxsize=20_000)(csvio.number_text)


def _numbers(
    row: dict[str, str], places: dict[str, int | None], decimal_comma: bool
) -> list[ValidationError]:
    """Put the row's number cells in the form the parsers read; the refusals, one per cell."""
    problems = []
    for column, kept in places.items():
        text = row.get(column)
        if text:
            try:
                row[column] = _number_text(text, column, decimal_comma=decimal_comma, places=kept)
            except ValidationError as exc:
                problems.append(exc)
    return problems


def _as_written(errors: list[ValidationError], written: dict[str, str]) -> None:
    """Name each refused column as the file's header does (a French header "Nom complet", not full_name)."""
    for error in errors:
        shown = written.get(error.field)
        if shown and csvio.header_key(shown) != csvio.header_key(error.field):
            error.field = shown


def _handle(
    handle_row: Callable[[int, dict[str, str]], None],
    rowno: int,
    row: dict[str, str],
    collector: csvio.ErrorCollector,
    refused: set[str],
) -> bool:
    """Run one row; its refusals go to `collector` (but for the columns already `refused`)."""
    found: list[ValidationError] = []
    try:
        handle_row(rowno, row)
    except StorageError:
        # the file, not the row, is at fault (and SQLite may have rolled the whole transaction back):
        # stop here, whatever the next rows would write could not be kept
        raise
    except ValidationError as exc:
        found = [exc]
    except RowProblems as problems:
        found = problems.errors
    except CoopError as exc:
        found = [ValidationError("", exc.msgid, **exc.params)]
    for error in found:
        if error.field not in refused:
            collector.add(error, rowno)
    return not found and not refused


def _run(
    actor: Actor,
    kind: str,
    path: str | os.PathLike,
    handle_row: Callable[[int, dict[str, str]], None],
    finish: Callable[[], None],
    watch: Watch | None = None,
    late: Callable[[], list[tuple[int, ValidationError]]] | None = None,
    sheet: str | None = None,
) -> ImportResult:
    """Stream the rows through `handle_row` inside one transaction; any error or a cancel rolls back everything.

    `late` returns the errors of rows checked a batch at a time (e.g. against stored records), at the end.
    The file is a CSV or an .xlsx (`sheet`: which of its sheets); its header may be in any shipped language."""
    from coop.services import templates

    collector = csvio.ErrorCollector()
    count = 0
    places = _places(kind)

    def add_late() -> None:
        for late_row, error in late() if late is not None else ():
            collector.add(error, late_row)

    with (
        csvio.read_table(path, REQUIRED[kind], sheet=sheet, aliases=templates.aliases(kind)) as table,
        database.atomic() as txn,
    ):
        for rowno, row in table:
            _check_in(watch, rowno)
            early = _numbers(row, places, table.decimal_comma)
            for error in early:
                collector.add(error, rowno)
            # the row's other cells are still checked (every problem of a row is listed); what it wrote
            # is rolled back with the rest
            count += _handle(handle_row, rowno, row, collector, {e.field for e in early})
        add_late()
        if not collector.errors:
            finish()
            add_late()
        if collector.errors:
            txn.rollback()
            _as_written(collector.errors, table.written)
            collector.raise_if_any()
        if count == 0:
            raise ValidationError("file", "The file has no data rows.", row=2)
        audit.record(actor, "import", kind, None, None, {"file": os.path.basename(str(path)), "rows": count})
    return ImportResult(kind, count, TOUCHES[kind])


SHARE_CAPITAL_NEEDS_BOOKS = N_(
    "Share capital is an entry of the books, which your role may not post: leave the column empty, or ask a "
    "manager to import the file."
)


def _already_used(column: str, value: object) -> ValidationError:
    """A number or reference taken by a stored record or an earlier row of the file."""
    return ValidationError(column, "“{value}” is already used.", value=value)


def import_members(
    actor: Actor, path: str | os.PathLike, watch: Watch | None = None, *, sheet: str | None = None
) -> ImportResult:
    """Members from a file. A share_capital cell is the capital the member subscribes: an entry of the books
    (shares.subscribe, dated the day of the import; a role that may not post to the books is refused), never the
    register's old loose field. Capital paid before the books were kept goes in as opening balances
    (`opening-balances --template`); payments after, through `shares pay`."""
    from coop.services.books import shares

    actor.require("data.import")
    actor.require("members.write")
    sites = {s.code: s.id for s in Site.select(Site.id, Site.code)}
    taken = {records.identifier_key(m) for (m,) in Member.select(Member.member_no).tuples()}
    ccy = settings.get().currency
    pending: list[dict] = []
    capitals: dict[str, int] = {}  # member number -> capital subscribed (minor units), of the pending rows
    subscribed: list[int] = []  # the entries of the books written
    today = date.today()
    note = os.path.basename(str(path))

    def handle(rowno: int, r: dict[str, str]) -> None:
        row = _Row()
        site_code = r.get("site_code", "").upper()
        if site_code and site_code not in sites:
            row.refuse(ValidationError("site_code", "Unknown site code: {value}.", value=site_code))
        capital = row.cell(money.parse_decimal, r.get("share_capital") or "0", "share_capital")
        if capital is not None and capital < 0:
            row.refuse(ValidationError("share_capital", "The amount cannot be negative."))
        elif capital and not actor.can("books.post"):
            row.refuse(ValidationError("share_capital", SHARE_CAPITAL_NEEDS_BOOKS))
        values = {
            "member_no": r["member_no"],
            "full_name": r["full_name"],
            "sex": r.get("sex", "").upper(),
            "birth_year": row.cell(_int, r.get("birth_year", ""), "birth_year"),
            "id_number": r.get("id_number", ""),
            "card_expiry": row.cell(
                csvio.parse_date,
                r["card_expiry"],
                "card_expiry",
                allow_future=True,
                earliest=records.EARLIEST_REGISTER_DATE,
            )
            if r.get("card_expiry")
            else None,
            "phone": r.get("phone", ""),
            "community": r.get("community", ""),
            "site": sites.get(site_code),
            "role": r.get("role") or "digger",
            "join_date": row.cell(
                csvio.parse_date, r["join_date"], "join_date", earliest=records.EARLIEST_REGISTER_DATE
            ),
            "status": r.get("status") or "active",
        }
        read = {e.field for e in row.errors}
        for problem in registry.member_row_problems(values, skip=read):
            row.refuse(problem)
        row.check()
        key = records.identifier_key(str(values["member_no"]))
        if key in taken:
            raise _already_used("member_no", values["member_no"])
        taken.add(key)
        pending.append(values)
        if capital:
            capitals[str(values["member_no"])] = money.to_minor(capital, ccy)
        if len(pending) >= BATCH:
            flush()

    def flush() -> None:
        if pending:
            Member.insert_rows(pending)
            pending.clear()
        if capitals:
            ids = Member.select(Member.member_no, Member.id).where(Member.member_no.in_(list(capitals)))
            for no, member_id in ids.tuples():
                saved = shares.subscribe(actor, member_id, money.from_minor(capitals[no], ccy), today, note)
                subscribed.append(saved.id)
            capitals.clear()

    result = _run(actor, "members", path, handle, flush, watch, sheet=sheet)
    if subscribed:  # share_capital cells became entries of the books
        return dataclasses.replace(result, changes=result.changes | Changes.of(books=None, ledger=None))
    return result


def _memo(parse: Callable[..., Any]) -> Callable[..., Any]:
    """A pure per-cell parser remembering its results by cell text: a million lots repeat a few hundred
    shares, grades and dates, and parsing them again would weigh on the import. Errors are not remembered,
    so a bad cell raises on every row it appears in; at most 20,000 texts are kept (functools' cache is
    written in C)."""
    return functools.lru_cache(maxsize=20_000)(parse)


def _parse_share_bp(pct: str) -> int:
    share = money.parse_decimal(pct, "owners") * 100
    if share != share.to_integral_value():
        raise ValidationError("owners", "Shares can have at most two decimals.")
    return int(share)


_share_bp = _memo(_parse_share_bp)


def _owners(text: str, members: dict[str, tuple[int, bool]]) -> list[tuple[int, int]]:
    """'M001:60;M002:40' (percent shares) to [(member id, basis points)]; a lone 'M001' owns 100%."""
    owners = []
    for part in text.split(";"):
        no, colon, pct = part.partition(":")
        no = records.identifier(no, "owners")
        if not no and not colon and not pct:
            continue  # an empty part ('M001;' or ';;')
        found = members.get(records.identifier_key(no))
        if found is None:
            raise ValidationError("owners", "Unknown member: {value}.", value=no)
        if not found[1]:
            raise ValidationError("owners", "Member {name} is not active.", name=no)
        owners.append((found[0], _share_bp(pct or "100")))
    production.check_shares(owners)
    return owners


class _LotWriter:
    """Buffers validated lots and owners and writes them with executemany (ids assigned here)."""

    LOT_SQL = (
        "INSERT INTO production_lot (id, reference, date, site_id, mineral_id, qty_milli, grade_milli, "
        "mercury_milli, retort_used, notes, status) VALUES (?,?,?,?,?,?,?,?,?,?, 'in_stock')"
    )
    OWNER_SQL = "INSERT INTO lot_owner (lot_id, member_id, share_bp) VALUES (?,?,?)"

    def __init__(self, check: Callable[[], bool]) -> None:
        self.check = check  # run before each write: False when the buffered rows must not be written
        self.next_id = (ProductionLot.select(fn.MAX(ProductionLot.id)).scalar() or 0) + 1
        self.lots: list[tuple] = []
        self.owners: list[tuple] = []

    def add(self, lot: tuple, owners: list[tuple[int, int]]) -> None:
        lot_id = self.next_id
        self.next_id += 1
        self.lots.append((lot_id, *lot))
        self.owners.extend((lot_id, m, bp) for m, bp in owners)
        if len(self.lots) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.check():
            # raw executemany, translated and guarded like every other statement (coop.db.CoopDatabase)
            database.obj.executemany(self.LOT_SQL, self.lots)
            database.obj.executemany(self.OWNER_SQL, self.owners)
        self.lots.clear()
        self.owners.clear()


class _References:
    """Lot references SITE-YYYYMMDD-NNN: given ones must be new; missing ones continue each day's sequence.

    Given references are looked up in the database a batch at a time (`stored`), not row by row: a query
    per row would weigh on a large import."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}
        self.seen: set[str] = set()
        self.unchecked: dict[str, int] = {}  # given reference -> its row, not yet looked up

    def take(self, given: str, site_code: str, day, rowno: int) -> str:
        if given:
            # lot references are codes, stored in capitals (like the generated ones): a reference given in
            # other letters' case is the same lot, and the unique index sees it
            given = records.identifier(given, "reference").upper()
            if given in self.seen:
                raise _already_used("reference", given)
            self.seen.add(given)
            self.unchecked[given] = rowno
            return given
        prefix = f"{site_code}-{day:%Y%m%d}-"
        if prefix not in self.last:
            self.last[prefix] = int(production.next_reference(site_code, day).rsplit("-", 1)[1]) - 1
        while True:
            self.last[prefix] += 1
            ref = f"{prefix}{self.last[prefix]:03d}"
            if ref not in self.seen:
                self.seen.add(ref)
                return ref

    CHUNK = 500  # references per query (SQLite allows 999 parameters in older builds)

    def stored(self) -> list[tuple[int, ValidationError]]:
        """(row, error) for each given reference since the last call that a stored lot already has."""
        refs, self.unchecked = self.unchecked, {}
        found: list[tuple[int, ValidationError]] = []
        names = list(refs)
        for start in range(0, len(names), self.CHUNK):
            chunk = names[start : start + self.CHUNK]
            sql = f"SELECT reference FROM production_lot WHERE reference IN ({', '.join('?' * len(chunk))})"
            for (ref,) in database.execute_sql(sql, chunk):
                found.append((refs[ref], _already_used("reference", ref)))
        return sorted(found, key=lambda item: item[0])


def import_lots(
    actor: Actor,
    path: str | os.PathLike,
    watch: Watch | None = None,
    *,
    confirm_unusual: bool = False,
    sheet: str | None = None,
) -> ImportResult:
    """Lots with their owners; an unusually large quantity (money.LOT_QTY_LIMITS) is a row error unless
    `confirm_unusual`."""
    actor.require("data.import")
    actor.require("lots.write")
    sites = {s.code: (s.id, s.status == "active") for s in Site.select()}
    minerals = {m.name.lower(): (m.id, m.grade_kind, m.unit) for m in Mineral.select()}
    members = {
        records.identifier_key(no): (mid, st == "active")
        for mid, no, st in Member.select(Member.id, Member.member_no, Member.status).tuples()
    }
    refs = _References()
    late: list[tuple[int, ValidationError]] = []

    def check_references() -> bool:
        """Look the buffered lots' given references up before they are written (UNIQUE would refuse them)."""
        late.extend(refs.stored())
        return not late

    def late_errors() -> list[tuple[int, ValidationError]]:
        check_references()
        found = late[:]
        late.clear()
        return found

    writer = _LotWriter(check_references)
    parse_date, grade_milli = _memo(csvio.parse_date), _memo(production.grade_milli)
    mercury_milli = _memo(production.mercury_milli)
    closed = periods.closed_to()

    def handle(rowno: int, r: dict[str, str]) -> None:
        row = _Row()
        day = row.cell(parse_date, r["date"], "date")
        if day is not None and closed is not None and day <= closed:
            raise periods.closed_error(day, closed)
        site_code = r["site_code"].upper()
        site = sites.get(site_code)
        if site is None:
            row.refuse(ValidationError("site_code", "Unknown site code: {value}.", value=r["site_code"]))
        elif not site[1]:
            row.refuse(ValidationError("site_code", "Site {code} is not active.", code=r["site_code"]))
        mineral = minerals.get(r["mineral"].lower())
        if mineral is None:
            row.refuse(ValidationError("mineral", "Unknown mineral: {value}.", value=r["mineral"]))
            qty = row.cell(money.qty_to_milli, r["quantity"], "quantity")  # its limit is the mineral's unit's
        else:
            qty = row.cell(
                money.lot_qty_to_milli, r["quantity"], mineral[2], "quantity", confirm_unusual=confirm_unusual
            )
            grade = row.cell(grade_milli, mineral[1], r.get("grade") or "0")
        owners = row.cell(_owners, r["owners"], members)
        hg = row.cell(mercury_milli, r.get("mercury_g") or "0")
        retort = row.cell(_bool, r.get("retort_used", ""), "retort_used")
        row.check()
        assert site is not None and mineral is not None and day is not None
        ref = refs.take(r.get("reference", ""), site_code, day, rowno)
        writer.add(
            (
                ref,
                day.isoformat(),
                site[0],
                mineral[0],
                qty,
                grade,
                hg,
                int(retort),
                r.get("notes", ""),
            ),
            owners,
        )

    return _run(actor, "lots", path, handle, writer.flush, watch, late=late_errors, sheet=sheet)


def _rate_text(r: dict[str, str], local: str, row: _Row) -> str:
    """The exchange rate cell; a sale in another currency than the local one must give it (at 1 by
    default, a USD sale would credit the members 1/2850 of its value)."""
    currency = r["currency"].strip().upper()
    given = r.get("exchange_rate", "").strip()
    if currency and currency != local and not given:
        row.refuse(
            ValidationError(
                "exchange_rate",
                "A sale in {currency} needs its exchange rate: how many {local} make 1 {currency}.",
                currency=currency,
                local=local,
            )
        )
    return given or "1"


def import_sales(
    actor: Actor, path: str | os.PathLike, watch: Watch | None = None, *, sheet: str | None = None
) -> ImportResult:
    """Post each row as a sale (receipt numbers, ledger, chain); the whole file or nothing."""
    actor.require("data.import")
    actor.require("sales.post")
    buyers = {b.name.lower(): b.id for b in Buyer.select()}
    local = settings.get().currency.upper()

    def handle(rowno: int, r: dict[str, str]) -> None:
        row = _Row()
        buyer = buyers.get(r["buyer"].lower())
        if buyer is None:
            row.refuse(ValidationError("buyer", "Unknown buyer: {value}.", value=r["buyer"]))
        cells = [x for x in r["lot_references"].split(";") if x.strip()]
        refs = [ref for ref in (row.cell(records.identifier, x, "lot_references") for x in cells) if ref]
        found = (
            ProductionLot.select(ProductionLot.reference, ProductionLot.id)
            .where(ProductionLot.reference.in_(refs + [x.upper() for x in refs]))
            .tuples()
        )
        lots = {records.identifier_key(ref): lot_id for ref, lot_id in found}
        for ref in refs:
            if records.identifier_key(ref) not in lots:
                row.refuse(ValidationError("lot_references", "Unknown lot: {value}.", value=ref))
        day = row.cell(csvio.parse_date, r["date"], "date")
        price = row.cell(money.parse_decimal, r["unit_price"], "unit_price")
        rate_text = _rate_text(r, local, row)
        rate = (
            None
            if row.refused("exchange_rate")
            else row.cell(money.parse_decimal, rate_text, "exchange_rate")
        )
        row.check()
        assert buyer is not None and day is not None and price is not None and rate is not None
        inp = sales.SaleInput(
            buyer_id=buyer,
            lot_ids=[lots[records.identifier_key(x)] for x in refs],
            date=day,
            currency=r["currency"].upper(),
            unit_price=price,
            exchange_rate=rate,
            payment_method=r.get("payment_method") or "cash",
        )
        sales.post_sale(actor, inp)

    return _run(actor, "sales", path, handle, lambda: None, watch, sheet=sheet)


IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "members": import_members,
    "lots": import_lots,
    "sales": import_sales,
}

# The other kinds (sites, buyers, minerals, tax rules, payouts, tax payments; the books' entries) run in the
# framework above; importing them last registers them in IMPORTERS, REQUIRED, NUMBERS and TOUCHES.
from coop.services import imports_entries, imports_more  # noqa: E402, F401
