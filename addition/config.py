"""The settings of "2 + 2 with neural networks": the post's grid.

``Config`` is the grid of 15 networks (``python -m addition``, and each seed of
``python -m addition seeds``); its defaults are the post's own settings. Every
field is also a command-line option (``--max-epochs 150``), its docstring the
option's help.
"""
import math
from dataclasses import dataclass, replace

from shared import UserError
from shared.config import from_dict

NODES = (1, 2, 4, 8, 16)
"""The post's hidden-layer sizes."""
BITS = (4, 8, 16)
"""The post's sums: below 2**bits, so max sum 16, 256 and 65536."""


@dataclass(frozen=True)
class Config:
    nodes: tuple[int, ...] = NODES
    """Hidden-layer sizes to train, from 1, 2, 4, 8, 16."""
    bits: tuple[int, ...] = BITS
    """Bits of the sum to train: 4, 8, 16 (max sum 16, 256, 65536)."""
    pairs: int = 10000
    """Random pairs (a, b) drawn per max sum, for training and validation."""
    validation_split: float = 0.2
    """Share of the pairs, the last ones, kept for validation."""
    max_epochs: int = 1000
    """Epoch limit per network."""
    patience: int = 5
    """Early stopping: epochs without a better val_loss before a network stops."""
    batch_size: int = 32
    """Pairs per gradient step."""
    test_pairs: int = 10000
    """Fresh pairs per max sum on which accuracy is measured."""
    log_every: int = 100
    """A progress line per network every this many epochs."""
    backup_every: int = 10
    """Epochs between backups that an interrupted run resumes from."""

    def __post_init__(self):
        # The grid in the post's order, each network once, whatever order the options came in.
        object.__setattr__(self, "nodes", tuple(sorted(set(self.nodes))))
        object.__setattr__(self, "bits", tuple(sorted(set(self.bits))))

    def check(self):
        """One clear line for a setting outside the post's grid, or one that leaves nothing to do."""
        for name, grid in (("nodes", NODES), ("bits", BITS)):
            bad = sorted(set(getattr(self, name)) - set(grid))
            if bad:
                raise UserError(f"--{name} {' '.join(map(str, bad))} is outside the post's grid: "
                                f"choose from {', '.join(map(str, grid))}")
        for name in ("pairs", "max_epochs", "patience", "batch_size", "test_pairs", "log_every",
                     "backup_every"):
            if getattr(self, name) < 1:
                raise UserError(f"--{name.replace('_', '-')} must be at least 1")
        train = math.ceil(self.pairs * (1 - self.validation_split))
        if not 0 < self.validation_split < 1 or not 0 < train < self.pairs:
            raise UserError(f"--validation-split {self.validation_split} leaves no pairs to train or "
                            f"to validate on among {self.pairs}: choose a share between 0 and 1")


# The post's own settings, exactly: about 6 minutes on 2 cores.
FULL = Config()
# Every network and the same data, but at most 150 epochs: about 1½ minutes on 2 cores.
QUICK = replace(FULL, max_epochs=150, log_every=50)
# For tests: four networks, a sliver of data, three epochs: about 15 seconds.
TINY = replace(FULL, nodes=(1, 2), bits=(4, 8), pairs=640, max_epochs=3, test_pairs=1000,
               log_every=1, backup_every=1)
PROFILES = {"full": FULL, "quick": QUICK, "tiny": TINY}


def of_run(config, cls=Config):
    """A run's settings (its config.json's ``settings``) as ``cls``.

    Runs made before the settings became a dataclass kept ``profile`` among them.
    """
    return from_dict(cls, {k: v for k, v in config["settings"].items() if k != "profile"})
