"""The benchmark plot: speed-up over FastAPI per endpoint and framework, one panel per measure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.frameworks import REFERENCE
from bench.report import TITLES, columns, labels, speedup

PANELS = (
    ("inprocess", "In-process time"),
    ("instructions", "Instructions per request"),
    ("wire", "Over the wire, requests/s"),
)


def plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    frameworks = [key for key in columns(results) if key != REFERENCE]
    names = dict(zip(columns(results), labels(results), strict=True))
    panels = [(measure, title) for measure, title in PANELS if results.get(measure)]
    figure, axes = plt.subplots(len(panels), 1, figsize=(12, 4.2 * len(panels)), squeeze=False)
    width = 0.8 / len(frameworks)
    for axis, (measure, title) in zip(axes[:, 0], panels, strict=True):
        cases = [
            case
            for case in TITLES
            if any(speedup(results, measure, case, key) for key in frameworks)
        ]
        for index, key in enumerate(frameworks):
            values = [speedup(results, measure, case, key) or 0 for case in cases]
            positions = [position + (index - (len(frameworks) - 1) / 2) * width
                         for position in range(len(cases))]  # fmt: skip
            axis.bar(positions, values, width, label=names[key])
        axis.axhline(1, color="black", linewidth=0.8)
        axis.set_yscale("log")
        axis.set_ylabel("× FastAPI (higher is faster)")
        axis.set_title(title)
        axis.set_xticks(range(len(cases)))
        axis.set_xticklabels([TITLES[case] for case in cases], rotation=20, ha="right", fontsize=8)
        axis.grid(axis="y", which="both", alpha=0.3)
    axes[0, 0].legend(ncol=len(frameworks), fontsize=8, loc="upper left")
    figure.suptitle(f"Speed-up over FastAPI ({results['meta']['date']})")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
