"""Import templates (.xlsx or .csv, headers in the user's language, one example row) and the headers accepted."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from coop import i18n
from coop.errors import ValidationError
from coop.i18n import pgettext
from coop.services import csvio, imports, imports_entries, imports_more, sheets

COLUMNS: dict[str, list[str]] = {
    "members": imports.MEMBER_COLUMNS,
    "lots": imports.LOT_COLUMNS,
    "sales": imports.SALE_COLUMNS,
    **imports_more.COLUMNS,
    **imports_entries.COLUMNS,
}
KINDS = tuple(COLUMNS)

# Each column's header in the user's language (msgid: the English column name, which is also what an
# English template shows). Literal calls, so that extraction sees them.
HEADERS: dict[str, Callable[[], str]] = {
    "member_no": lambda: pgettext("column", "member_no"),
    "full_name": lambda: pgettext("column", "full_name"),
    "sex": lambda: pgettext("column", "sex"),
    "birth_year": lambda: pgettext("column", "birth_year"),
    "id_number": lambda: pgettext("column", "id_number"),
    "card_expiry": lambda: pgettext("column", "card_expiry"),
    "phone": lambda: pgettext("column", "phone"),
    "community": lambda: pgettext("column", "community"),
    "site_code": lambda: pgettext("column", "site_code"),
    "role": lambda: pgettext("column", "role"),
    "join_date": lambda: pgettext("column", "join_date"),
    "status": lambda: pgettext("column", "status"),
    "share_capital": lambda: pgettext("column", "share_capital"),
    "reference": lambda: pgettext("column", "reference"),
    "date": lambda: pgettext("column", "date"),
    "mineral": lambda: pgettext("column", "mineral"),
    "quantity": lambda: pgettext("column", "quantity"),
    "grade": lambda: pgettext("column", "grade"),
    "owners": lambda: pgettext("column", "owners"),
    "mercury_g": lambda: pgettext("column", "mercury_g"),
    "retort_used": lambda: pgettext("column", "retort_used"),
    "notes": lambda: pgettext("column", "notes"),
    "buyer": lambda: pgettext("column", "buyer"),
    "lot_references": lambda: pgettext("column", "lot_references"),
    "currency": lambda: pgettext("column", "currency"),
    "unit_price": lambda: pgettext("column", "unit_price"),
    "exchange_rate": lambda: pgettext("column", "exchange_rate"),
    "payment_method": lambda: pgettext("column", "payment_method"),
    "code": lambda: pgettext("column", "code"),
    "name": lambda: pgettext("column", "name"),
    "latitude": lambda: pgettext("column", "latitude"),
    "longitude": lambda: pgettext("column", "longitude"),
    "licence_no": lambda: pgettext("column", "licence_no"),
    "minerals": lambda: pgettext("column", "minerals"),
    "kind": lambda: pgettext("column", "kind"),
    "tax_id": lambda: pgettext("column", "tax_id"),
    "unit": lambda: pgettext("column", "unit"),
    "grade_kind": lambda: pgettext("column", "grade_kind"),
    "hs_code": lambda: pgettext("column", "hs_code"),
    "authority": lambda: pgettext("column", "authority"),
    "rate": lambda: pgettext("column", "rate"),
    "buyer_kind": lambda: pgettext("column", "buyer_kind"),
    "valid_from": lambda: pgettext("column", "valid_from"),
    "valid_to": lambda: pgettext("column", "valid_to"),
    "withheld": lambda: pgettext("column", "withheld"),
    "note": lambda: pgettext("column", "note"),
    "amount": lambda: pgettext("column", "amount"),
    "method": lambda: pgettext("column", "method"),
    "period_from": lambda: pgettext("column", "period_from"),
    "period_to": lambda: pgettext("column", "period_to"),
    "tax": lambda: pgettext("column", "tax"),
    "tax_rate": lambda: pgettext("column", "tax_rate"),
    "treasury": lambda: pgettext("column", "treasury"),
    "account": lambda: pgettext("column", "account"),
    "to_treasury": lambda: pgettext("column", "to_treasury"),
    "party": lambda: pgettext("column", "party"),
    "document_ref": lambda: pgettext("column", "document_ref"),
}

# One example row per kind, as typed values: dates are date cells and numbers number cells in an .xlsx.
EXAMPLES: dict[str, dict[str, Any]] = {
    "members": {
        "member_no": "M0001",
        "full_name": "Espérance Nabintu",
        "sex": "F",
        "birth_year": 1990,
        "id_number": "CD-123456",
        "card_expiry": date(2030, 12, 31),
        "phone": "+243 990 000 001",
        "community": "Kamituga",
        "site_code": "KAM",
        "role": "digger",
        "join_date": date(2024, 3, 1),
        "status": "active",
        "share_capital": Decimal("50000"),
    },
    "lots": {
        "reference": "",
        "date": date(2026, 1, 5),
        "site_code": "KAM",
        "mineral": "Gold",
        "quantity": Decimal("12.5"),
        "grade": Decimal("850"),
        "owners": "M0001:60;M0002:40",
        "mercury_g": Decimal("1.5"),
        "retort_used": "yes",
        "notes": "",
    },
    "sales": {
        "date": date(2026, 1, 6),
        "buyer": "Comptoir Muungano",
        "lot_references": "KAM-20260105-001",
        "currency": "USD",
        "unit_price": Decimal("90.5"),
        "exchange_rate": Decimal("2850"),
        "payment_method": "cash",
    },
    "sites": {
        "code": "KAM",
        "name": "Kamituga",
        "latitude": Decimal("-3.0612"),
        "longitude": Decimal("28.1797"),
        "licence_no": "ZEA 123",
        "minerals": "Gold",
        "status": "active",
    },
    "buyers": {
        "name": "Comptoir Muungano",
        "licence_no": "CA-0042",
        "kind": "comptoir",
        "tax_id": "A1234567B",
    },
    "minerals": {"name": "Gold", "unit": "g", "grade_kind": "fineness", "hs_code": "7108.12"},
    "tax-rules": {
        "name": "Royalty",
        "authority": "Mining Commission",
        "rate": Decimal("6"),
        "mineral": "",
        "buyer_kind": "",
        "valid_from": date(2026, 1, 1),
        "valid_to": "",
        "withheld": "yes",
        "note": "",
    },
    "payouts": {
        "date": date(2026, 1, 10),
        "member_no": "M0001",
        "amount": Decimal("150000"),
        "method": "cash",
        "reference": "",
    },
    "tax-payments": {
        "date": date(2026, 4, 15),
        "authority": "Mining Commission",
        "amount": Decimal("1250"),
        "period_from": date(2026, 1, 1),
        "period_to": date(2026, 3, 31),
        "tax": "Royalty",
        "tax_rate": "",
        "method": "bank",
        "reference": "Q1 2026",
    },
    "entries": {
        "date": date(2026, 1, 12),
        "kind": "expense",
        "treasury": "cash",
        "amount": Decimal("25000"),
        "account": "6053",
        "to_treasury": "",
        "party": "Station Kamituga",
        "document_ref": "F-0042",
        "note": "Fuel for the pump",
    },
}
FORMATS = ("xlsx", "csv")


def header(column: str) -> str:
    """The column's header in the current language."""
    return HEADERS[column]()


def aliases(kind: str) -> dict[str, str]:
    """csvio.header_key of every header accepted for the kind's columns: the English names and their
    translations in every shipped language. A translation that would name two columns of the kind in two
    languages names neither (the English name always works)."""
    if kind not in COLUMNS:
        return {}
    found: dict[str, str] = {csvio.header_key(c): c for c in COLUMNS[kind]}
    clashes: set[str] = set()
    for lang in i18n.LANGUAGES:
        with i18n.language(lang):
            for column in COLUMNS[kind]:
                key = csvio.header_key(header(column))
                if found.setdefault(key, column) != column and key != csvio.header_key(found[key]):
                    clashes.add(key)
    for key in clashes:
        del found[key]
    return found


def _decimal_sign() -> str:
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(i18n.babel_locale())


def _csv_value(value: Any, sign: str) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | int):
        return format(value, "f").replace(".", sign) if isinstance(value, Decimal) else str(value)
    return str(value)


def save_template(kind: str, path: str | os.PathLike) -> Path:
    """Write the kind's template to `path` (.xlsx or .csv by its name): headers in the current language and
    one example row. A CSV for a language whose decimal sign is the comma is written as its Excel writes
    one (semicolons, decimal comma, UTF-8 with its mark), so that it opens in columns and reads back."""
    if kind not in COLUMNS:
        raise ValidationError("kind", "Unknown kind of import: {value}.", value=kind)
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValidationError(
            "file", "A template is saved as .xlsx or .csv, not “{value}”.", value=target.name
        )
    columns = COLUMNS[kind]
    names = [header(c) for c in columns]
    example = [EXAMPLES[kind][c] for c in columns]
    if fmt == "xlsx":
        sheets.write(target, names, [example], title=kind)
    else:
        sign = _decimal_sign()
        csvio.write_rows(
            target,
            names,
            [[_csv_value(v, sign) for v in example]],
            delimiter=";" if sign == "," else ",",
            bom=True,
        )
    return target
