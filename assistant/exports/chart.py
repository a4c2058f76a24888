"""Charts of key figures (.png), with Chinese labels: a bar chart of one figure across reports, a line
chart of one place's figures across the years."""

from __future__ import annotations

# A region's name longer than this is set on several lines under its bar (金平苗族瑶族傣族自治县).
LABEL_CHARS = 5
# Points of the chart's text: still legible when a phone shows the 600-pixel chart at half its width.
FONT_POINTS = 13
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei")


def figures_chart(figures, indicator: str, path) -> None:
    """A bar chart of one indicator across reports, with Chinese labels (needs a CJK font installed)."""
    from ingest.text import as_number

    chosen = [f for f in figures if f.indicator == indicator]
    if not chosen:
        raise ValueError(f"no figures for indicator '{indicator}'")
    plt = _pyplot()
    labels = [f"{_wrapped(f.region or f.report)}\n{f.year or ''}年" for f in chosen]
    values = [as_number(f.value) for f in chosen]
    fig, ax = plt.subplots(figsize=(max(5, 1.4 * len(chosen)), 4), dpi=120)
    bars = ax.bar(labels, values, color="#b03a2e")
    ax.bar_label(bars, labels=[f"{f.value}{f.unit}" for f in chosen])
    ax.margins(y=0.15)  # room above the tallest bar for its label, below the title
    ax.set_title(f"{indicator}（各报告所载年度数字）")
    ax.set_ylabel(chosen[0].unit)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(str(path))
    plt.close(fig)




def _wrapped(name: str) -> str:
    return "\n".join(name[i : i + LABEL_CHARS] for i in range(0, len(name), LABEL_CHARS))


def _pyplot():
    """matplotlib's pyplot, off-screen, with a CJK font for the labels."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    font = next((name for name in CJK_FONTS if name in installed), None)
    if font is None:
        raise RuntimeError("没有可用于图表的中文字体：请安装一种（Debian：apt-get install fonts-noto-cjk）")
    plt.rcParams["font.family"] = font
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["font.size"] = FONT_POINTS
    return plt


def series_chart(rows, place: str, path) -> None:
    """A line chart of one place's indicators by year (those sharing the first one's unit, so that one axis
    reads them all), each point labelled with the value as printed."""
    rows = [r for r in rows if r.points]
    if not rows:
        raise ValueError("没有可画的逐年数字")
    rows = [r for r in rows if r.unit == rows[0].unit]
    plt = _pyplot()
    years = sorted({p.year for r in rows for p in r.points if p.year})
    fig, ax = plt.subplots(figsize=(max(5, 1.3 * len(years) + 2), 4), dpi=120)
    for row in rows:
        points = [p for p in row.points if p.year and p.number is not None]
        xs, ys = [p.year for p in points], [p.number for p in points]
        ax.plot(xs, ys, marker="o", label=row.indicator)
        for p in points:
            ax.annotate(f"{p.value}{p.unit}", (p.year, p.number), textcoords="offset points", xytext=(0, 7), ha="center")
    ax.set_xticks(years, [f"{y}年" for y in years])
    ax.margins(x=0.15, y=0.2)
    ax.set_title(f"{place}：{'、'.join(r.indicator for r in rows)}（逐年）" if len(rows) <= 2 else f"{place}：关键数字（逐年）")
    ax.set_ylabel(rows[0].unit)
    if len(rows) > 1:
        ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(str(path))
    plt.close(fig)
