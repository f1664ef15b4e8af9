"""Charts in documents: value axes labelled in the document's locale with compact units and no float
artefacts; a chart without figures says so."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coop import i18n
from reports import charts


def _labels(values, fmt=None) -> list[str]:
    plt = charts._pyplot()
    fig, ax = plt.subplots()
    ax.bar([str(i) for i in range(len(values))], values)
    ax.yaxis.set_major_formatter(charts.locale_ticks(fmt))
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    plt.close(fig)
    return labels


@pytest.mark.parametrize(
    ("lang", "locale", "values", "expected_part"),
    [
        ("fr", "fr_CD", [2.5e8, 4.5e8], "\xa0M"),
        ("sw", "sw_TZ", [120_000, 250_000], "elfu\xa0"),
        ("en", "en_US", [0.01, 0.05], "0.01"),
    ],
)
def test_value_axes_are_compact_and_clean_in_the_documents_locale(lang, locale, values, expected_part):
    with i18n.language(lang, locale):
        labels = _labels(values, fmt=lambda v: i18n.format_decimal(Decimal(round(v)), locale))
    assert any(expected_part in label for label in labels), labels
    assert not any("0000000" in label or "e+" in label or "9999" in label for label in labels), labels
    assert len(set(labels)) == len(labels), labels  # rounding never gives two ticks one label


def test_whole_small_ticks_keep_the_callers_format():
    labels = _labels([3, 7], fmt=lambda v: f"<{int(v)}>")
    assert labels[0] == "<0>" and all(label.startswith("<") for label in labels)


def test_a_chart_without_figures_still_renders(monkeypatch):
    said: list[str] = []
    real = charts._say_empty
    monkeypatch.setattr(charts, "_say_empty", lambda ax, title: (said.append(title), real(ax, title)))
    image = charts.stacked_bars("Production", ["Jan", "Feb"], {"Gold": [0, 0]}, "g")
    assert image.drawWidth > 0 and said == ["Production"]
