"""Server-rendered SVG trend charts (no JavaScript, no CDN). Each chart has role="img", a <title> and a
<desc>; the page shows the same figures in a table beside it as the text alternative."""
from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 60
# GOV.UK colours: blue for the result, black dashes for the target, grey for last year.
RESULT_COLOUR, TARGET_COLOUR, PREVIOUS_COLOUR = "#1d70b8", "#0b0c0c", "#505a5f"


def _nice_max(value):
    if value <= 0:
        return 1
    for step in (1, 2, 2.5, 5, 10):
        magnitude = 10 ** (len(str(int(value))) - 1)
        top = step * magnitude
        if top >= value:
            return top
    return value


def _fmt(value):
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def trend_svg(title, points, chart_id="trend"):
    """points: [{"label", "result", "target", "previous_result"}], oldest first. None values are gaps."""
    values = [p[key] for p in points for key in ("result", "target", "previous_result") if p.get(key) is not None]
    top = _nice_max(max(values) * 1.1 if values else 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(points), 1)

    def x(i):
        return LEFT + (plot_w * (i + 0.5) / count)

    def y(value):
        return TOP + plot_h - (value / top * plot_h)

    description = "; ".join(
        f"{p['label']}: result {_fmt(p['result']) if p.get('result') is not None else 'none'}"
        + (f", target {_fmt(p['target'])}" if p.get("target") is not None else "")
        + (f", same quarter last year {_fmt(p['previous_result'])}" if p.get("previous_result") is not None else "")
        for p in points
    ) or "No results yet"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="reporting-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i in range(5):
        value = top * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#b1b4b6" '
            f'stroke-width="1"/><text x="{LEFT - 8}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="13" '
            f'fill="#0b0c0c">{_fmt(value)}</text>'
        )
    for i, point in enumerate(points):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 20}" text-anchor="middle" font-size="13" '
            f'fill="#0b0c0c">{escape(point["label"])}</text>'
        )

    def series(key, colour, dash, marker):
        coords = [(x(i), y(p[key])) for i, p in enumerate(points) if p.get(key) is not None]
        if len(coords) > 1:
            path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
            dash_attr = ' stroke-dasharray="8 6"' if dash else ""
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="3"{dash_attr}/>')
        for cx, cy in coords:
            if marker == "circle":
                parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" fill="{colour}"/>')
            elif marker == "square":
                parts.append(f'<rect x="{cx - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" fill="{colour}"/>')
            else:
                parts.append(f'<line x1="{cx - 14:.1f}" x2="{cx + 14:.1f}" y1="{cy:.1f}" y2="{cy:.1f}" '
                             f'stroke="{colour}" stroke-width="3"/>')

    series("previous_result", PREVIOUS_COLOUR, False, "square")
    series("target", TARGET_COLOUR, True, "bar")
    series("result", RESULT_COLOUR, False, "circle")
    # Legend: shapes as well as colours, so it does not rely on colour alone.
    legend_y = HEIGHT - 18
    parts.append(
        f'<circle cx="{LEFT + 6}" cy="{legend_y - 4}" r="6" fill="{RESULT_COLOUR}"/>'
        f'<text x="{LEFT + 18}" y="{legend_y}" font-size="13" fill="#0b0c0c">Result</text>'
        f'<line x1="{LEFT + 90}" x2="{LEFT + 118}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="{TARGET_COLOUR}" '
        f'stroke-width="3" stroke-dasharray="8 6"/>'
        f'<text x="{LEFT + 124}" y="{legend_y}" font-size="13" fill="#0b0c0c">Target</text>'
        f'<rect x="{LEFT + 190}" y="{legend_y - 9}" width="10" height="10" fill="{PREVIOUS_COLOUR}"/>'
        f'<text x="{LEFT + 206}" y="{legend_y}" font-size="13" fill="#0b0c0c">Same quarter last year</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))
