"""The post's settings: one dataclass, one named instance per section of the post and profile.

The first two sections use the TensorFlow tutorial's network and optimiser; the author's
own network, with the optimiser "after reviewing some tips" (β₁ 0.5, 2e-4, reals labelled
0.9), comes with the colour ellipses and stays for the avatars.
"""
import dataclasses
from dataclasses import dataclass
from typing import Literal

from shared import UserError


@dataclass(frozen=True)
class Config:
    network: Literal["tutorial", "author"] = "author"
    """The TensorFlow tutorial's DCGAN, or the author's deeper, wider one."""
    learning_rate: float = 2e-4
    """Adam's learning rate, for both networks."""
    beta_1: float = 0.5
    """Adam's beta_1, for both networks."""
    batch_size: int = 128
    """Images per training step."""
    real_label: float = 0.9
    """The discriminator's target for real images (below 1: one-sided label smoothing)."""
    dataset: Literal["outline", "bw", "colour", "cartoon"] = "cartoon"
    """What the images show: ellipse outlines on white, white ellipses on black, colour ones, avatars."""
    channels: int = 3
    """Colour channels of the images (1: grey)."""
    background: float | None = None
    """The ellipses' background (0 black, 1 white) for the ellipse fit; none for the avatars."""
    size: int = 64
    """Image side in pixels."""
    images: int = 10_000
    """Training images."""
    epochs: int = 50
    """Passes over the training images."""
    checkpoint_every: int = 15
    """Save both networks every this many epochs, as the tutorial does."""
    data: str | None = None
    """The avatars: the Cartoon Set's folder or .tgz (default: under REPRO_DATA if there, else stand-ins)."""
    condition: tuple[str, ...] = ()
    """Avatar attributes to condition both networks on (beyond the post), e.g. hair_color eye_color."""

    def check(self):
        minimum = {"epochs": 1, "images": 16, "batch_size": 1, "checkpoint_every": 1}
        for name, least in minimum.items():
            if getattr(self, name) < least:
                extra = " (a 4 × 4 grid of real images)" if name == "images" else ""
                raise UserError(f"--{name.replace('_', '-')} must be at least {least}{extra}")
        step = 4 if self.network == "tutorial" else 16
        if self.size < step or self.size % step or self.size > 512:
            raise UserError(f"--size {self.size}: the {self.network} network needs a multiple of {step} up to 512")
        if self.channels not in (1, 3):
            raise UserError("--channels must be 1 or 3")
        if not 0 < self.real_label <= 1 or self.learning_rate <= 0 or not 0 <= self.beta_1 < 1:
            raise UserError("--real-label must be in (0, 1], --learning-rate above 0, --beta-1 in [0, 1)")
        if self.background is not None and not 0 <= self.background <= 1:
            raise UserError("--background must be between 0 and 1")
        if (self.condition or self.data) and self.dataset != "cartoon":
            raise UserError("--data and --condition are for the avatars (python -m dcgan cartoon)")


TUTORIAL = Config(network="tutorial", learning_rate=1e-4, beta_1=0.9, batch_size=256, real_label=1.0)
AUTHOR = Config()
EXPERIMENTS = {
    # "a few hundred images" at batch 256 is 100 steps in 50 epochs: too few for anything but a
    # gray blob; the shape generator's default, 2000, shows the post's colours and white collapse.
    "first-attempt": dataclasses.replace(TUTORIAL, dataset="outline", background=1.0, size=28, images=2000),
    "bw-ellipses": dataclasses.replace(TUTORIAL, dataset="bw", channels=1, background=0.0, size=28),
    "colour-ellipses": dataclasses.replace(AUTHOR, dataset="colour", background=0.0),
    "cartoon": AUTHOR,
}
QUICK_EPOCHS = {"first-attempt": 10, "bw-ellipses": 10, "colour-ellipses": 4, "cartoon": 4}
PROFILES = {
    name: {
        # The post's settings: 50 epochs, 10,000 images (the first attempt: 2000).
        "full": full,
        # 32 × 32, 2000 images, a few epochs: minutes on 2 cores (about 8 for the four).
        "quick": dataclasses.replace(full, size=32, images=2000, epochs=QUICK_EPOCHS[name], checkpoint_every=2),
        # For tests: 16 × 16, 64 images, batches of 32, 2 epochs: seconds.
        "tiny": dataclasses.replace(full, size=16, images=64, batch_size=32, epochs=2, checkpoint_every=1),
    }
    for name, full in EXPERIMENTS.items()
}


def hidden_options(experiment):
    """Settings a section's command does not offer: the dataset is the section's own, and
    the avatars' ``data`` and ``condition`` are for the cartoon section (and ``all``) only."""
    return ("dataset",) + (() if experiment in ("cartoon", "all") else ("data", "condition"))


def profile(experiment, name):
    """The settings of ``experiment`` ("bw-ellipses", ...) at profile ``name`` ("full", "quick", "tiny")."""
    if experiment not in PROFILES:
        raise UserError(f"unknown experiment {experiment!r}: choose one of {', '.join(PROFILES)}")
    if name not in PROFILES[experiment]:
        raise UserError(f"unknown profile {name!r}: choose one of {', '.join(PROFILES[experiment])}")
    return PROFILES[experiment][name]


def for_all(name, overrides):
    """The four sections' settings at profile ``name`` with ``overrides`` ({field: value}); the
    avatars' own settings (``data``, ``condition``) go to the cartoon section only."""
    avatars_only = {"data", "condition"}
    out = {}
    for experiment in EXPERIMENTS:
        mine = {k: v for k, v in overrides.items() if experiment == "cartoon" or k not in avatars_only}
        settings = dataclasses.replace(profile(experiment, name), **mine)
        settings.check()
        out[experiment] = settings
    return out
