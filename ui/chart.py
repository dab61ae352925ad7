"""Effect-against-cost chart of the menukaart as inline SVG, drawn on the server.

Inline SVG needs no chart library, CDN or script in the page, prints well and can be read
by screen readers (role="img" with a summary; each point has a <title> tooltip).
Evidence is shown twice, as marker size and as colour, so the chart also works in greyscale.
"""

from __future__ import annotations

from collections import Counter

from kb.catalog import Intervention
from ui.format import esc

WIDTH, HEIGHT = 560, 380
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 92
COST_TICKS = {1: "zeer laag", 2: "laag", 3: "gemiddeld", 4: "hoog", 5: "zeer hoog"}
EVIDENCE_NAMES = {1: "zeer beperkt", 2: "beperkt", 3: "redelijk sterk", 4: "sterk",
                  5: "zeer sterk"}
# Light → dark blue for weak → strong evidence; grey when unknown.
COLOURS = {1: "#c6dbef", 2: "#9ecae1", 3: "#4292c6", 4: "#2171b5", 5: "#08306b",
           None: "#a3a3a3"}
SPREAD = 0.16  # sideways step between interventions with the same cost and effect


def _radius(evidence: int | None) -> float:
    return 5.0 if evidence is None else 4.0 + 1.8 * evidence


def effect_cost_svg(items: list[Intervention]) -> str:
    points = [i for i in items if i.effect_months is not None and i.cost is not None]
    if not points:
        return ('<p class="muted">Geen van de getoonde interventies heeft zowel een effect '
                "als kosten in de bronnen; er is niets te tekenen.</p>")
    low = min(0, *(i.effect_months for i in points))
    high = max(8, *(i.effect_months for i in points))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(cost: float) -> float:
        return LEFT + (cost - 0.5) / 5 * plot_w

    def y(effect: float) -> float:
        return TOP + (high - effect) / (high - low) * plot_h

    parts = [f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" '
             'fill="#fafafa" stroke="#cbd5e1"/>']
    for months in range(low, high + 1, 2 if high - low > 8 else 1):
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(months):.1f}" '
                     f'y2="{y(months):.1f}" stroke="#e2e8f0"/>'
                     f'<text x="{LEFT - 8}" y="{y(months) + 4:.1f}" text-anchor="end">'
                     f"{months}</text>")
    for cost, name in COST_TICKS.items():
        parts.append(f'<text x="{x(cost):.1f}" y="{TOP + plot_h + 18}" '
                     f'text-anchor="middle">{cost} · {name}</text>')
    parts.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h + 40}" '
                 'text-anchor="middle" class="axis">Kosten</text>'
                 f'<text transform="translate(16 {TOP + plot_h / 2:.1f}) rotate(-90)" '
                 'text-anchor="middle" class="axis">Effect (maanden extra voortgang)</text>')
    totals = Counter((i.cost, i.effect_months) for i in points)
    seen: Counter = Counter()
    # Big markers first, so small ones stay visible on top.
    for item in sorted(points, key=lambda i: -_radius(i.evidence)):
        spot = (item.cost, item.effect_months)
        offset = (seen[spot] - (totals[spot] - 1) / 2) * SPREAD
        seen[spot] += 1
        evidence = EVIDENCE_NAMES.get(item.evidence, "onbekend")
        tip = (f"{item.name}: effect {item.effect_months} maanden, kosten "
               f"{COST_TICKS[item.cost]}, bewijs {evidence}")
        parts.append(
            f'<circle cx="{x(item.cost + offset):.1f}" cy="{y(item.effect_months):.1f}" '
            f'r="{_radius(item.evidence):.1f}" fill="{COLOURS.get(item.evidence)}" '
            f'fill-opacity="0.85" stroke="#1e293b" stroke-width="0.8">'
            f"<title>{esc(tip)}</title></circle>")
    parts.append(_legend(TOP + plot_h + 58))
    summary = (f"Spreidingsdiagram van {len(points)} interventies: effect in maanden tegen "
               "kosten; grotere en donkerdere punten hebben sterker bewijs.")
    return (f'<div class="chart-box"><svg class="iv-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'role="img" aria-label="{esc(summary)}" xmlns="http://www.w3.org/2000/svg">'
            f'{"".join(parts)}</svg></div>')


def _legend(top: float) -> str:
    parts = [f'<text x="{LEFT}" y="{top + 5}" class="axis">Bewijs:</text>']
    cursor = LEFT + 52
    for level, name in EVIDENCE_NAMES.items():
        r = _radius(level)
        parts.append(f'<circle cx="{cursor + r:.1f}" cy="{top}" r="{r:.1f}" '
                     f'fill="{COLOURS[level]}" stroke="#1e293b" stroke-width="0.8"/>'
                     f'<text x="{cursor + 2 * r + 4:.1f}" y="{top + 4}">{name}</text>')
        cursor += 2 * r + 10 + 6.2 * len(name)
    return "".join(parts)
