"""Numbers and money amounts in words (en, fr, es, pt-BR/pt-PT, sw) for receipts: pure Python plus babel names.

`lang` may be a language ("pt") or a locale ("pt_MZ", "pt-PT"): the region chooses the Portuguese scale and
spelling and the locale's own currency names. Numbers below `MAX_WORDS` are spelled (every amount a record may
hold, money.MAX_MINOR, is below it).
"""

from __future__ import annotations

from babel.core import Locale, UnknownLocaleError
from babel.numbers import get_currency_name

from coop import money

MAX_WORDS = 10**18
LANGUAGES = ("en", "fr", "es", "pt", "sw")

_EN = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
# Short scale, as in English-speaking Africa and the US: 10⁹ is a billion.
_EN_SCALES = ("", "thousand", "million", "billion", "trillion", "quadrillion")

_FR = (
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
    "dix-sept dix-huit dix-neuf"
).split()
_FR_TENS = "_ _ vingt trente quarante cinquante soixante".split()
# Long scale: milliard 10⁹, billion 10¹², billiard 10¹⁵ (French of France, Belgium, Africa and Canada alike).
_FR_SCALES = ("", "mille", "million", "milliard", "billion", "billiard")

_ES = (
    "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis "
    "diecisiete dieciocho diecinueve veinte veintiuno veintidós veintitrés veinticuatro veinticinco "
    "veintiséis veintisiete veintiocho veintinueve"
).split()
_ES_TENS = "_ _ _ treinta cuarenta cincuenta sesenta setenta ochenta noventa".split()
_ES_HUNDREDS = (
    "_ ciento doscientos trescientos cuatrocientos quinientos seiscientos setecientos ochocientos novecientos"
).split()
# Long scale (RAE): mil millones 10⁹, un billón 10¹², mil billones 10¹⁵.
_ES_SCALES = (("millón", "millones"), ("billón", "billones"))

_PT = (
    "zero um dois três quatro cinco seis sete oito nove dez onze doze treze catorze quinze dezesseis "
    "dezessete dezoito dezenove"
).split()
_PT_EU = {16: "dezasseis", 17: "dezassete", 19: "dezanove"}  # Portugal, Mozambique, Angola...
_PT_TENS = "_ _ vinte trinta quarenta cinquenta sessenta setenta oitenta noventa".split()
_PT_HUNDREDS = (
    "_ cento duzentos trezentos quatrocentos quinhentos seiscentos setecentos oitocentos novecentos"
).split()
# Brazil: short scale (bilhão 10⁹, trilhão 10¹², quatrilhão 10¹⁵). Portugal and the African countries that
# follow its norm: long scale (mil milhões 10⁹, bilião 10¹², mil biliões 10¹⁵).
_PT_BR_SCALES = (
    ("milhão", "milhões"),
    ("bilhão", "bilhões"),
    ("trilhão", "trilhões"),
    ("quatrilhão", "quatrilhões"),
)
_PT_EU_SCALES = (("milhão", "milhões"), ("bilião", "biliões"))
_PT_BRAZILIAN_REGIONS = ("", "BR")  # plain "pt" is Brazilian, like the application's pt catalogue

_SW = "sifuri moja mbili tatu nne tano sita saba nane tisa".split()
_SW_TENS = "_ kumi ishirini thelathini arobaini hamsini sitini sabini themanini tisini".split()
# Swahili scale words come before their multiplier ("elfu mbili" = 2,000). Tanzania and Kenya count money in
# laki (100,000, from Hindi lakh; in TUKI's Kamusi ya Kiswahili Sanifu): "laki tatu" rather than "elfu mia
# tatu", which a reader may take for 1,000 + 300. Above it: milioni, bilioni (10⁹, short scale as in
# Tanzanian and Kenyan budgets) and trilioni (10¹²); 10¹⁵ is "trilioni elfu moja" rather than a rare word.
_SW_SCALES = ((10**12, "trilioni"), (10**9, "bilioni"), (10**6, "milioni"))

# Minor-unit names (singular, plural) per currency and language; the default covers the rest.
_MINOR_DEFAULT = {
    "en": ("cent", "cents"),
    "fr": ("centime", "centimes"),
    "es": ("céntimo", "céntimos"),
    "pt": ("cêntimo", "cêntimos"),
    "sw": ("senti", "senti"),
}
_CENTAVO = {
    "en": ("centavo", "centavos"),
    "fr": ("centavo", "centavos"),
    "es": ("centavo", "centavos"),
    "pt": ("centavo", "centavos"),
    "sw": ("senti", "senti"),
}
_MINOR: dict[str, dict[str, tuple[str, str]]] = {
    "USD": {**_CENTAVO, "en": ("cent", "cents"), "fr": ("cent", "cents")},
    "BOB": _CENTAVO,
    "MZN": _CENTAVO,
    "BRL": _CENTAVO,
    "COP": _CENTAVO,
    "PEN": {**_MINOR_DEFAULT, "en": ("céntimo", "céntimos"), "fr": ("céntimo", "céntimos")},
    "GHS": {k: ("pesewa", "pesewas") for k in _MINOR_DEFAULT} | {"sw": ("pesewa", "pesewa")},
    "ZMW": {k: ("ngwee", "ngwee") for k in _MINOR_DEFAULT},
    "TZS": {**_MINOR_DEFAULT, "fr": ("cent", "cents"), "es": ("centavo", "centavos")},
    "KES": {**_MINOR_DEFAULT, "fr": ("cent", "cents"), "es": ("centavo", "centavos")},
    "GBP": {
        **{k: ("penny", "pence") for k in _MINOR_DEFAULT},
        "es": ("penique", "peniques"),
        "sw": ("peni", "peni"),
    },
    "NGN": {k: ("kobo", "kobo") for k in _MINOR_DEFAULT},
}
# Currency nouns that are feminine (una libra, duas coroas), as CLDR's agreeing adjectives show them; the
# number then agrees up to the thousands: 'doscientas mil libras', 'duzentas e uma libras'.
_FEMININE = {
    "es": {"corona", "dobra", "grivna", "kina", "leona", "libra", "lira", "pataca", "rufiya", "rupia"},
    "pt": {
        "coroa",
        "dobra",
        "kina",
        "lempira",
        "libra",
        "lira",
        "naira",
        "ouguiya",
        "pataca",
        "paʻanga",
        "pula",
        "rupia",
    },
}
_FEMININE_WORDS = {
    "es": {"un": "una", "uno": "una", "veintiún": "veintiuna", "veintiuno": "veintiuna"},
    "pt": {"um": "uma", "dois": "duas"},
}


def _feminine(words: str, base: str) -> str:
    """Number words agreeing with a feminine noun: 'una', 'veintiuna', 'doscientas'; 'uma', 'duas', 'duzentas'."""
    table, hundreds = _FEMININE_WORDS[base], "ientos" if base == "es" else "entos"
    out = []
    for w in words.split(" "):
        out.append(table.get(w) or (w[:-2] + "as" if w.endswith(hundreds) else w))
    return " ".join(out)


def _groups(n: int) -> list[tuple[int, int]]:
    """(scale exponent of 1000, group value) from the highest non-zero group down."""
    out, power = [], 0
    while n:
        n, g = divmod(n, 1000)
        if g:
            out.append((power, g))
        power += 1
    return out[::-1]


# ---------------------------------------------------------------- English


def _en_999(n: int) -> str:
    h, r = divmod(n, 100)
    if r < 20:
        tail = _EN[r]
    else:
        tail = _EN_TENS[r // 10] + (f"-{_EN[r % 10]}" if r % 10 else "")
    if not h:
        return tail
    return f"{_EN[h]} hundred" + (f" and {tail}" if r else "")


def _en(n: int) -> str:
    """British and Commonwealth usage: 'and' after hundred and before a last group below 100."""
    groups = _groups(n)
    parts = []
    for i, (power, g) in enumerate(groups):
        words = _en_999(g)
        if power == 0 and i > 0 and g < 100:
            words = f"and {words}"
        parts.append(f"{words} {_EN_SCALES[power]}".strip())
    return " ".join(parts) or _EN[0]


# ---------------------------------------------------------------- French


def _fr_99(n: int) -> str:
    if n < 20:
        return _FR[n]
    if n < 70:
        t, u = divmod(n, 10)
        return _FR_TENS[t] + (" et un" if u == 1 else f"-{_FR[u]}" if u else "")
    if n < 80:
        return "soixante et onze" if n == 71 else f"soixante-{_FR[n - 60]}"
    return "quatre-vingts" if n == 80 else f"quatre-vingt-{_FR[n - 80]}"


def _fr_999(n: int, final: bool) -> str:
    """Below 1000; `final`: nothing but a noun follows, so 'vingts' and 'cents' keep their plural s."""
    h, r = divmod(n, 100)
    if not h:
        words = _fr_99(r)
        return words[:-1] if (not final and words.endswith("vingts")) else words
    head = "cent" if h == 1 else f"{_FR[h]} cent"
    if not r:
        return head + ("s" if h > 1 and final else "")
    tail = _fr_99(r)
    if not final and tail.endswith("vingts"):
        tail = tail[:-1]
    return f"{head} {tail}"


def _fr(n: int) -> str:
    """Traditional spelling (hyphens below 100 only): mille is invariable, million and milliard are nouns."""
    parts = []
    for power, g in _groups(n):
        if power == 1:
            parts.append("mille" if g == 1 else f"{_fr_999(g, final=False)} mille")
        elif power == 0:
            parts.append(_fr_999(g, final=True))
        else:
            parts.append(f"{_fr_999(g, final=True)} {_FR_SCALES[power]}" + ("s" if g > 1 else ""))
    return " ".join(parts) or _FR[0]


# ---------------------------------------------------------------- Spanish


def _es_999(n: int, apocope: bool) -> str:
    h, r = divmod(n, 100)
    if r < 30:
        tail = _ES[r] if r else ""
    else:
        t, u = divmod(r, 10)
        tail = _ES_TENS[t] + (f" y {_ES[u]}" if u else "")
    if apocope and tail.endswith("uno"):
        tail = tail[:-3] + ("ún" if tail == "veintiuno" else "un")
    if not h:
        return tail or _ES[0]
    if h == 1 and not r:
        return "cien"
    return f"{_ES_HUNDREDS[h]} {tail}".strip()


def _es_below_million(n: int, apocope: bool) -> str:
    th, u = divmod(n, 1000)
    parts = []
    if th:
        parts.append("mil" if th == 1 else f"{_es_999(th, True)} mil")
    if u or not th:
        parts.append(_es_999(u, apocope))
    return " ".join(parts)


def _es(n: int, apocope: bool = False, feminine: bool = False) -> str:
    """`apocope`: the number counts a masculine noun ('veintiún bolivianos', 'un millón'); `feminine`: a
    feminine one below a million ('veintiuna libras', 'doscientas mil libras', 'dos millones de libras')."""
    chunks = []  # groups of a million, lowest first
    while n:
        n, c = divmod(n, 10**6)
        chunks.append(c)
    if not chunks:
        return _ES[0]
    parts = []
    for k in range(len(chunks) - 1, 0, -1):
        c = chunks[k]
        if c:
            singular, plural = _ES_SCALES[k - 1]
            parts.append(f"un {singular}" if c == 1 else f"{_es_below_million(c, True)} {plural}")
    if chunks[0]:
        words = _es_below_million(chunks[0], apocope)
        parts.append(_feminine(words, "es") if feminine else words)
    return " ".join(parts)


# ---------------------------------------------------------------- Portuguese


def _pt_999(n: int, european: bool) -> str:
    h, r = divmod(n, 100)
    if r < 20:
        tail = (_PT_EU.get(r) if european else None) or (_PT[r] if r else "")
    else:
        t, u = divmod(r, 10)
        tail = _PT_TENS[t] + (f" e {_PT[u]}" if u else "")
    if not h:
        return tail or _PT[0]
    if h == 1 and not r:
        return "cem"
    return _PT_HUNDREDS[h] + (f" e {tail}" if tail else "")


def _pt_round(n: int) -> bool:
    """Whether "e" joins this last part to the ones before: it is one group, below 100 or whole hundreds
    ('mil e cem', 'mil e vinte', 'um milhão e quinhentos mil'; but 'mil duzentos e trinta')."""
    groups = _groups(n)
    return len(groups) == 1 and (groups[0][1] < 100 or groups[0][1] % 100 == 0)


def _pt_join(parts: list[tuple[int, str]]) -> str:
    """Parts (value, words), highest first, joined the way Portuguese writes amounts."""
    words = [w for _v, w in parts]
    if len(parts) > 1 and _pt_round(parts[-1][0]):
        words[-1] = f"e {words[-1]}"
    return " ".join(words)


def _pt_below_million(n: int, european: bool) -> str:
    th, u = divmod(n, 1000)
    parts = []
    if th:
        parts.append((th * 1000, "mil" if th == 1 else f"{_pt_999(th, european)} mil"))
    if u or not th:
        parts.append((u, _pt_999(u, european)))
    return _pt_join(parts)


def _pt(n: int, european: bool = False, feminine: bool = False) -> str:
    """Brazilian short scale, or the European long scale (`european`), with the "e" before the last part;
    `feminine`: the number agrees with a feminine noun below a million ('duzentas mil libras')."""
    size = 10**6 if european else 1000
    scales = _PT_EU_SCALES if european else _PT_BR_SCALES
    chunks = []  # lowest first: groups of a million (long scale) or of a thousand (short scale)
    while n:
        n, c = divmod(n, size)
        chunks.append(c)
    if not chunks:
        return _PT[0]
    parts: list[tuple[int, str]] = []
    for k in range(len(chunks) - 1, -1, -1):
        c = chunks[k]
        if not c:
            continue
        number = _pt_below_million(c, european) if european else _pt_999(c, european)
        if feminine and c * size**k < 10**6:
            number = _feminine(number, "pt")
        if k == 0:
            parts.append((c, number))
        elif not european and k == 1:
            parts.append((c * 1000, "mil" if c == 1 else f"{number} mil"))
        else:
            singular, plural = scales[k - 1 if european else k - 2]
            parts.append((c * size**k, f"um {singular}" if c == 1 else f"{number} {plural}"))
    return _pt_join(parts)


def _pt_european(region: str) -> bool:
    return region not in _PT_BRAZILIAN_REGIONS


# ---------------------------------------------------------------- Swahili


def _sw_999(n: int) -> str:
    """Below 1000: "na" before the last element only ('mia tatu sitini na tano', 'mia moja na kumi')."""
    h, r = divmod(n, 100)
    t, u = divmod(r, 10)
    elements = ([f"mia {_SW[h]}"] if h else []) + ([_SW_TENS[t]] if t else []) + ([_SW[u]] if u else [])
    if len(elements) == 1:
        return elements[0]
    return " ".join(elements[:-1]) + f" na {elements[-1]}"


def _sw_parts(n: int) -> list[tuple[int, str]]:
    parts = []
    for value, name in _SW_SCALES:
        q, n = divmod(n, value)
        if q:
            parts.append((q * value, f"{name} {_sw(q) if q >= 1000 else _sw_999(q)}"))
    lakh, n = divmod(n, 100_000)
    if lakh:
        parts.append((lakh * 100_000, f"laki {_SW[lakh]}"))
    th, u = divmod(n, 1000)
    if th:
        parts.append((th * 1000, f"elfu {_sw_999(th)}"))
    if u:
        parts.append((u, _sw_999(u)))
    return parts


def _sw(n: int) -> str:
    """Groups from the highest, separated by commas, the last one joined by "na" ('elfu mbili na ishirini na
    moja'). "na" alone would read 40,005 as 45,000 ('elfu arobaini na tano'): a last part of only units after
    a part ending in tens takes a comma too ('elfu arobaini, na tano')."""
    parts = _sw_parts(n)
    if not parts:
        return _SW[0]
    words = [w for _v, w in parts]
    if len(words) == 1:
        return words[0]
    ends_in_tens = words[-2].rsplit(" ", 1)[-1] in _SW_TENS[1:]
    joiner = ", na " if ends_in_tens and parts[-1][0] < 10 else " na "
    return ", ".join(words[:-1]) + joiner + words[-1]


# ---------------------------------------------------------------- numbers and amounts


def _lang(lang: str) -> tuple[str, str]:
    code = lang.replace("-", "_")
    base, _sep, region = code.partition("_")
    base = base.lower()
    return (base if base in LANGUAGES else "en"), region.upper()


def number_words(n: int, lang: str) -> str:
    """A non-negative whole number in words, e.g. 21 -> 'vingt et un' (fr); `lang` a language or a locale."""
    if n < 0 or n >= MAX_WORDS:
        raise ValueError(f"number_words takes a number from 0 to {MAX_WORDS - 1}")
    base, region = _lang(lang)
    if base == "fr":
        return _fr(n)
    if base == "es":
        return _es(n)
    if base == "pt":
        return _pt(n, european=_pt_european(region))
    if base == "sw":
        return _sw(n)
    return _en(n)


def _counted(n: int, base: str, region: str, feminine: bool = False) -> str:
    """Words for a number that counts a noun: Spanish apocope 'un', 'veintiún'; feminine agreement."""
    if base == "es":
        return _es(n, apocope=True, feminine=feminine)
    if base == "pt":
        return _pt(n, european=_pt_european(region), feminine=feminine)
    return number_words(n, f"{base}_{region}")


def _names_locale(lang: str, base: str) -> str:
    """The locale whose currency names to use: the given one when CLDR has it ('pt_MZ'), else the language."""
    code = lang.replace("-", "_")
    if code.partition("_")[0].lower() != base or "_" not in code:  # 'de_DE' is spelled in English: 'en'
        return base
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return base
    return code


def _major_name(currency: str, n: int, base: str, locale: str) -> str:
    name = get_currency_name(currency, count=n, locale=locale)
    if base in ("pt", "sw") and not name[:2].isupper():  # 'Dólares americanos', but 'CFA...' stays
        name = name[:1].lower() + name[1:]
    return name


def _minor_name(currency: str, n: int, base: str) -> str:
    singular, plural = _MINOR.get(currency, _MINOR_DEFAULT).get(base, _MINOR_DEFAULT[base])
    return singular if n == 1 else plural


def _sw_amount(name: str, major: int, minor_words: str) -> str:
    """Swahili puts the noun first and its "of Tanzania" after the number: 'shilingi elfu mbili za Tanzania'."""
    links = [i for i in (name.find(" ya "), name.find(" za ")) if i > 0]
    cut = min(links, default=len(name))
    noun, qualifier = name[:cut], name[cut + 1 :]
    text = " ".join(w for w in (noun, _sw(major), qualifier) if w)
    return text + (f" na {minor_words}" if minor_words else "")


def amount_words(minor: int, currency: str, lang: str) -> str:
    """An amount in minor units in words with the currency's names, e.g. 'cien bolivianos con cincuenta centavos'.

    `lang` is a language or, better, the document's locale ("pt_MZ" spells Mozambican Portuguese)."""
    currency = currency.upper()
    base, region = _lang(lang)
    sign = ""
    if minor < 0:
        sign = {"fr": "moins ", "es": "menos ", "pt": "menos ", "sw": "hasi "}.get(base, "minus ")
        minor = -minor
    d = money.digits(currency)
    major, cents = divmod(minor, 10**d) if d else (minor, 0)
    name = _major_name(currency, major, base, _names_locale(lang, base))
    if base == "sw":
        cents_words = f"{_minor_name(currency, cents, base)} {_sw(cents)}" if cents else ""
        return sign + _sw_amount(name, major, cents_words)
    singular = get_currency_name(currency, count=1, locale=_names_locale(lang, base)).split(" ")[0].lower()
    words = _counted(major, base, region, feminine=singular in _FEMININE.get(base, ()))
    # A number ending in a scale noun takes "de": 'un millón de bolivianos', 'mil milhões de meticais'.
    de = {"fr": "d’", "es": "de ", "pt": "de "}.get(base, "") if major and major % 10**6 == 0 else ""
    if de == "d’" and name[:1].lower() not in "aeiouhéè":
        de = "de "
    text = f"{words} {de}{name}"
    if cents:
        joiner = {"en": "and", "fr": "et", "es": "con", "pt": "e"}[base]
        text += f" {joiner} {_counted(cents, base, region)} {_minor_name(currency, cents, base)}"
    return sign + text
