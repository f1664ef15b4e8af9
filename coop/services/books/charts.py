"""The shipped charts of accounts as data: SYSCOHADA révisé (2017) for the OHADA states, a plain one otherwise.

Each account is (number, name msgid, type, parent number). Each chart also maps the keys the postings use
(cash, member_payable, ...) onto its accounts, and names the group under which new treasury accounts go.
Numbers and names of the SYSCOHADA chart follow the list of accounts of the Acte uniforme relatif au droit
comptable et à l'information financière (AUDCIF, 26 January 2017): see docs/BOOKS.md."""

from __future__ import annotations

from coop.i18n import N_

A, L, E, I, X = "asset", "liability", "equity", "income", "expense"  # noqa: E741 (type codes)

SYSCOHADA: tuple[tuple[str, str, str, str], ...] = (
    # class 1: capital and long-term resources
    ("1", N_("Class 1 – Capital and long-term resources"), E, ""),
    ("10", N_("Capital"), E, "1"),
    ("101", N_("Share capital"), E, "10"),
    ("1012", N_("Capital subscribed, called, not paid"), E, "101"),
    ("1013", N_("Capital subscribed, called, paid"), E, "101"),
    ("11", N_("Reserves"), E, "1"),
    ("111", N_("Legal reserve"), E, "11"),
    ("112", N_("Statutory reserves"), E, "11"),
    ("118", N_("Other reserves"), E, "11"),
    ("12", N_("Retained earnings"), E, "1"),
    ("121", N_("Retained earnings (credit)"), E, "12"),
    ("129", N_("Retained earnings (debit)"), E, "12"),
    ("13", N_("Net result of the year"), E, "1"),
    ("130", N_("Result awaiting allocation"), E, "13"),
    ("131", N_("Net result: surplus"), E, "13"),
    ("139", N_("Net result: loss"), E, "13"),
    ("14", N_("Investment grants"), E, "1"),
    ("16", N_("Loans and similar debts"), L, "1"),
    ("162", N_("Loans from credit institutions"), L, "16"),
    # class 2: fixed assets
    ("2", N_("Class 2 – Fixed assets"), A, ""),
    ("24", N_("Equipment, furniture and biological assets"), A, "2"),
    ("241", N_("Industrial equipment and tools"), A, "24"),
    ("244", N_("Office equipment and furniture"), A, "24"),
    ("245", N_("Transport equipment"), A, "24"),
    ("28", N_("Depreciation of fixed assets"), A, "2"),
    # class 3: stocks
    ("3", N_("Class 3 – Stocks"), A, ""),
    ("32", N_("Other supplies"), A, "3"),
    # class 4: third parties
    ("4", N_("Class 4 – Third parties"), L, ""),
    ("40", N_("Suppliers and related accounts"), L, "4"),
    ("401", N_("Suppliers, debts"), L, "40"),
    ("41", N_("Customers and related accounts"), A, "4"),
    ("411", N_("Customers"), A, "41"),
    ("42", N_("Staff"), L, "4"),
    ("421", N_("Staff, advances and deposits"), A, "42"),
    ("422", N_("Staff, wages due"), L, "42"),
    ("43", N_("Social security bodies"), L, "4"),
    ("431", N_("Social security"), L, "43"),
    ("44", N_("State and public bodies"), L, "4"),
    ("441", N_("State, tax on profits"), L, "44"),
    ("442", N_("State, other taxes and duties"), L, "44"),
    ("447", N_("State, taxes withheld at source"), L, "44"),
    ("46", N_("Contributors, members and group"), L, "4"),
    ("461", N_("Contributors, operations on capital"), A, "46"),
    ("4613", N_("Contributors, capital called, not paid"), A, "461"),
    ("4619", N_("Contributors, capital to be refunded"), L, "461"),
    ("462", N_("Members, current accounts"), L, "46"),
    ("47", N_("Sundry debtors and creditors"), L, "4"),
    ("471", N_("Sundry debtors and creditors"), L, "47"),
    # class 5: treasury
    ("5", N_("Class 5 – Treasury"), A, ""),
    ("52", N_("Banks"), A, "5"),
    ("521", N_("Local banks"), A, "52"),
    ("5211", N_("Banks in national currency"), A, "521"),
    ("55", N_("Electronic money instruments"), A, "5"),
    ("552", N_("Electronic money, mobile phone"), A, "55"),
    ("5521", N_("Mobile-money wallet"), A, "552"),
    ("57", N_("Cash"), A, "5"),
    ("571", N_("Cash, head office"), A, "57"),
    ("5711", N_("Cash in national currency"), A, "571"),
    ("58", N_("Imprest accounts and internal transfers"), A, "5"),
    ("585", N_("Transfers of funds"), A, "58"),
    # class 6: expenses of ordinary activities
    ("6", N_("Class 6 – Expenses of ordinary activities"), X, ""),
    ("60", N_("Purchases and changes in stocks"), X, "6"),
    ("604", N_("Purchases of stored materials and supplies"), X, "60"),
    ("605", N_("Other purchases"), X, "60"),
    ("6051", N_("Non-stored supplies – water"), X, "605"),
    ("6052", N_("Non-stored supplies – electricity"), X, "605"),
    ("6053", N_("Non-stored supplies – other energy (fuel)"), X, "605"),
    ("6055", N_("Non-stored office supplies"), X, "605"),
    ("6056", N_("Purchases of small equipment and tools"), X, "605"),
    ("61", N_("Transport"), X, "6"),
    ("618", N_("Other transport costs"), X, "61"),
    ("62", N_("External services A"), X, "6"),
    ("622", N_("Rent and rental charges"), X, "62"),
    ("624", N_("Maintenance, repairs and upkeep"), X, "62"),
    ("625", N_("Insurance premiums"), X, "62"),
    ("628", N_("Telecommunication costs"), X, "62"),
    ("63", N_("External services B"), X, "6"),
    ("631", N_("Bank charges"), X, "63"),
    ("632", N_("Fees of intermediaries and advisers"), X, "63"),
    ("64", N_("Taxes and duties"), X, "6"),
    ("641", N_("Direct taxes and duties"), X, "64"),
    ("646", N_("Registration duties"), X, "64"),
    ("648", N_("Other taxes and duties"), X, "64"),
    ("65", N_("Other expenses"), X, "6"),
    ("658", N_("Sundry expenses"), X, "65"),
    ("66", N_("Staff costs"), X, "6"),
    ("661", N_("Direct pay to national staff"), X, "66"),
    ("664", N_("Social security charges"), X, "66"),
    ("67", N_("Financial expenses"), X, "6"),
    ("671", N_("Interest on loans"), X, "67"),
    ("68", N_("Depreciation charges"), X, "6"),
    # class 7: income of ordinary activities
    ("7", N_("Class 7 – Income of ordinary activities"), I, ""),
    ("70", N_("Sales"), I, "7"),
    ("706", N_("Services sold"), I, "70"),
    ("707", N_("Ancillary income"), I, "70"),
    ("71", N_("Operating grants"), I, "7"),
    ("75", N_("Other income"), I, "7"),
    ("758", N_("Sundry income"), I, "75"),
    ("77", N_("Financial income"), I, "7"),
    ("771", N_("Interest on loans and receivables"), I, "77"),
    # class 8: other expenses and income (outside ordinary activities)
    ("8", N_("Class 8 – Other expenses and income"), X, ""),
    ("83", N_("Expenses outside ordinary activities"), X, "8"),
    ("84", N_("Income outside ordinary activities"), I, "8"),
    ("89", N_("Taxes on the result"), X, "8"),
)

DEFAULT: tuple[tuple[str, str, str, str], ...] = (
    ("1000", N_("Assets"), A, ""),
    ("1100", N_("Cash on hand"), A, "1000"),
    ("1101", N_("Cash box"), A, "1100"),
    ("1200", N_("Mobile money"), A, "1000"),
    ("1201", N_("Mobile-money wallet"), A, "1200"),
    ("1300", N_("Bank accounts"), A, "1000"),
    ("1301", N_("Bank account"), A, "1300"),
    ("1400", N_("Members' share capital called, not paid"), A, "1000"),
    ("1500", N_("Receivables"), A, "1000"),
    ("1600", N_("Equipment"), A, "1000"),
    ("2000", N_("Liabilities"), L, ""),
    ("2100", N_("Owed to members"), L, "2000"),
    ("2200", N_("Taxes payable"), L, "2000"),
    ("2300", N_("Suppliers"), L, "2000"),
    ("2400", N_("Wages payable"), L, "2000"),
    ("2500", N_("Loans"), L, "2000"),
    ("3000", N_("Equity"), E, ""),
    ("3100", N_("Share capital called, not paid"), E, "3000"),
    ("3110", N_("Share capital paid"), E, "3000"),
    ("3200", N_("Legal reserve"), E, "3000"),
    ("3210", N_("Other reserves"), E, "3000"),
    ("3300", N_("Retained earnings"), E, "3000"),
    ("3400", N_("Result awaiting allocation"), E, "3000"),
    ("3900", N_("Opening balance equity"), E, "3000"),
    ("4000", N_("Income"), I, ""),
    ("4100", N_("Levy income"), I, "4000"),
    ("4200", N_("Grants"), I, "4000"),
    ("4300", N_("Interest income"), I, "4000"),
    ("4900", N_("Other income"), I, "4000"),
    ("5000", N_("Expenses"), X, ""),
    ("5100", N_("Fuel and energy"), X, "5000"),
    ("5200", N_("Rent"), X, "5000"),
    ("5300", N_("Tools and small equipment"), X, "5000"),
    ("5400", N_("Wages"), X, "5000"),
    ("5500", N_("Transport"), X, "5000"),
    ("5600", N_("Bank and mobile-money fees"), X, "5000"),
    ("5700", N_("Office supplies"), X, "5000"),
    ("5800", N_("Taxes and fees"), X, "5000"),
    ("5850", N_("Maintenance and repairs"), X, "5000"),
    ("5900", N_("Other expenses"), X, "5000"),
    ("5950", N_("Cash over and short"), X, "5000"),
)

# The keys of the postings and the account each stands for. The first seven are what the sales ledger used
# before the chart existed (their postings are hashed: they keep their keys and are mapped here).
KEYS: dict[str, dict[str, str]] = {
    "syscohada": {
        "cash": "5711",
        "mobile_money": "5521",
        "bank": "5211",
        "member_payable": "462",
        "levy_income": "706",
        "tax_payable": "442",
        "tax_expense": "648",
        "share_called": "1012",  # capital subscribed by a member, called, not yet paid
        "share_paid": "1013",
        "share_receivable": "4613",  # what the member still owes on the capital called
        "opening_equity": "121",
        "cash_short": "658",
        "cash_over": "758",
        "result": "130",  # the year's result awaiting the general assembly's allocation
        "retained": "121",
        "legal_reserve": "111",
        "other_reserve": "118",
    },
    "default": {
        "cash": "1101",
        "mobile_money": "1201",
        "bank": "1301",
        "member_payable": "2100",
        "levy_income": "4100",
        "tax_payable": "2200",
        "tax_expense": "5800",
        "share_called": "3100",
        "share_paid": "3110",
        "share_receivable": "1400",
        "opening_equity": "3900",
        "cash_short": "5950",
        "cash_over": "5950",
        "result": "3400",
        "retained": "3300",
        "legal_reserve": "3200",
        "other_reserve": "3210",
    },
}
# Keys whose postings name a member (their balance is per member).
MEMBER_KEYS = frozenset({"member_payable", "share_called", "share_paid", "share_receivable"})
# Where a new treasury account of each kind goes: a sub-account of this group account.
GROUPS: dict[str, dict[str, str]] = {
    "syscohada": {"cash": "571", "mobile_money": "552", "bank": "521"},
    "default": {"cash": "1100", "mobile_money": "1200", "bank": "1300"},
}
# The number a new treasury account of each kind gets: this prefix and the next free digit (5712, 1102, ...).
PREFIXES: dict[str, dict[str, str]] = {
    "syscohada": {"cash": "571", "mobile_money": "552", "bank": "521"},
    "default": {"cash": "110", "mobile_money": "120", "bank": "130"},
}
CHARTS = {"syscohada": SYSCOHADA, "default": DEFAULT}
