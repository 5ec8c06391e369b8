"""Server-rendered SVG trend charts (no JavaScript, no CDN). Each chart has role="img", a <title> and a
<desc>; the page shows the same figures in a table beside it as the text alternative."""

from markupsafe import Markup, escape

from . import ratings
from .services import format_number

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

    description = (
        "; ".join(
            f"{p['label']}: result {_fmt(p['result']) if p.get('result') is not None else 'none'}"
            + (f", target {_fmt(p['target'])}" if p.get("target") is not None else "")
            + (f", same quarter last year {_fmt(p['previous_result'])}" if p.get("previous_result") is not None else "")
            for p in points
        )
        or "No results yet"
    )
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
                parts.append(
                    f'<line x1="{cx - 14:.1f}" x2="{cx + 14:.1f}" y1="{cy:.1f}" y2="{cy:.1f}" '
                    f'stroke="{colour}" stroke-width="3"/>'
                )

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


# --- Charts of one quarter (the public quarter page) ------------------------------------------------------

BAR_WIDTH, LABEL_HEIGHT, BAR_HEIGHT, GAP = 640, 18, 18, 14
RAG_COLOURS = {"G": "#00703c", "A": "#f47738", "R": "#d4351c", "N": "#b1b4b6"}
RAG_WORDS = {"G": "green", "A": "amber", "R": "red", "N": "not rated"}


def _open_svg(title, description, height, chart_id):
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="reporting-chart" viewBox="0 0 {BAR_WIDTH} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def rag_counts_svg(title, rows, chart_id):
    """Stacked bars, one per priority: rows = [(label, {"G": n, "A": n, "R": n, "N": n})]. Each segment
    carries its count and letter, so the chart does not rely on colour."""
    step = LABEL_HEIGHT + BAR_HEIGHT + GAP
    height = step * max(len(rows), 1) + 10
    description = (
        "; ".join(
            f"{label}: " + ", ".join(f"{counts.get(code, 0)} {RAG_WORDS[code]}" for code in "GARN")
            for label, counts in rows
        )
        or "No KPIs"
    )
    parts = _open_svg(title, description, height, chart_id)
    most = max([sum(counts.values()) for _, counts in rows] + [1])
    for i, (label, counts) in enumerate(rows):
        top = i * step
        parts.append(f'<text x="0" y="{top + 13}" font-size="13" fill="#0b0c0c">{escape(_short(label))}</text>')
        x = 0.0
        for code in "GARN":
            count = counts.get(code, 0)
            if not count:
                continue
            width = (BAR_WIDTH - 10) * count / most
            text_colour = "#0b0c0c" if code in ("N", "A") else "#ffffff"
            parts.append(
                f'<rect x="{x:.1f}" y="{top + LABEL_HEIGHT}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{RAG_COLOURS[code]}" stroke="#ffffff" stroke-width="1"/>'
                f'<text x="{x + 4:.1f}" y="{top + LABEL_HEIGHT + 13}" font-size="12" fill="{text_colour}">'
                f"{count} {code if code != 'N' else '–'}</text>"
            )
            x += width
    parts.append("</svg>")
    return Markup("".join(parts))


def bars_svg(title, rows, chart_id, unit="", reference=None, reference_label=""):
    """Horizontal bars: rows = [(label, [(series, value, colour)])]; a dashed reference line (100% of
    target) when given. Values are written at the end of each bar."""
    per_row = max([len(series) for _, series in rows] + [1])
    step = LABEL_HEIGHT + BAR_HEIGHT * per_row + GAP
    height = step * max(len(rows), 1) + 24
    values = [value for _, series in rows for _, value, _ in series if value is not None]
    top_value = max(values + [reference or 0, 1]) * 1.15
    scale = (BAR_WIDTH - 80) / top_value
    description = (
        "; ".join(
            f"{label}: " + ", ".join(f"{name} {_fmt(value)}{unit}" for name, value, _ in series if value is not None)
            for label, series in rows
        )
        or "No figures"
    )
    parts = _open_svg(title, description, height, chart_id)
    for i, (label, series) in enumerate(rows):
        top = i * step
        parts.append(f'<text x="0" y="{top + 13}" font-size="13" fill="#0b0c0c">{escape(_short(label))}</text>')
        for j, (name, value, colour) in enumerate(series):
            if value is None:
                continue
            y = top + LABEL_HEIGHT + j * BAR_HEIGHT
            width = max(value, 0) * scale
            parts.append(
                f'<rect x="0" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT - 3}" fill="{colour}"/>'
                f'<text x="{width + 4:.1f}" y="{y + 12}" font-size="12" fill="#0b0c0c">'
                f"{escape(name)}{': ' if name else ''}{_fmt(value)}{escape(unit)}</text>"
            )
    if reference is not None:
        x = reference * scale
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height - 20}" stroke="#0b0c0c" stroke-width="2" '
            f'stroke-dasharray="6 4"/><text x="{x + 4:.1f}" y="{height - 6}" font-size="12" fill="#0b0c0c">'
            f"{escape(reference_label)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(label, limit=90):
    return label if len(label) <= limit else label[: limit - 1] + "…"


def quarter_charts(data):
    """The quarter page's charts, each with the table that is its text alternative:
    [{"id", "title", "svg", "headers", "rows"}]."""
    charts_ = []
    rag_rows = [
        (
            f"{p['position']}. {p['title']}",
            {
                "G": p["kpi_counts"]["G"],
                "A": p["kpi_counts"]["A"],
                "R": p["kpi_counts"]["R"],
                "N": p["kpi_counts"]["not_rated"],
            },
        )
        for p in data["priorities"]
    ]
    charts_.append(
        {
            "id": "chart-rags",
            "title": "KPI ratings by priority",
            "svg": rag_counts_svg("KPI ratings by priority", rag_rows, "chart-rags"),
            "headers": ["Priority", "Green", "Amber", "Red", "Not rated"],
            "rows": [[label, c["G"], c["A"], c["R"], c["N"]] for label, c in rag_rows],
        }
    )
    rated = []
    for p in data["priorities"]:
        for k in p["kpis"]:
            if not k["rag"] or not k["target_rated"]:
                continue
            try:
                target = float(ratings.parse_target(k["target"]).value)
            except ratings.RatingError:
                continue
            if target and k["result"] is not None:
                rated.append((k, target, round(k["result"] / target * 100)))
    if rated:
        colours = RAG_COLOURS
        charts_.append(
            {
                "id": "chart-targets",
                "title": "Results against targets",
                "svg": bars_svg(
                    "Results against targets: each rated KPI's result as a percentage of its target",
                    [
                        (f"{k['name']} ({k['polarity_label'].lower()})", [("", percent, colours[k["rag"]])])
                        for k, _, percent in rated
                    ],
                    "chart-targets",
                    unit="%",
                    reference=100,
                    reference_label="Target (100%)",
                ),
                "headers": ["KPI", "Polarity", "Target", "Result", "Result as % of target", "RAG"],
                "rows": [
                    [k["name"], k["polarity_label"], k["target"], k["result_text"], f"{percent}%", k["rag_label"]]
                    for k, _, percent in rated
                ],
            }
        )
    if data["budget"]:
        charts_.append(
            {
                "id": "chart-budget",
                "title": "Budget: revised budget and forecast (£000)",
                "svg": bars_svg(
                    "Budget: revised budget and forecast by service (£000)",
                    [
                        (
                            b["service"],
                            [
                                ("Revised budget", b["revised_budget"], "#505a5f"),
                                ("Forecast", b["forecast"], "#1d70b8"),
                            ],
                        )
                        for b in data["budget"]
                    ],
                    "chart-budget",
                ),
                "headers": ["Service", "Revised budget (£000)", "Forecast (£000)", "Variance adv/(fav) (£000)"],
                "rows": [
                    [
                        b["service"],
                        format_number(b["revised_budget"]),
                        format_number(b["forecast"]),
                        format_number(b["variance"]),
                    ]
                    for b in data["budget"]
                ],
            }
        )
    return charts_
