"""Small server-rendered SVG charts (no JavaScript, no CDN). Each page shows a data table next to them."""

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 48


def _scale_max(values):
    top = max([v for v in values if v is not None] + [1])
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top <= step * 4:
            return step * 4, step
    return top, max(top // 4, 1)


def _frame(title, body, y_max, y_step):
    plot_h = HEIGHT - TOP - BOTTOM
    grid = []
    value = 0
    while value <= y_max:
        y = TOP + plot_h - plot_h * value / y_max
        grid.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-family="arial, sans-serif" font-size="12" fill="#0b0c0c">{value}</text>'
        )
        value += y_step
    return Markup(
        f'<svg class="ctn-chart" width="100%" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{_id(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" focusable="false">'
        f'<title id="{_id(title)}">{escape(title)}</title>' + "".join(grid) + body + "</svg>"
    )


def _id(title):
    return "chart-" + "".join(ch if ch.isalnum() else "-" for ch in title.lower())[:40]


def _x_labels(points, xs):
    every = max(len(points) // 8, 1)
    return "".join(
        f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-family="arial, sans-serif" font-size="12" fill="#0b0c0c">{escape(label)}</text>'  # noqa: E501
        for i, ((label, _), x) in enumerate(zip(points, xs, strict=False))
        if i % every == 0 or i == len(points) - 1
    )


def line_chart(points, title):
    """points: [(label, value)]."""
    if not points:
        return Markup("")
    y_max, y_step = _scale_max([v for _, v in points])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)
    xs = [LEFT + i * step if len(points) > 1 else LEFT + plot_w / 2 for i in range(len(points))]
    ys = [TOP + plot_h - plot_h * v / y_max for _, v in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=False))
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#1d70b8"/>' for x, y in zip(xs, ys, strict=False))
    body = f'<polyline points="{path}" fill="none" stroke="#1d70b8" stroke-width="3"/>' + dots + _x_labels(points, xs)
    return _frame(title, body, y_max, y_step)


def bar_chart(points, title):
    if not points:
        return Markup("")
    y_max, y_step = _scale_max([v for _, v in points])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(points)
    bar = min(slot * 0.6, 60)
    xs = [LEFT + slot * i + slot / 2 for i in range(len(points))]
    bars = "".join(
        f'<rect x="{x - bar / 2:.1f}" y="{TOP + plot_h - plot_h * v / y_max:.1f}" width="{bar:.1f}" '
        f'height="{plot_h * v / y_max:.1f}" fill="#1d70b8"/>'
        f'<text x="{x:.1f}" y="{TOP + plot_h - plot_h * v / y_max - 4:.1f}" text-anchor="middle" font-family="arial, sans-serif" font-size="12" fill="#0b0c0c">{v}</text>'  # noqa: E501
        for (_, v), x in zip(points, xs, strict=False)
    )
    return _frame(title, bars + _x_labels(points, xs), y_max, y_step)
