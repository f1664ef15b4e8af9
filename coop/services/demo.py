"""Deterministic demo cooperative (DRC gold and cassiterite, 2025): members, lots, sales, payouts, taxes, safety."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from coop.changes import Changes
from coop.models import Member, database
from coop.permissions import Actor
from coop.services import payouts, production, registry, safety, sales, settings, taxes, users

YEAR = 2025
DEMO_PASSWORD = "demo-pass-2025"
FIRST = [
    "Amani",
    "Bahati",
    "Chance",
    "Deo",
    "Espérance",
    "Furaha",
    "Gloire",
    "Héritier",
    "Imani",
    "Jeanne",
    "Kavira",
    "Léonie",
    "Mapendo",
    "Neema",
    "Olivier",
    "Patience",
    "Riziki",
    "Safari",
    "Tumaini",
    "Zawadi",
]
LAST = [
    "Bisimwa",
    "Cirhuza",
    "Mushagalusa",
    "Kabila",
    "Mulume",
    "Bahizire",
    "Nabintu",
    "Kalumuna",
    "Mugisho",
    "Balagizi",
    "Zihindula",
    "Byamungu",
]
SITES = [
    ("KAM", "Kamituga – Mobale", "-3.0601", "28.1803", "PE 12345", "Gold"),
    ("MWE", "Mwenga – Kitutu", "-3.0333", "28.4333", "ZEA 0451", "Gold"),
    ("NYA", "Nyabibwe", "-2.0417", "28.9631", "ZEA 0112", "Cassiterite"),
]
ROLES = ["digger"] * 6 + ["washer"] * 2 + ["transporter", "processor", "trader"]


def create(actor: Actor, *, members: int = 120) -> dict[str, int]:
    """Fill an empty database with one deterministic demo year; returns counts of what was made."""
    rng = random.Random(2025)
    with database.atomic():
        settings.save(
            actor,
            name="Coopérative Minière Artisanale de Kamituga (COMIAKA)",
            registration_no="RCCM/CD/BKV/2019-A-0457",
            tax_id="A1901234X",
            address="Avenue de la Poste 12, Kamituga, Sud-Kivu, RD Congo",
            country="CD",
            currency="CDF",
            locale="fr_CD",
            fiscal_year_start=1,
            levy_bp=500,
            receipt_footer="Merci. Conservez ce reçu. / Thank you. Keep this receipt.",
        )
        gold = registry.save_mineral(
            actor, None, name="Gold", unit="g", grade_kind="fineness", hs_code="7108.12"
        ).id
        cass = registry.save_mineral(
            actor, None, name="Cassiterite", unit="kg", grade_kind="percent", hs_code="2609.00"
        ).id
        registry.save_mineral(actor, None, name="Coltan", unit="kg", grade_kind="percent", hs_code="2615.90")
        mineral_of = {"Gold": gold, "Cassiterite": cass}
        sites = {
            code: registry.save_site(
                actor,
                None,
                code=code,
                name=name,
                latitude=lat,
                longitude=lon,
                licence_no=lic,
                minerals=mineral,
            ).id
            for code, name, lat, lon, lic, mineral in SITES
        }
        buyers = [
            registry.save_buyer(actor, None, name=n, licence_no=lic, kind=k, tax_id=t).id
            for n, lic, k, t in [
                ("Comptoir Muungano", "CMP-2024-031", "comptoir", "A0912345B"),
                ("Etablissement Namukaya", "CMP-2024-077", "comptoir", "A1022334C"),
                ("SAEMAPE – achat public", "SAE-001", "state", ""),
            ]
        ]
        taxes.load_presets(actor, "CD", date(YEAR, 1, 1))
        member_ids, capital = _members(actor, rng, members, list(sites.values()))
        lots = _lots(actor, rng, sites, mineral_of, member_ids)
        sale_count = _sales(actor, rng, lots, buyers)
        books = _Books(actor, capital)
        payout_count = books.year(rng, member_ids)
        incidents = _incidents(actor, rng, list(sites.values()))
        _mercury(actor, rng, [sites["KAM"], sites["MWE"]])
        _users(actor, member_ids[0])
        _close_year(actor)
    return {
        "members": len(member_ids),
        "lots": sum(len(v) for v in lots.values()),
        "sales": sale_count,
        "payouts": payout_count,
        "incidents": incidents,
    }


def _members(
    actor: Actor, rng: random.Random, count: int, site_ids: list[int]
) -> tuple[list[int], dict[int, int]]:
    """The members, and the share capital (minor units) each had paid before the demo year."""
    ids, capital = [], {}
    for i in range(count):
        first = rng.choice(FIRST)
        sex = "F" if first in {"Espérance", "Jeanne", "Kavira", "Léonie", "Neema", "Zawadi"} else "M"
        values = dict(
            member_no=f"M{i + 1:04d}",
            full_name=f"{first} {rng.choice(LAST)}",
            sex=sex,
            birth_year=rng.randint(1960, 2004),
            id_number=f"CA-{rng.randint(100000, 999999)}",
            card_expiry=date(YEAR + 1, rng.randint(1, 12), 1),
            phone=f"+243 99 {rng.randint(1000000, 9999999)}",
            community=rng.choice(["Kamituga", "Kitutu", "Nyabibwe", "Mwenga"]),
            site=site_ids[i % 3],
            role=rng.choice(ROLES),
            join_date=date(2019 + i % 6, 1 + i % 12, 1 + i % 28),
            status="left" if i % 41 == 40 else ("suspended" if i % 53 == 52 else "active"),
            share_capital_minor=rng.choice([5000000, 10000000, 20000000]),
        )
        paid = values.pop("share_capital_minor")  # in the books: the opening balances (coop.services.books)
        ids.append(registry.save_member(actor, None, **values).id)  # type: ignore[arg-type]
        capital[ids[-1]] = int(paid)  # type: ignore[call-overload]
    return ids, capital


def _lots(
    actor: Actor, rng: random.Random, sites: dict[str, int], minerals: dict[str, int], members: list[int]
) -> dict[int, list[tuple[date, int]]]:
    """Work groups of 4–8 members per site register lots every few days through the year."""
    active = {m.id for m in Member.select().where(Member.status == "active")}
    by_site: dict[int, list[tuple[date, int]]] = {}
    for index, (code, _n, _a, _b, _l, mineral) in enumerate(SITES):
        site_members = [m for k, m in enumerate(members) if k % 3 == index and m in active]
        groups = [site_members[i : i + rng.randint(4, 8)] for i in range(0, len(site_members), 6)]
        day = date(YEAR, 1, 2)
        while day < date(YEAR, 12, 20):
            group = rng.choice([g for g in groups if g])
            weights = [rng.randint(1, 5) for _ in group]
            shares = _shares(weights)
            gold = mineral == "Gold"
            qty = Decimal(rng.randint(300, 4500)) / 100 if gold else Decimal(rng.randint(80, 600))
            grade = Decimal(rng.randint(780, 880)) if gold else Decimal(rng.randint(60, 72))
            lot = production.create_lot(
                actor,
                production.LotInput(
                    site_id=sites[code],
                    mineral_id=minerals[mineral],
                    date=day,
                    quantity=qty,
                    grade=grade,
                    owners=list(zip(group, shares, strict=True)),
                    mercury_g=(qty * Decimal(rng.choice([12, 15, 20])) / 10).quantize(Decimal("0.1"))
                    if gold
                    else Decimal(0),
                    retort_used=gold and rng.random() < 0.4,
                    notes="",
                ),
            ).id
            by_site.setdefault(sites[code], []).append((day, lot))
            day += timedelta(days=rng.randint(2, 5))
    return by_site


def _shares(weights: list[int]) -> list[int]:
    from coop import money

    return money.split(money.BP, weights)


def _sales(
    actor: Actor, rng: random.Random, lots: dict[int, list[tuple[date, int]]], buyers: list[int]
) -> int:
    """Each site sells its stock about every two weeks; gold mostly in USD, cassiterite in CDF."""
    pending = sorted((d, site, lot) for site, items in lots.items() for d, lot in items)
    stock: dict[int, list[int]] = {}
    count, next_sale = 0, date(YEAR, 1, 14)
    from coop.models import Mineral, ProductionLot

    for day, site, lot in pending + [(date(YEAR, 12, 31), 0, 0)]:
        while day >= next_sale:
            for site_id, lot_ids in sorted(stock.items()):
                if not lot_ids:
                    continue
                first = ProductionLot.get_by_id(lot_ids[0])
                gold = Mineral.get_by_id(first.mineral_id).name == "Gold"
                usd = gold and rng.random() < 0.8
                rate = Decimal(2750 + rng.randint(0, 150))
                price_usd = (
                    Decimal(rng.randint(8200, 9600)) / 100 if gold else Decimal(rng.randint(1100, 1500)) / 100
                )
                sales.post_sale(
                    actor,
                    sales.SaleInput(
                        buyer_id=buyers[2] if gold and rng.random() < 0.15 else rng.choice(buyers[:2]),
                        lot_ids=lot_ids,
                        date=next_sale,
                        currency="USD" if usd else "CDF",
                        unit_price=price_usd if usd else (price_usd * rate).quantize(Decimal(1)),
                        exchange_rate=rate,
                        payment_method=rng.choice(["cash", "cash", "mobile_money", "bank"]),
                    ),
                )
                stock[site_id] = []
                count += 1
            next_sale += timedelta(days=14)
        if lot:
            stock.setdefault(site, []).append(lot)
    return count


# A year of the cooperative's own money (CDF minor units): what it pays each month, from which account.
MONTHLY = [
    # day, account, treasury, payee, low, high (CDF)
    (3, "622", "bank", "Bailleur – bureau de Kamituga", 450_000, 450_000),
    (8, "6053", "cash", "Station Kamituga (carburant)", 150_000, 400_000),
    (12, "6056", "site", "Quincaillerie Mwenga (outils)", 50_000, 250_000),
    (20, "628", "mobile_money", "Vodacom (communications)", 30_000, 60_000),
    (28, "631", "bank", "Banque – frais de tenue de compte", 15_000, 15_000),
]
STAFF = [("661", 1_500_000), ("664", 150_000)]  # wages of the office staff and social charges, split
COUNTS = [
    (3, 31, -250_000),
    (6, 30, 0),
    (9, 30, 100_000),
    (12, 31, -50_000),
]  # quarter ends: difference (minor)


class _Books:
    """The demo's money in date order: opening balances, expenses, transfers, share capital, payouts, tax
    payments and cash counts, moving money between accounts before a payment rather than overdrawing one."""

    def __init__(self, actor: Actor, capital: dict[int, int]) -> None:
        from coop.services.books import treasury

        self.actor = actor
        self.capital = capital
        self.rng = random.Random(YEAR + 1)  # its own: the rest of the demo draws what it always drew
        self.accounts = {t.kind: t for t in treasury.accounts(actor) if t.is_default}
        self.site = treasury.add(actor, "Caisse site Mwenga", "cash").id
        self.keys: dict[str, str] = {}

    def _id(self, name: str) -> int:
        return self.site if name == "site" else self.accounts[name].id

    def _key(self, name: str) -> str:
        from coop.services.books import treasury

        if name not in self.keys:
            self.keys[name] = treasury.get(self._id(name)).key
        return self.keys[name]

    def year(self, rng: random.Random, members: list[int]) -> int:
        self._opening()
        payouts_made = 0
        for month in range(1, 13):
            self._month(month)
            if month >= 2:
                payouts_made += self._payouts(rng, members, date(YEAR, month, 5))
            if month in (4, 7, 10):
                self._tax_payment(month)
            if month == 3:
                self._subscriptions()
            if month == 6:
                self._grant()
            if month == 9:
                self._share_payments(date(YEAR, 9, 20), half=False)
            if month == 11:
                self._refunds()
            for m, d, diff in COUNTS:
                if m == month:
                    self._count(date(YEAR, m, d), diff)
        return payouts_made

    def _opening(self) -> None:
        from coop.services.books import opening

        rows = [
            opening.OpeningRow("5711", "5000000"),
            opening.OpeningRow("5521", "1500000"),
            opening.OpeningRow("5211", "18000000"),
            opening.OpeningRow("241", "12500000"),  # tools and equipment
            opening.OpeningRow("245", "9000000"),  # the pick-up
            opening.OpeningRow("401", credit="2400000"),  # an unpaid supplier
            opening.OpeningRow("111", credit="3000000"),  # legal reserve of earlier years
        ]
        from coop.models import Member as M

        for member_id, paid in sorted(self.capital.items()):
            number = M.get_by_id(member_id).member_no
            rows.append(opening.OpeningRow("1013", credit=str(Decimal(paid) / 100), member=number))
        opening.enter(self.actor, rows, date(YEAR, 1, 1))

    def _ensure(self, name: str, amount: int, day: date) -> None:
        """Before paying `amount` from `name` on `day`: top it up from the account holding most if short."""
        from coop.services.books import entries, treasury

        key = self._key(name)
        short = amount - treasury.available(key, day)
        if short <= 0:
            return
        others = [n for n in ("bank", "cash", "mobile_money") if n != name]
        source = max(others, key=lambda n: treasury.available(self._key(n), day))
        top_up = (
            -(-(short + 300_000_000) // 100_000_000) * 100_000_000
        )  # whole millions of CDF, with a margin
        top_up = min(top_up, treasury.available(self._key(source), day))
        entries.transfer(
            self.actor,
            day=day,
            from_id=self._id(source),
            to_id=self._id(name),
            amount=Decimal(top_up) / 100,
            document_ref=f"VIR-{day:%Y%m%d}-{name[:3].upper()}",
            note="Approvisionnement avant paiement",
        )

    def _expense(self, day: date, account: str, name: str, payee: str, minor: int, ref: str) -> None:
        from coop.services.books import entries

        self._ensure(name, minor, day)
        entries.record_expense(
            self.actor,
            day=day,
            treasury_id=self._id(name),
            account=account,
            amount=Decimal(minor) / 100,
            payee=payee,
            document_ref=ref,
        )

    def _month(self, month: int) -> None:
        from coop.services.books import entries

        for day_no, account, name, payee, low, high in MONTHLY:
            amount = self.rng.randint(low // 1000, high // 1000) * 1000 * 100
            self._expense(
                date(YEAR, month, day_no), account, name, payee, amount, f"FAC-{month:02d}{day_no:02d}"
            )
        day = date(YEAR, month, 25)
        total = sum(a for _n, a in STAFF) * 100
        self._ensure("bank", total, day)
        entries.record_expense(
            self.actor,
            day=day,
            treasury_id=self._id("bank"),
            splits=[entries.Split(n, Decimal(a)) for n, a in STAFF],
            payee="Personnel du bureau",
            document_ref=f"PAIE-{YEAR}{month:02d}",
        )
        if month % 3 == 0:
            self._expense(
                date(YEAR, month, 15),
                "624",
                "cash",
                "Garage Kamituga (entretien du pick-up)",
                self.rng.randint(200, 600) * 1000 * 100,
                f"FAC-ENT-{month:02d}",
            )

    def _payouts(self, rng: random.Random, members: list[int], day: date) -> int:
        """The month's payouts, decided first (from what each member is owed), then funded and paid."""
        from coop.services import ledger

        planned = []
        for member_id in members:
            owed = ledger.member_balance(self.actor, member_id, as_of=day)
            if owed >= 1_000_000 and rng.random() < 0.7:  # ≥ 10 000 CDF
                amount = Decimal(owed * rng.choice([60, 80, 100]) // 100 // 100)
                planned.append((member_id, amount, rng.choice(["cash", "mobile_money"])))
        for method in ("cash", "mobile_money"):
            self._ensure(method, sum(int(a * 100) for _m, a, k in planned if k == method), day)
        for member_id, amount, method in planned:
            payouts.pay_member(
                self.actor, member_id, amount, day, method, f"PAY-{YEAR}{day.month:02d}-{member_id:04d}"
            )
        return len(planned)

    def _tax_payment(self, month: int) -> None:
        quarter = (month - 1) // 3 - 1  # Q1-Q3 paid in April, July, October; Q4 still due at year end
        start = date(YEAR, 3 * quarter + 1, 1)
        end = date(YEAR, 3 * quarter + 4, 1) - timedelta(days=1)
        due = taxes.summary(self.actor, start, end)
        for authority in sorted({t.authority for t in due.taxes}):
            amount = sum(t.due_minor for t in due.taxes if t.authority == authority)
            day = end + timedelta(days=10)
            self._ensure("bank", amount, day)
            taxes.pay(
                self.actor,
                authority=authority,
                amount=Decimal(amount) / 100,
                day=day,
                period_from=start,
                period_to=end,
                reference=f"DGRAD-{YEAR}-T{quarter + 1}",
                method="bank",
            )

    def _subscriptions(self) -> None:
        """Twelve members raise their share capital by 50 000 CDF; half is paid at once, the rest in September."""
        from coop.services.books import shares

        for member_id in sorted(self.capital)[:12]:
            shares.subscribe(self.actor, member_id, Decimal(50_000), date(YEAR, 3, 15), "AG du 15 mars")
        self._share_payments(date(YEAR, 3, 20), half=True)

    def _share_payments(self, day: date, *, half: bool) -> None:
        from coop.services.books import shares

        for member_id in sorted(self.capital)[:12]:
            due = shares.share_capital(self.actor, member_id).unpaid_minor
            if due:
                amount = due // 2 if half else due
                shares.pay(
                    self.actor,
                    member_id,
                    Decimal(amount) / 100,
                    day,
                    method="cash",
                    document_ref=f"PS-{day:%Y%m}-{member_id:04d}",
                )

    def _grant(self) -> None:
        from coop.services.books import entries

        entries.record_income(
            self.actor,
            day=date(YEAR, 6, 16),
            treasury_id=self._id("bank"),
            account="71",
            amount=Decimal(8_000_000),
            payer="Projet d'appui aux coopératives minières",
            document_ref="CONV-2025-014",
            note="Subvention pour l'achat d'équipements de sécurité",
        )

    def _refunds(self) -> None:
        """Members who left get their paid share capital back."""
        from coop.services.books import shares

        gone = [m.id for m in Member.select().where(Member.status == "left").order_by(Member.id)]
        for member_id in gone:
            paid = shares.share_capital(self.actor, member_id).paid_minor
            if paid:
                day = date(YEAR, 11, 20)
                self._ensure("cash", paid, day)
                shares.refund(
                    self.actor,
                    member_id,
                    Decimal(paid) / 100,
                    day,
                    method="cash",
                    document_ref=f"RPS-{member_id:04d}",
                    note="Départ du membre",
                )

    def _count(self, day: date, diff: int) -> None:
        from coop.services.books import cashcount, treasury

        book = treasury.daily_balance(self._key("cash"), day)
        reason = "" if not diff else ("Erreur de monnaie rendue" if diff < 0 else "Pièces retrouvées")
        cashcount.count_cash(self.actor, self._id("cash"), Decimal(book + diff) / 100, day, reason)


def _close_year(actor: Actor) -> None:
    """The general assembly of 28 March 2026 approved the 2025 accounts and allocated the surplus: 20 % each to
    the general and the education reserves (the OHADA minimums, AUSCOOP art. 114), 10 % to the development
    fund, 30 % as ristourne to the members by their sales, the rest retained (coop.services.books.yearclose)."""
    from coop.services.books import yearclose

    percent = {"legal_reserve": "20", "education_reserve": "20", "other_reserve": "10", "ristourne": "30"}
    decision = yearclose.AllocationInput(day=date(YEAR + 1, 3, 28), reference="AG 2026/01", percent=percent)
    yearclose.close_year(actor, YEAR, decision)


def _incidents(actor: Actor, rng: random.Random, sites: list[int]) -> int:
    cases = [
        ("collapse", "lost_time", 2, 0, "Effondrement partiel d'une paroi de puits après la pluie."),
        ("fall", "first_aid", 1, 0, "Chute dans un puits de 3 m, entorse."),
        ("flooding", "near_miss", 0, 0, "Inondation d'une galerie, évacuation à temps."),
        ("suffocation", "lost_time", 1, 0, "Manque d'air au fond d'un puits de 18 m."),
        ("mercury", "first_aid", 1, 0, "Brûlage d'amalgame sans cornue près des habitations."),
        ("child", "near_miss", 0, 0, "Deux enfants trouvés sur le site de lavage."),
        ("collapse", "fatality", 3, 1, "Effondrement d'une galerie ; un creuseur décédé."),
        ("machinery", "first_aid", 1, 0, "Blessure à la main avec un marteau."),
        ("dust", "near_miss", 0, 0, "Poussière au concassage, masques distribués."),
        ("armed_actor", "near_miss", 0, 0, "Passage d'hommes armés exigeant une taxe illégale."),
    ]
    for i, (cat, sev, injured, dead, text) in enumerate(cases):
        when = datetime(YEAR, 1 + i, rng.randint(1, 28), rng.randint(6, 17), 0)
        reported = sev in ("fatality", "lost_time")
        iid = safety.save_incident(
            actor,
            None,
            occurred_at=when,
            site=sites[i % len(sites)],
            category=cat,
            severity=sev,
            people="",
            injured=injured,
            fatalities=dead,
            description=text,
            actions="Réunion de sécurité ; étançonnement renforcé." if i % 2 else "",
            reported_to_authority=reported,
            reported_on=(when + timedelta(days=2)).date() if reported else None,
        ).id
        if i < 7:
            safety.move_incident(actor, iid, "investigating")
        if i < 5:
            safety.move_incident(actor, iid, "closed", "Causes établies ; mesures prises sur le site.")
    return len(cases)


def _mercury(actor: Actor, rng: random.Random, gold_sites: list[int]) -> None:
    for month in range(1, 13):
        for site in gold_sites:
            safety.record_mercury(
                actor,
                site_id=site,
                day=date(YEAR, month, 3),
                kind="purchased",
                grams=Decimal(rng.randint(400, 900)),
                supplier="Fournisseur Uvira",
            )
            for week in range(4):
                safety.record_mercury(
                    actor,
                    site_id=site,
                    day=date(YEAR, month, 4 + 7 * week),
                    kind="used",
                    grams=Decimal(rng.randint(80, 220)),
                    retort_used=rng.random() < 0.4,
                )


def _users(actor: Actor, member_id: int) -> None:
    for name, role in [
        ("manager", "manager"),
        ("treasurer", "treasurer"),
        ("clerk", "clerk"),
        ("auditor", "auditor"),
    ]:
        users.add_user(actor, name, DEMO_PASSWORD, role)
    users.add_user(actor, "member", DEMO_PASSWORD, "member", member_id=member_id)


def lots_in_stock(actor: Actor) -> Changes:
    """Two gold lots in stock after the demo year (which sells everything), e.g. for a sale to show."""
    from coop.models import Mineral, Site

    gold = Mineral.get(Mineral.name == "Gold")
    site = Site.select().where(Site.minerals.contains("Gold")).first()
    members = [m.id for m in Member.select().where(Member.site == site).limit(3)]
    changes = Changes()
    for qty, owners in (("42.5", [(members[0], 6000), (members[1], 4000)]), ("18.2", [(members[2], 10000)])):
        lot = production.LotInput(
            site.id, gold.id, date(YEAR, 12, 29), Decimal(qty), owners, grade=Decimal("870")
        )
        changes |= production.create_lot(actor, lot).changes
    return changes
