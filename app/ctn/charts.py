"""Small server-rendered SVG charts (no JavaScript, no CDN). Each page shows a data table next to them.

The x-axis labels are drawn at an angle, at a size that stays readable when the chart shrinks to a phone's
width, and thinned out (keeping the first and last) when there are more than fit side by side; the margins
grow to hold the longest label, so none is clipped. The table next to the chart has every value.
"""

import math

from markupsafe import Markup, escape

WIDTH = 420  # viewBox units; the chart scales to its column, so a narrower box keeps text larger on phones
PLOT_HEIGHT = 200
LEFT, RIGHT, TOP = 44, 16, 20
LABEL_SIZE = 16  # x-axis labels
TICK_SIZE = 14  # y-axis values and bar values
ANGLE = 40  # degrees the x-axis labels are turned (anticlockwise, reading upwards to the tick)
CHAR_WIDTH = 0.6  # of the font size: a generous average for Arial


def _scale_max(values):
    top = max([v for v in values if v is not None] + [1])
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top <= step * 4:
            return step * 4, step
    return top, max(top // 4, 1)


class _Layout:
    """Margins and which x labels to show for `labels`."""

    def __init__(self, labels):
        longest = max((len(label) for label in labels), default=0) * LABEL_SIZE * CHAR_WIDTH
        rad = math.radians(ANGLE)
        self.left = max(LEFT, math.ceil(longest * math.cos(rad)) + 8)
        self.bottom = math.ceil(longest * math.sin(rad) + LABEL_SIZE * math.cos(rad)) + 16
        self.plot_w = WIDTH - self.left - RIGHT
        self.height = TOP + PLOT_HEIGHT + self.bottom
        # Turned labels need about a line height / sin(angle) between them to stay apart.
        fit = max(int(self.plot_w // (LABEL_SIZE * 1.25 / math.sin(rad))), 2)
        self.every = max(math.ceil(len(labels) / fit), 1)
        self.count = len(labels)

    def shows(self, i):
        last = self.count - 1
        if i == last:
            return True
        # Thinned out from the start, but never a label crowding the last one.
        return i % self.every == 0 and last - i >= self.every


def _frame(title, body, y_max, y_step, layout):
    grid = []
    value = 0
    while value <= y_max:
        y = TOP + PLOT_HEIGHT - PLOT_HEIGHT * value / y_max
        grid.append(
            f'<line x1="{layout.left}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{layout.left - 6}" y="{y + 5:.1f}" text-anchor="end" font-family="arial, sans-serif" font-size="{TICK_SIZE}" fill="#0b0c0c">{value}</text>'  # noqa: E501
        )
        value += y_step
    return Markup(
        f'<svg class="ctn-chart" width="100%" viewBox="0 0 {WIDTH} {layout.height}" role="img" aria-labelledby="{_id(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" focusable="false">'
        f'<title id="{_id(title)}">{escape(title)}</title>' + "".join(grid) + body + "</svg>"
    )


def _id(title):
    return "chart-" + "".join(ch if ch.isalnum() else "-" for ch in title.lower())[:40]


def _x_labels(points, xs, layout):
    y = TOP + PLOT_HEIGHT + 12
    return "".join(
        f'<text class="ctn-chart__x-label" x="{x:.1f}" y="{y}" text-anchor="end" dominant-baseline="middle" '
        f'transform="rotate(-{ANGLE} {x:.1f} {y})" font-family="arial, sans-serif" font-size="{LABEL_SIZE}" '
        f'fill="#0b0c0c">{escape(label)}</text>'
        for i, ((label, _), x) in enumerate(zip(points, xs, strict=False))
        if layout.shows(i)
    )


def line_chart(points, title):
    """points: [(label, value)]."""
    if not points:
        return Markup("")
    layout = _Layout([label for label, _ in points])
    y_max, y_step = _scale_max([v for _, v in points])
    step = layout.plot_w / max(len(points) - 1, 1)
    xs = [layout.left + i * step if len(points) > 1 else layout.left + layout.plot_w / 2 for i in range(len(points))]
    ys = [TOP + PLOT_HEIGHT - PLOT_HEIGHT * v / y_max for _, v in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=False))
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#1d70b8"/>' for x, y in zip(xs, ys, strict=False))
    body = (
        f'<polyline points="{path}" fill="none" stroke="#1d70b8" stroke-width="3"/>'
        + dots
        + _x_labels(points, xs, layout)
    )
    return _frame(title, body, y_max, y_step, layout)


def bar_chart(points, title):
    if not points:
        return Markup("")
    layout = _Layout([label for label, _ in points])
    y_max, y_step = _scale_max([v for _, v in points])
    slot = layout.plot_w / len(points)
    bar = min(slot * 0.6, 60)
    xs = [layout.left + slot * i + slot / 2 for i in range(len(points))]
    bars = "".join(
        f'<rect x="{x - bar / 2:.1f}" y="{TOP + PLOT_HEIGHT - PLOT_HEIGHT * v / y_max:.1f}" width="{bar:.1f}" '
        f'height="{PLOT_HEIGHT * v / y_max:.1f}" fill="#1d70b8"/>'
        f'<text x="{x:.1f}" y="{TOP + PLOT_HEIGHT - PLOT_HEIGHT * v / y_max - 4:.1f}" text-anchor="middle" font-family="arial, sans-serif" font-size="{TICK_SIZE}" fill="#0b0c0c">{v}</text>'  # noqa: E501
        for (_, v), x in zip(points, xs, strict=False)
    )
    return _frame(title, bars + _x_labels(points, xs, layout), y_max, y_step, layout)
