"""A bar chart of one key figure across reports (.png), with Chinese labels."""

from __future__ import annotations

# A region's name longer than this is set on several lines under its bar (金平苗族瑶族傣族自治县).
LABEL_CHARS = 5
# Points of the chart's text: still legible when a phone shows the 600-pixel chart at half its width.
FONT_POINTS = 13
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei")


def figures_chart(figures, indicator: str, path) -> None:
    """A bar chart of one indicator across reports, with Chinese labels (needs a CJK font installed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    from ingest.text import as_number

    chosen = [f for f in figures if f.indicator == indicator]
    if not chosen:
        raise ValueError(f"no figures for indicator '{indicator}'")
    installed = {f.name for f in font_manager.fontManager.ttflist}
    font = next((name for name in CJK_FONTS if name in installed), None)
    if font is None:
        raise RuntimeError("no CJK font found for chart labels: install one (Debian: apt-get install fonts-noto-cjk)")
    plt.rcParams["font.family"] = font
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["font.size"] = FONT_POINTS
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
