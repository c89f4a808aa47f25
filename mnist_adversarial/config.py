"""The settings of every experiment of the post, on one screen.

One dataclass for the eight experiments: they chain (every experiment after
``networks`` uses its networks and test set, ``mean`` and ``transfer`` share the
GA's generation cap), and ``all`` runs them with one set of options. Each field
becomes a command-line option (``--ga-tol 1e-3``); its docstring is the help.
The defaults are the post's own settings (``FULL``).
"""
from dataclasses import dataclass, replace
from shared import UserError

NETWORKS = ("mlp100", "mlp30", "cnn")
"""The networks an experiment can be run against (``models.py``)."""


@dataclass(frozen=True)
class Config:
    # networks: Nielsen's chapter 3 (the first 50,000 training images; the last 10,000 validate)
    n_train: int = 50000
    """Training images of the networks (the first N of MNIST's 60,000)."""
    n_val: int = 10000
    """Validation images (from the last 10,000 training images)."""
    n_test: int | None = None
    """Test images used by every experiment (None: all 10,000)."""
    eta: float = 0.1
    """Learning rate of the sigmoid networks' plain SGD."""
    lmbda: float = 5.0
    """L2 regularisation λ of the sigmoid networks (scaled by the training-set size, as the book)."""
    batch: int = 10
    """Mini-batch size of the sigmoid networks."""
    epochs: int = 60
    """Epochs of the sigmoid networks."""
    cnn_epochs: int = 10
    """Epochs of the CNN (Adam)."""
    cnn_batch: int = 64
    """Mini-batch size of the CNN."""
    log_every: int = 10
    """Log a line every this many epochs."""
    # pca
    pca_train: int | None = None
    """Training images for the principal components (None: all 60,000)."""
    # descent: steps of the pixels down the cost's gradient
    descent_steps: int = 1000
    """Gradient steps on the pixels."""
    descent_rate: float = 0.1
    """Step size of the pixel descent."""
    # what descent, genetic and mean make
    digits: tuple[int, ...] = tuple(range(10))
    """Digits made by descent, genetic and mean (0 to 9)."""
    ga_networks: tuple[str, ...] = ("mlp100", "cnn")
    """Networks that descent, genetic and transfer make images against."""
    # genetic: the post's GA, stop when Σ|output − target| < ga_tol
    ga_population: int = 100
    """Images in a GA population."""
    ga_selected: int = 10
    """Best images kept as parents each generation (the first GA)."""
    ga_tol: float = 3e-4
    """The first GA stops when the cost is below this."""
    ga_max_iter: int = 1000
    """The first GA stops after this many generations."""
    ga_retry_mutate_factor: float = 10.0
    """A digit left below 99.99 % runs again with this mutate_factor (0: no second try)."""
    # mean and transfer: many GA runs at once; a run short of its tolerance after
    # many_max_iter generations is dropped and, for the mean, replaced (the post's R loop)
    many_max_iter: int = 200
    """Generation cap of each of the many runs (mean, transfer)."""
    mean_count: int = 1000
    """GA images averaged per digit."""
    mean_tol: float = 1e-3
    """The mean's runs stop at this cost (the post tuned its tolerances digit by digit)."""
    mean_networks: tuple[str, ...] = ("mlp100",)
    """Networks the mean's images are made against."""
    # stats: the second GA, image statistics in its cost
    stats_count: int = 100
    """'2's made by the second GA."""
    stats_mean_count: int = 1000
    """'2's averaged for the second GA's mean image."""
    stats_selected: int = 5
    """Best images kept as parents each generation (the second GA)."""
    stats_tol: float = 0.055
    """The second GA stops when the cost (statistics included) is below this."""
    stats_max_iter: int = 100
    """The second GA stops after this many generations."""
    as_posted: bool = False
    """Score the variogram as the post's Rcpp did (lag 1 for every k)."""
    # drawn and transfer
    rescaled: int = 10000
    """Test digits stretched to the frame's edges (drawn)."""
    transfer_count: int = 100
    """GA images per digit shown to every network (transfer)."""

    def __post_init__(self):
        object.__setattr__(self, "digits", tuple(sorted(set(self.digits))))

    def check(self):
        bad = [d for d in self.digits if not 0 <= d <= 9]
        if bad or not self.digits:
            raise UserError(f"unknown digit {' '.join(map(str, bad))}: digits are 0 to 9")
        if not 1 <= self.n_train <= 50000 or not 1 <= self.n_val <= 10000:
            raise UserError("--n-train is 1 to 50000 and --n-val 1 to 10000 (the book's split)")
        if self.n_test is not None and not 1 <= self.n_test <= 10000:
            raise UserError("--n-test is 1 to 10000 (MNIST's test set)")
        if self.pca_train is not None and not 100 <= self.pca_train <= 60000:
            raise UserError("--pca-train is 100 to 60000")
        if not 2 <= self.ga_selected <= self.ga_population or not 2 <= self.stats_selected <= self.ga_population:
            raise UserError("--ga-selected and --stats-selected are at least 2 and at most --ga-population")
        if not 1 <= self.rescaled <= 10000:
            raise UserError("--rescaled is 1 to 10000")
        positive = ("eta", "batch", "epochs", "cnn_epochs", "cnn_batch", "log_every", "descent_steps",
                    "descent_rate", "ga_tol", "ga_max_iter", "many_max_iter", "mean_count", "mean_tol",
                    "stats_count", "stats_mean_count", "stats_tol", "stats_max_iter", "transfer_count")
        for name in positive:
            if not getattr(self, name) > 0:
                raise UserError(f"--{name.replace('_', '-')} must be above 0, not {getattr(self, name)}")
        if self.lmbda < 0 or self.ga_retry_mutate_factor < 0:
            raise UserError("--lmbda and --ga-retry-mutate-factor cannot be negative")
        for name in ("ga_networks", "mean_networks"):
            nets = getattr(self, name)
            if not nets or set(nets) - set(NETWORKS):
                raise UserError(f"--{name.replace('_', '-')} names networks among {', '.join(NETWORKS)}, "
                                f"not {' '.join(nets) or 'none'}")


FULL = Config()
# quick: the same code path in about 3 minutes for `all` on 2 CPU cores. Networks
# trained for minutes are less sure of anything: looser GA tolerances.
QUICK = replace(FULL, epochs=3, cnn_epochs=1, log_every=1, descent_steps=300, mean_count=50,
                ga_tol=3e-3, ga_max_iter=100, many_max_iter=100, mean_tol=3e-3,
                stats_count=10, stats_mean_count=50, transfer_count=5, rescaled=2000)
# tiny: for the tests, every experiment in about a minute; nothing it measures means anything.
TINY = replace(FULL, n_train=2000, n_val=500, n_test=1000, epochs=1, cnn_epochs=1, cnn_batch=100,
               log_every=1, descent_steps=5, ga_max_iter=3, many_max_iter=3, mean_count=2, stats_count=2,
               stats_mean_count=2, stats_max_iter=2, rescaled=200, transfer_count=1, pca_train=2000)
PROFILES = {"full": FULL, "quick": QUICK, "tiny": TINY}

