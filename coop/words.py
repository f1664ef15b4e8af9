"""Numbers and money amounts in words (en, fr, es, pt, sw) for receipts: pure Python plus babel names."""

from __future__ import annotations

from babel.numbers import get_currency_name

from coop import money

_EN = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_FR = (
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
    "dix-sept dix-huit dix-neuf"
).split()
_FR_TENS = "_ _ vingt trente quarante cinquante soixante".split()
_ES = (
    "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis "
    "diecisiete dieciocho diecinueve veinte veintiuno veintidós veintitrés veinticuatro veinticinco "
    "veintiséis veintisiete veintiocho veintinueve"
).split()
_ES_TENS = "_ _ _ treinta cuarenta cincuenta sesenta setenta ochenta noventa".split()
_ES_HUNDREDS = (
    "_ ciento doscientos trescientos cuatrocientos quinientos seiscientos setecientos ochocientos novecientos"
).split()
_PT = (
    "zero um dois três quatro cinco seis sete oito nove dez onze doze treze catorze quinze dezesseis "
    "dezessete dezoito dezenove"
).split()
_PT_EU = {16: "dezasseis", 17: "dezassete", 19: "dezanove"}  # Portugal, Mozambique, Angola
_PT_TENS = "_ _ vinte trinta quarenta cinquenta sessenta setenta oitenta noventa".split()
_PT_HUNDREDS = (
    "_ cento duzentos trezentos quatrocentos quinhentos seiscentos setecentos oitocentos novecientos"
).split()
_PT_HUNDREDS[9] = "novecentos"
_SW = "sifuri moja mbili tatu nne tano sita saba nane tisa".split()
_SW_TENS = "_ kumi ishirini thelathini arobaini hamsini sitini sabini themanini tisini".split()

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
}


def _groups(n: int) -> list[tuple[int, int]]:
    """(scale exponent of 1000, group value) from the highest non-zero group down."""
    out, power = [], 0
    while n:
        n, g = divmod(n, 1000)
        if g:
            out.append((power, g))
        power += 1
    return out[::-1]


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
    scales = ["", "thousand", "million", "billion", "trillion"]
    groups = _groups(n)
    parts = []
    for i, (power, g) in enumerate(groups):
        words = _en_999(g)
        if power == 0 and i > 0 and g < 100:
            words = f"and {words}"
        parts.append(f"{words} {scales[power]}".strip())
    return " ".join(parts) or _EN[0]


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
    scales = ["", "mille", "million", "milliard", "billion"]
    parts = []
    for power, g in _groups(n):
        if power == 1:
            parts.append("mille" if g == 1 else f"{_fr_999(g, final=False)} mille")
        elif power == 0:
            parts.append(_fr_999(g, final=True))
        else:
            parts.append(f"{_fr_999(g, final=True)} {scales[power]}" + ("s" if g > 1 else ""))
    return " ".join(parts) or _FR[0]


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


def _es(n: int, apocope: bool = False) -> str:
    parts = []
    for power, g in _groups(n):
        if power == 0:
            parts.append(_es_999(g, apocope))
        elif power == 1:
            parts.append("mil" if g == 1 else f"{_es_999(g, True)} mil")
        elif power == 2:
            parts.append("un millón" if g == 1 else f"{_es_999(g, True)} millones")
        else:  # thousands of millions
            parts.append(f"{_es(g * 1000, True)} millones")
    return " ".join(parts) or _ES[0]


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


def _pt(n: int, european: bool = False) -> str:
    groups = _groups(n)
    parts = []
    for i, (power, g) in enumerate(groups):
        words = _pt_999(g, european)
        if power == 1:
            words = "mil" if g == 1 else f"{words} mil"
        elif power == 2:
            words = "um milhão" if g == 1 else f"{words} milhões"
        elif power >= 3:
            words = f"{_pt(g * 1000, european)} milhões"
        if i == len(groups) - 1 and i > 0 and (g < 100 or (power == 0 and g % 100 == 0)):
            words = f"e {words}"
        parts.append(words)
    return " ".join(parts) or _PT[0]


def _sw_components(n: int) -> list[str]:
    out: list[str] = []
    for power, g in _groups(n):
        if power == 0:
            h, r = divmod(g, 100)
            if h:
                out.append(f"mia {_SW[h]}")
            t, u = divmod(r, 10)
            if t:
                out.append(_SW_TENS[t])
            if u:
                out.append(_SW[u])
        else:
            scale = {1: "elfu", 2: "milioni", 3: "bilioni"}.get(power, "trilioni")
            out.append(f"{scale} {_sw(g)}")
    return out


def _sw(n: int) -> str:
    parts = _sw_components(n)
    if not parts:
        return _SW[0]
    if len(parts) == 1:
        return parts[0]
    return " ".join(parts[:-1]) + f" na {parts[-1]}"


def _lang(lang: str) -> tuple[str, str]:
    code = lang.replace("-", "_")
    base, _sep, region = code.partition("_")
    base = base.lower()
    return (base if base in ("en", "fr", "es", "pt", "sw") else "en"), region.upper()


def number_words(n: int, lang: str) -> str:
    """A non-negative whole number in words, e.g. 21 -> 'vingt et un' (fr)."""
    if n < 0:
        raise ValueError("number_words takes a non-negative number")
    base, region = _lang(lang)
    if base == "fr":
        return _fr(n)
    if base == "es":
        return _es(n)
    if base == "pt":
        return _pt(n, european=region not in ("", "BR"))
    if base == "sw":
        return _sw(n)
    return _en(n)


def _counted(n: int, base: str, region: str) -> str:
    """Words for a number that counts a (masculine) noun: Spanish apocope 'un', 'veintiún'."""
    if base == "es":
        return _es(n, apocope=True)
    if base == "pt":
        return _pt(n, european=region not in ("", "BR"))
    return number_words(n, base)


def _major_name(currency: str, n: int, base: str) -> str:
    name = get_currency_name(currency, count=n, locale=base)
    if base == "pt":
        name = name[:1].lower() + name[1:]
    return name


def _minor_name(currency: str, n: int, base: str) -> str:
    singular, plural = _MINOR.get(currency, _MINOR_DEFAULT).get(base, _MINOR_DEFAULT[base])
    return singular if n == 1 else plural


def amount_words(minor: int, currency: str, lang: str) -> str:
    """An amount in minor units in words with the currency's names, e.g. 'cien bolivianos con cincuenta centavos'."""
    currency = currency.upper()
    base, region = _lang(lang)
    sign = ""
    if minor < 0:
        sign = {"fr": "moins ", "es": "menos ", "pt": "menos ", "sw": "hasi "}.get(base, "minus ")
        minor = -minor
    d = money.digits(currency)
    major, cents = divmod(minor, 10**d) if d else (minor, 0)
    name = _major_name(currency, major, base)
    if base == "sw":
        text = f"{name} {_sw(major)}"
        if cents:
            text += f" na {_minor_name(currency, cents, base)} {_sw(cents)}"
        return sign + text
    words = _counted(major, base, region)
    de = {"fr": "d’", "es": "de ", "pt": "de "}.get(base, "") if major and major % 10**6 == 0 else ""
    if de == "d’" and name[:1].lower() not in "aeiouhéè":
        de = "de "
    text = f"{words} {de}{name}"
    if cents:
        joiner = {"en": "and", "fr": "et", "es": "con", "pt": "e"}[base]
        text += f" {joiner} {_counted(cents, base, region)} {_minor_name(currency, cents, base)}"
    return sign + text
