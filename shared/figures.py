"""Headless matplotlib, and figures written whole or not at all."""
from pathlib import Path

import matplotlib

from shared.runs import atomic_path

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the headless backend is chosen)


def save(fig, path, dpi=110):
    """Save ``fig`` to ``path`` atomically and close it; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=dpi, bbox_inches="tight", format=path.suffix.lstrip(".") or None)
    finally:
        plt.close(fig)
    return path


__all__ = ["plt", "save"]
