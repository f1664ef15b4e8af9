"""Dashboard: production and sales per month, tax due vs paid, incidents by category, mercury per gold.

matplotlib is imported on first show only (its import is slow), never at start-up.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from coop import i18n, money
from coop.changes import Changes
from coop.i18n import N_, _
from coop.permissions import Actor
from coop.services import dashboard
from ui import fmt
from ui.ops import OPS

# the areas the charts are drawn from
SHOWS = ("lots", "sales", "ledger", "tax_payments", "incidents", "mercury", "minerals")
COLUMNS = 3  # charts per row
# What a chart without figures says instead of its axes: for this year (still to come) and for a past year.
EMPTY_NOW = {
    "production": N_("No production recorded in {year} yet."),
    "sales": N_("No sales recorded in {year} yet."),
    "taxes": N_("No tax due or paid in {year} yet."),
    "incidents": N_("No incidents recorded in {year} yet."),
    "mercury": N_("No mercury or gold recorded in {year} yet."),
}
EMPTY_PAST = {
    "production": N_("No production recorded in {year}."),
    "sales": N_("No sales recorded in {year}."),
    "taxes": N_("No tax due or paid in {year}."),
    "incidents": N_("No incidents recorded in {year}."),
    "mercury": N_("No mercury or gold recorded in {year}."),
}


def wrap_words(text: str, room: float, width: Callable[[str], float]) -> str:
    """`text` in lines no wider than `room` (as `width` measures), broken between words only; a single word
    wider than the room keeps its own line."""
    lines: list[str] = []
    # a unit in parentheses, "(g Hg / g Au)", is kept whole: broken, it reads as two units
    for word in re.split(r"\s+(?![^()]*\))", text.strip()):
        if lines and width(lines[-1] + " " + word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


class DashboardPage(QWidget):
    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.canvas = None
        self.year = QComboBox(self, objectName="year")
        latest = dashboard.latest_year() or date.today().year
        for y in range(max(latest, date.today().year), latest - 6, -1):
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(self.year.findData(latest))
        self.year.currentIndexChanged.connect(self.draw)
        self.title = QLabel(self)
        self.status = QLabel(self, objectName="dashboard_status")
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.status)
        top.addStretch(1)
        top.addWidget(self.year)
        self.lay = QVBoxLayout(self)
        self.lay.addLayout(top)
        self._dirty = True
        self._asked = self._answered = 0  # numbers of the requests for figures: only the latest is drawn
        self._shown: dashboard.Dashboard | None = None
        OPS.changed.connect(self._on_changed)

    def _on_changed(self, changes: Changes) -> None:
        if changes.affects(*SHOWS):
            self._dirty = True
            if self.isVisible():
                self.draw()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self.draw()
        elif getattr(self, "_relabel", False) and self._shown is not None:
            self._render(self._shown)
        self._relabel = False

    def _ensure_canvas(self):
        if self.canvas is None:
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
            from matplotlib.figure import Figure

            self.figure = Figure(figsize=(10, 7), layout="constrained")
            self.canvas = FigureCanvasQTAgg(self.figure)
            self.canvas.setObjectName("charts")
            self.canvas.mpl_connect("resize_event", lambda _event: self._fit_titles())
            self.lay.addWidget(self.canvas, 1)
        return self.canvas

    @property
    def pending(self) -> bool:
        """Figures asked for and not drawn yet."""
        return self._answered != self._asked

    def retranslate(self) -> None:
        self.title.setText(_("Dashboard"))
        if self.pending:
            self.status.setText(_("Computing the figures…"))
        if self._shown is not None and self.isVisible():
            self._render(self._shown)  # the same figures, new words and number formats
        elif self._shown is not None:
            self._relabel = True  # redrawn when shown: the charts take a second, a hidden page need not

    def draw(self) -> None:
        """Ask for the year's figures on a worker thread (slow on a large file): the window stays usable
        and paints at once; the charts are drawn when the figures arrive."""
        from ui.work import run_in_background

        self._dirty = False
        self.title.setText(_("Dashboard"))
        self.status.setText(_("Computing the figures…"))
        self._asked += 1
        ticket, actor, year = self._asked, self.actor, self.year.currentData()

        def arrived(d: dashboard.Dashboard) -> None:
            if ticket == self._asked:  # an answer to an earlier request (another year) is dropped
                self._answered = ticket
                self.status.setText("")
                self._render(d)

        run_in_background(
            self, "", lambda _progress, _cancelled: dashboard.build(actor, year), arrived, quiet=True
        )

    def _render(self, d: dashboard.Dashboard) -> None:
        self._shown = d
        canvas = self._ensure_canvas()
        self.figure.clear()
        axes = self.figure.subplots(2, COLUMNS)
        x = list(range(len(d.months)))
        ccy = fmt.Context.currency
        year = self.year.currentData()
        self.messages: dict[str, str] = {}  # chart -> the message shown instead of its axes (no data)
        self._messages: dict = {}  # axes -> message text, wrapped to the chart's width in _fit_titles
        self._month_axes = []
        ax = axes[0][0]
        ax.set_title(_("Production per month"))
        if self._has(ax, "production", any(any(v.values()) for v in d.production.values()), year):
            for name, series in d.production.items():
                values = [money.milli_to_qty(series.get(m, 0)) for m in d.months]
                ax.plot(x, values, marker="o", label=f"{name} ({d.units[name]})")
            ax.legend(fontsize="small")
            self._months(ax, d)
        ax = axes[0][1]
        ax.set_title(_("Sales per month ({ccy})").format(ccy=ccy))
        if self._has(ax, "sales", any(d.sales.values()), year):
            ax.bar(x, [float(money.from_minor(d.sales.get(m, 0), ccy)) for m in d.months], color="#3b7dd8")
            self._months(ax, d)
        ax = axes[0][2]
        ax.set_title(_("Tax due vs paid ({ccy})").format(ccy=ccy))
        if self._has(ax, "taxes", any(d.tax_due.values()) or any(d.tax_paid.values()), year):
            due = [float(money.from_minor(d.tax_due.get(m, 0), ccy)) for m in d.months]
            paid = [float(money.from_minor(d.tax_paid.get(m, 0), ccy)) for m in d.months]
            ax.bar([i - 0.2 for i in x], due, width=0.4, label=_("Tax due"), color="#d8893b")
            ax.bar([i + 0.2 for i in x], paid, width=0.4, label=_("Tax paid"), color="#4a9a5b")
            ax.legend(fontsize="small")
            self._months(ax, d)
        ax = axes[1][0]
        ax.set_title(_("Incidents by category"))
        if self._has(ax, "incidents", any(d.incidents.values()), year):
            cats = sorted(d.incidents)
            ax.barh(
                [fmt.label("categories", c) for c in cats], [d.incidents[c] for c in cats], color="#b04040"
            )
        ax = axes[1][1]
        ax.set_title(_("Mercury used per gram of gold (g Hg / g Au)"))
        # a month with gold has a ratio, 0 when no mercury was used: that zero line is good news, drawn
        if self._has(ax, "mercury", bool(d.mercury_per_gold), year):
            ax.plot(x, [d.mercury_per_gold.get(m, 0) for m in d.months], marker="o", color="#7a5195")
            ax.set_ylim(bottom=0)
            self._months(ax, d)
        axes[1][2].set_visible(False)
        self._axis_formats(axes)
        for ax in self.figure.axes:
            ax.tick_params(labelsize="small")
        self._titles = {ax: ax.get_title() for ax in self.figure.axes if ax.get_visible()}
        self._fit_titles()
        canvas.draw_idle()

    def _has(self, ax, chart: str, present: bool, year: int) -> bool:
        """Whether a chart has figures to draw; if not, its axes make way for a sentence saying so."""
        if present:
            return True
        text = _(EMPTY_NOW[chart] if year >= date.today().year else EMPTY_PAST[chart]).format(year=year)
        self.messages[chart] = text
        self._messages[ax] = text
        ax.set_axis_off()
        return False

    def _months(self, ax, d: dashboard.Dashboard) -> None:
        """Months on the x axis by their short name in the user's language, thinned in _fit_titles so that
        labels never overlap."""
        from babel.dates import get_month_names

        names = get_month_names("abbreviated", locale=i18n.babel_locale(fmt.Context.locale))
        labels = [names[int(m[5:])].rstrip(".") for m in d.months]
        ax.set_xticks(range(len(labels)), labels)
        ax.set_xlim(-0.6, len(labels) - 0.4)
        self._month_axes.append((ax, labels))

    def _fit_titles(self) -> None:
        """Wrap each chart's title (and the message of an empty chart) between words to the width of its
        column: a French or Swahili title is longer than its chart and would run into the next one; then thin
        the month labels to those that fit side by side."""
        titles = getattr(self, "_titles", {})
        if self.canvas is None or not titles:
            return
        renderer = self.canvas.get_renderer()
        for ax in titles:
            ax.set_title("")
        engine = self.figure.get_layout_engine()
        if engine is not None:
            engine.execute(self.figure)  # the charts' widths as they will be drawn
        for ax, text in titles.items():
            prop = ax.title.get_fontproperties()
            room = ax.get_window_extent(renderer).width  # a centred title as wide as its chart stays over it

            def width(line: str, prop=prop) -> float:
                return renderer.get_text_width_height_descent(line, prop, ismath=False)[0]

            ax.set_title(wrap_words(text, room, width))
            if ax in self._messages:
                for old in list(ax.texts):
                    old.remove()
                message = wrap_words(self._messages[ax], room * 0.9, width)
                ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#555555")
        for ax, labels in self._month_axes:
            self._thin_months(ax, labels, renderer)

    @staticmethod
    def _thin_months(ax, labels: list[str], renderer) -> None:
        """Every n-th month label, n the smallest that leaves a gap between neighbours at this width."""
        if not labels:
            return
        prop = ax.xaxis.get_ticklabels()[0].get_fontproperties() if ax.xaxis.get_ticklabels() else None
        widest = max(renderer.get_text_width_height_descent(t, prop, ismath=False)[0] for t in labels)
        spacing = ax.get_window_extent(renderer).width / max(1, len(labels))
        step = max(1, math.ceil((widest * 1.3) / max(spacing, 1.0)))
        ax.set_xticks(range(0, len(labels), step), labels[::step])

    def _axis_formats(self, axes) -> None:
        """Value axes in the user's locale with compact units ("250 M", "elfu 50"), never "1e8" or a float
        artefact; counts as whole numbers."""
        from matplotlib.ticker import MaxNLocator

        locale = i18n.babel_locale(fmt.Context.locale)
        for ax in (axes[0][0], axes[0][1], axes[0][2], axes[1][1]):
            ax.yaxis.set_major_formatter(locale_ticks(locale))
        axes[1][0].xaxis.set_major_locator(MaxNLocator(integer=True))
        axes[1][0].xaxis.set_major_formatter(locale_ticks(locale))


def locale_ticks(locale: str):
    """A matplotlib formatter labelling all ticks of an axis together (coop.services.dashboard.axis_labels)."""
    from matplotlib.ticker import Formatter

    class LocaleTicks(Formatter):
        def __call__(self, x, pos=None) -> str:
            return dashboard.axis_labels([x], locale)[0]

        def format_ticks(self, values) -> list[str]:
            return dashboard.axis_labels([float(v) for v in values], locale)

    return LocaleTicks()
