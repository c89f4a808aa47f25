"""Headless matplotlib, and figures written whole or not at all."""
import os
import tempfile
from pathlib import Path

import matplotlib

from shared.runs import usual_mode

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def save(fig, path, dpi=110):
    """Save ``fig`` to ``path`` atomically and close it; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=dpi, bbox_inches="tight")
        usual_mode(tmp)
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


__all__ = ["plt", "save"]
