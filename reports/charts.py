"""Charts drawn with matplotlib (Agg, imported lazily) and placed in PDFs as PNG images."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Image

PALETTE = [
    "#1f4e79",
    "#c55a11",
    "#548235",
    "#7f6000",
    "#7030a0",
    "#2e75b6",
    "#a5a5a5",
    "#bf9000",
    "#843c0c",
    "#375623",
]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 8, "svg.hashsalt": "coopledger"})
    return plt


def _image(fig, width_mm: float) -> Image:
    """The figure as a PNG image `width_mm` wide, keeping the aspect of the saved (tightly cropped) picture."""
    from reportlab.lib.utils import ImageReader

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    _pyplot().close(fig)
    buf.seek(0)
    w, h = ImageReader(buf).getSize()
    buf.seek(0)
    return Image(buf, width=width_mm * mm, height=width_mm * mm * h / w)


def stacked_bars(
    title: str,
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    ylabel: str,
    width_mm: float = 170,
    horizontal: bool = False,
    fmt: Callable[[float], str] | None = None,
) -> Image:
    """Bars per category stacked by series (e.g. months × sites, categories × severities); beyond
    MAX_SERIES series the smallest are summed as one "Others" series (a federation has 200 sites)."""
    series = _capped(series)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 2.4 if not horizontal else 2.8))
    base = [0.0] * len(categories)
    for i, (name, values) in enumerate(series.items()):
        color = PALETTE[i % len(PALETTE)]
        if horizontal:
            ax.barh(list(categories), list(values), left=base, label=name, color=color)
        else:
            ax.bar(list(categories), list(values), bottom=base, label=name, color=color)
        base = [b + v for b, v in zip(base, values, strict=True)]
    ax.set_title(title, fontsize=9, loc="left")
    (ax.set_xlabel if horizontal else ax.set_ylabel)(ylabel)
    ax.grid(axis="x" if horizontal else "y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    from matplotlib.ticker import MaxNLocator

    values_axis = ax.xaxis if horizontal else ax.yaxis
    if all(float(v).is_integer() for values in series.values() for v in values):
        values_axis.set_major_locator(MaxNLocator(integer=True))
    # The caller's `fmt` (a whole number in the document's locale) is kept for the ticks it labels exactly;
    # large or fractional steps get compact locale labels ("250 M", "elfu 50", "0,5"), never "1e8".
    values_axis.set_major_formatter(locale_ticks(fmt))
    if not any(v for values in series.values() for v in values):
        _say_empty(ax, title)
        return _image(fig, width_mm)
    if len(series) > 1:
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if not horizontal and len(categories) > 6:
        ax.tick_params(axis="x", labelrotation=45)
    return _image(fig, width_mm)


MAX_SERIES = len(PALETTE)


def locale_ticks(fmt: Callable[[float], str] | None = None):
    """A tick formatter labelling the whole axis at once in the document's locale (axis_labels): one compact
    unit per axis, as few decimals as tell the ticks apart; `fmt` labels whole ticks below 10,000."""
    from matplotlib.ticker import Formatter

    from coop.i18n import babel_locale, current_locale
    from coop.services.dashboard import axis_labels

    class LocaleTicks(Formatter):
        def __call__(self, x, pos=None) -> str:
            return self.format_ticks([x])[0]

        def format_ticks(self, values) -> list[str]:
            values = [float(v) for v in values]
            plain = fmt is not None and all(v.is_integer() and abs(v) < 10_000 for v in values)
            return [fmt(v) for v in values] if plain else axis_labels(values, babel_locale(current_locale()))

    return LocaleTicks()


def _say_empty(ax, title: str) -> None:
    """A chart of a period without figures says so instead of drawing empty axes."""
    from coop.i18n import _

    ax.cla()
    ax.set_axis_off()
    ax.set_title(title, fontsize=9, loc="left")
    ax.text(0.5, 0.5, _("Nothing recorded in this period."), ha="center", va="center", transform=ax.transAxes)


def _capped(series: dict[str, Sequence[float]]) -> dict[str, Sequence[float]]:
    """The MAX_SERIES - 1 largest series by total, then the rest summed as "Others" (in their order)."""
    if len(series) <= MAX_SERIES:
        return series
    from coop.i18n import _

    ranked = sorted(series, key=lambda name: -sum(series[name]))
    keep = set(ranked[: MAX_SERIES - 1])
    rest = [values for name, values in series.items() if name not in keep]
    out = {name: values for name, values in series.items() if name in keep}
    out[_("Others ({n})").format(n=len(rest))] = [sum(column) for column in zip(*rest, strict=True)]
    return out


def pie(title: str, parts: dict[str, float], width_mm: float = 90) -> Image:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(4.2, 2.8))
    values = [max(v, 0) for v in parts.values()]
    ax.pie(
        values, labels=list(parts), colors=PALETTE[: len(parts)], autopct="%1.0f%%", textprops={"fontsize": 7}
    )
    ax.set_title(title, fontsize=9, loc="left")
    return _image(fig, width_mm)
