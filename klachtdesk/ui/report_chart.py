"""A small chart beside a table of the figures, painted with QPainter (no plotting library).

PySide6-Essentials has no QtCharts, and three kinds are all the figures need: bars for a
count per label, a pie for shares of a whole, lines for a trend over years. The numbers are
in the table beside it; the chart only shows their proportions at a glance.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from klachtdesk.letters.report_model import ChartKind, ReportTable

from .report_table_model import cell_text

# Distinguishable colours, also for the colour-blind (Okabe-Ito, without black and yellow).
PALETTE = [
    QColor(c) for c in ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#999999")
]
KIND_NAMES = {
    ChartKind.BAR: "Staafdiagram",
    ChartKind.PIE: "Taartdiagram",
    ChartKind.LINE: "Lijndiagram",
}
BAR_HEIGHT = 16
GAP = 6
PADDING = 8


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


class ReportChart(QWidget):
    """The chart of one table: bars, a pie or lines, as ``table.chart`` says."""

    def __init__(self, table: ReportTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleDescription("De getallen staan in de tabel ernaast.")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.set_table(table)

    def set_table(self, table: ReportTable) -> None:
        """Draw ``table`` (the same table of another period, when the window refreshes)."""
        assert table.chart is not None
        self.table = table
        self.kind = table.chart
        self.labels = [str(row[0]) if row and row[0] is not None else "–" for row in table.rows]
        self.values = [_number(row[1]) if len(row) > 1 else None for row in table.rows]
        self.setAccessibleName(f"{KIND_NAMES[self.kind]}: {table.title}")
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        line = QFontMetrics(self.font()).height()
        if self.kind is ChartKind.BAR:
            return QSize(380, 2 * PADDING + len(self.labels) * (BAR_HEIGHT + GAP))
        if self.kind is ChartKind.PIE:
            return QSize(380, max(160, 2 * PADDING + len(self.labels) * (line + 2)))
        return QSize(420, 220)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        painter.setPen(QColor("#202020"))
        if self.kind is ChartKind.BAR:
            self._bars(painter)
        elif self.kind is ChartKind.PIE:
            self._pie(painter)
        else:
            self._lines(painter)
        painter.end()

    # -- the three kinds ----------------------------------------------------------------

    def _bars(self, painter: QPainter) -> None:
        metrics = painter.fontMetrics()
        width = self.width() - 2 * PADDING
        label_width = min(max((metrics.horizontalAdvance(t) for t in self.labels), default=0),
                          int(width * 0.45))  # fmt: skip
        largest = max((v for v in self.values if v is not None), default=0.0) or 1.0
        value_width = metrics.horizontalAdvance("100.000")
        room = max(10, width - label_width - value_width - 2 * GAP)
        for row, (label, value) in enumerate(zip(self.labels, self.values, strict=True)):
            top = PADDING + row * (BAR_HEIGHT + GAP)
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width)
            painter.drawText(
                QRectF(PADDING, top, label_width, BAR_HEIGHT),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            if value is None:
                continue
            left = PADDING + label_width + GAP
            length = room * value / largest
            painter.fillRect(QRectF(left, top + 2, length, BAR_HEIGHT - 4), PALETTE[0])
            painter.drawText(
                QRectF(left + length + 4, top, value_width, BAR_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                cell_text(self.table.rows[row][1]),
            )

    def _pie(self, painter: QPainter) -> None:
        metrics = painter.fontMetrics()
        slices = [(label, value) for label, value in zip(self.labels, self.values, strict=True)
                  if value is not None and value > 0]  # fmt: skip
        total = sum(value for _label, value in slices)
        diameter = min(self.height() - 2 * PADDING, self.width() // 2 - PADDING)
        box = QRectF(PADDING, (self.height() - diameter) / 2, diameter, diameter)
        if total <= 0:
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "geen klachten")
            return
        angle = 90 * 16  # from twelve o'clock, clockwise
        line = metrics.height() + 2
        legend_left = box.right() + 2 * GAP
        legend_top = max(PADDING, (self.height() - len(slices) * line) / 2)
        for n, (label, value) in enumerate(slices):
            span = -round(360 * 16 * value / total)
            colour = PALETTE[n % len(PALETTE)]
            painter.setBrush(colour)
            painter.setPen(QPen(QColor("#ffffff"), 1))
            painter.drawPie(box, angle, span)
            angle += span
            top = legend_top + n * line
            painter.fillRect(QRectF(legend_left, top + 3, 10, 10), colour)
            painter.setPen(QColor("#202020"))
            share = cell_text(value / total, percent=True)
            text = metrics.elidedText(
                f"{label} ({share})",
                Qt.TextElideMode.ElideRight,
                int(self.width() - legend_left - 14 - PADDING),
            )
            painter.drawText(QPointF(legend_left + 14, top + metrics.ascent()), text)

    def _lines(self, painter: QPainter) -> None:
        """Counts on the left scale, shares (0-100 %) on the right one."""
        metrics = painter.fontMetrics()
        table = self.table
        series = [
            column
            for column in range(1, len(table.headers))
            if any(_number(row[column]) is not None for row in table.rows if len(row) > column)
        ]
        counts = [c for c in series if c not in table.percent_columns]
        largest = (
            max(
                (_number(row[c]) or 0.0 for row in table.rows for c in counts if len(row) > c),
                default=0.0,
            )
            or 1.0
        )
        legend_height = metrics.height() * ((len(series) + 1) // 2) + GAP
        left = PADDING + metrics.horizontalAdvance(cell_text(int(largest))) + 4
        right = self.width() - PADDING - (metrics.horizontalAdvance("100 %") + 4 if
                                          len(counts) < len(series) else 0)  # fmt: skip
        top = PADDING + legend_height
        bottom = self.height() - PADDING - metrics.height()
        painter.setPen(QColor("#b0b0b0"))
        painter.drawLine(QPointF(left, bottom), QPointF(right, bottom))
        painter.drawLine(QPointF(left, top), QPointF(left, bottom))
        painter.setPen(QColor("#202020"))
        painter.drawText(QPointF(PADDING, top + metrics.ascent()), cell_text(int(largest)))
        painter.drawText(QPointF(PADDING, bottom), "0")
        if len(counts) < len(series):
            painter.drawText(QPointF(right + 4, top + metrics.ascent()), "100 %")
            painter.drawText(QPointF(right + 4, bottom), "0 %")
        count = len(table.rows)
        step = (right - left) / max(1, count - 1)

        def x(row: int) -> float:
            return left + step * row if count > 1 else (left + right) / 2

        for row, label in enumerate(self.labels):
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(max(step, 40)))
            width = metrics.horizontalAdvance(text)
            painter.drawText(QPointF(x(row) - width / 2, self.height() - PADDING), text)
        for n, column in enumerate(series):
            colour = PALETTE[n % len(PALETTE)]
            scale = 1.0 if column in table.percent_columns else largest
            points = [
                QPointF(x(row), bottom - (bottom - top) * value / scale)
                for row, values in enumerate(table.rows)
                if len(values) > column and (value := _number(values[column])) is not None
            ]
            painter.setPen(QPen(colour, 2))
            for a, b in pairwise(points):
                painter.drawLine(a, b)
            painter.setBrush(colour)
            for point in points:
                painter.drawEllipse(point, 3, 3)
            legend_x = PADDING + (n % 2) * (self.width() - 2 * PADDING) / 2
            legend_y = PADDING + (n // 2) * metrics.height()
            painter.fillRect(QRectF(legend_x, legend_y + 3, 10, 10), colour)
            painter.setPen(QColor("#202020"))
            name = metrics.elidedText(
                table.headers[column],
                Qt.TextElideMode.ElideRight,
                int((self.width() - 2 * PADDING) / 2 - 16),
            )
            painter.drawText(QPointF(legend_x + 14, legend_y + metrics.ascent()), name)
