"""Dashboard: production and sales per month, tax due vs paid, incidents by category, mercury per gold.

matplotlib is imported on first show only (its import is slow), never at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from coop import i18n, money
from coop.changes import Changes
from coop.i18n import _
from coop.permissions import Actor
from coop.services import dashboard
from ui import fmt
from ui.ops import OPS

# the areas the charts are drawn from
SHOWS = ("lots", "sales", "ledger", "tax_payments", "incidents", "mercury", "minerals")
COLUMNS = 3  # charts per row


def wrap_words(text: str, room: float, width: Callable[[str], float]) -> str:
    """`text` in lines no wider than `room` (as `width` measures), broken between words only; a single word
    wider than the room keeps its own line."""
    lines: list[str] = []
    for word in text.split():
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
        months = [m[5:] for m in d.months]
        ccy = fmt.Context.currency
        self._production(axes[0][0], d, months)
        ax = axes[0][1]
        ax.bar(months, [float(money.from_minor(d.sales.get(m, 0), ccy)) for m in d.months], color="#3b7dd8")
        ax.set_title(_("Sales per month ({ccy})").format(ccy=ccy))
        ax = axes[0][2]
        due = [float(money.from_minor(d.tax_due.get(m, 0), ccy)) for m in d.months]
        paid = [float(money.from_minor(d.tax_paid.get(m, 0), ccy)) for m in d.months]
        x = list(range(len(months)))
        ax.bar([i - 0.2 for i in x], due, width=0.4, label=_("Tax due"), color="#d8893b")
        ax.bar([i + 0.2 for i in x], paid, width=0.4, label=_("Tax paid"), color="#4a9a5b")
        ax.set_xticks(x, months)
        ax.set_title(_("Tax due vs paid ({ccy})").format(ccy=ccy))
        ax.legend(fontsize="small")
        ax = axes[1][0]
        cats = sorted(d.incidents)
        if cats:
            ax.barh(
                [fmt.label("categories", c) for c in cats], [d.incidents[c] for c in cats], color="#b04040"
            )
        ax.set_title(_("Incidents by category"))
        ax = axes[1][1]
        ax.plot(months, [d.mercury_per_gold.get(m, 0) for m in d.months], marker="o", color="#7a5195")
        ax.set_ylim(bottom=0)
        ax.set_title(_("Mercury used per gram of gold (g Hg / g Au)"))
        axes[1][2].set_visible(False)
        self._axis_formats(axes)
        for ax in self.figure.axes:
            ax.tick_params(labelsize="small")
        self._titles = {ax: ax.get_title() for ax in self.figure.axes if ax.get_visible()}
        self._fit_titles()
        canvas.draw_idle()

    def _fit_titles(self) -> None:
        """Wrap each chart's title between words to the width of its column: a French or Swahili title is
        longer than its chart and would run into the next one."""
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

    def _axis_formats(self, axes) -> None:
        """Money axes as compact locale numbers ("250 M", never "1e8"); counts as whole numbers."""
        from babel.numbers import format_compact_decimal
        from matplotlib.ticker import FuncFormatter, MaxNLocator

        locale = i18n.babel_locale(fmt.Context.locale)
        compact = FuncFormatter(
            lambda value, _pos: format_compact_decimal(
                value, format_type="short", locale=locale, fraction_digits=1
            )
        )
        for ax in (axes[0][0], axes[0][1], axes[0][2]):
            ax.yaxis.set_major_formatter(compact)
        axes[1][0].xaxis.set_major_locator(MaxNLocator(integer=True))

    def _production(self, ax, d: dashboard.Dashboard, months: list[str]) -> None:
        for name, series in d.production.items():
            values = [money.milli_to_qty(series.get(m, 0)) for m in d.months]
            ax.plot(months, values, marker="o", label=f"{name} ({d.units[name]})")
        ax.set_title(_("Production per month"))
        if d.production:
            ax.legend(fontsize="small")
