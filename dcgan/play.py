"""Play with a finished run: draw avatars (or ellipses), and walk between two of them.

    from dcgan import play
    avatars = play.load("runs/dcgan/cartoon/20250101T000000Z-seed0")
    images = avatars.draw(16, random_seed=3, attributes={"hair_color": 3})   # uint8 (16, h, w, c)
    frames = avatars.walk(3, 4, t=[0, 0.25, 0.5, 0.75, 1])                   # from seed 3's face to seed 4's

A random seed gives the same latent vector in :meth:`Avatars.draw` and :meth:`Avatars.walk`:
``walk(a, b, 0)`` is ``draw(1, a)``. Nothing here prints or writes.
"""
from pathlib import Path

import numpy as np

from dcgan import media
from dcgan.data import from_tanh_range
from dcgan.models import NOISE
from shared import UserError, runs

POST = "dcgan"


class Avatars:
    """A finished run's generator (loaded once, at the first draw) and what it can be asked for."""

    def __init__(self, run_dir, config, attributes):
        self.run_dir, self.config = Path(run_dir), config
        self.condition = list(config["settings"].get("condition") or [])
        self._attributes = attributes  # {name: {"variants": count, "values": [...]}} of the training set
        self._generator = None

    @property
    def conditional(self):
        """Whether the generator takes attributes (a run trained with ``--condition``)."""
        return bool(self.condition)

    @property
    def attributes(self):
        """{attribute: number of values} the generator is conditioned on ({} when it is not)."""
        return {name: self._attributes[name]["variants"] for name in self.condition}

    @property
    def generator(self):
        if self._generator is None:
            from shared import runtime

            runtime.setup()
            import keras

            try:
                self._generator = keras.saving.load_model(self.run_dir / "generator.keras", compile=False)
            except Exception as exc:  # a truncated or foreign file: Keras raises many kinds
                raise runs.damaged(self.run_dir, "generator.keras", f"cannot be read ({type(exc).__name__})") from None
        return self._generator

    def check(self, attributes):
        """``attributes`` ({name: value}) as whole numbers, checked against the run's conditioning."""
        if attributes and not self.conditional:
            raise UserError("needs a run trained with --condition: this run's generator takes no attributes")
        wanted = {}
        for name, value in (attributes or {}).items():
            if name not in self.condition:
                raise UserError(f"unknown attribute {name!r}: this run is conditioned on {', '.join(self.condition)}")
            count = self.attributes[name]
            if int(value) != value or not 0 <= value < count:
                raise UserError(f"{name}={value} is out of range: {name} has variants 0 to {count - 1}")
            wanted[name] = int(value)
        return wanted

    def _latent(self, n, random_seed, attributes):
        """``n`` latent vectors and their one-hot labels (None when unconditional)."""
        rng = np.random.default_rng(random_seed)
        noise = rng.standard_normal((n, NOISE)).astype(np.float32)
        if not self.conditional:
            return noise, None
        values = self._values(n, self.check(attributes), rng)
        blocks = [np.eye(self.attributes[name], dtype=np.float32)[values[name]] for name in self.condition]
        return noise, np.concatenate(blocks, axis=1)

    def _values(self, n, wanted, rng):
        """Each conditioned attribute's values: the asked-for ones, the others drawn as the training set has them."""
        return {name: np.full(n, wanted[name]) if name in wanted
                else rng.choice(np.asarray(self._attributes[name]["values"]), n) for name in self.condition}

    def complete(self, attributes, random_seed):
        """``attributes`` with the others filled in as ``draw(1, random_seed, attributes)`` draws them."""
        if not self.conditional:
            return self.check(attributes)
        rng = np.random.default_rng(random_seed)
        rng.standard_normal((1, NOISE))
        return {name: int(v[0]) for name, v in self._values(1, self.check(attributes), rng).items()}

    def _images(self, noise, labels):
        out = self.generator(noise if labels is None else [noise, labels], training=False)
        return np.asarray(out, dtype=np.float32)  # a generator kept in float16 gives float16

    def draw(self, n=16, random_seed=0, attributes=None):
        """``n`` samples as uint8 (n, h, w, channels); ``attributes`` ({name: value}) for a conditional run."""
        if not 1 <= n <= 1024:
            raise UserError("n must be between 1 and 1024")
        return from_tanh_range(self._images(*self._latent(n, random_seed, attributes)))

    def walk(self, random_seed_a, random_seed_b, t, attributes=None, spherical=False):
        """The images on the line from seed a's latent vector to seed b's, at ``t`` (a number or a list, 0 to 1).

        ``spherical`` follows the great circle instead (Gaussian latent vectors lie near a sphere).
        """
        ts = np.atleast_1d(np.asarray(t, dtype=np.float64))
        if ts.min() < 0 or ts.max() > 1:
            raise UserError("t must lie between 0 and 1")
        a, labels = self._latent(1, random_seed_a, attributes)
        b, _ = self._latent(1, random_seed_b, attributes)
        z = np.stack([slerp(a[0], b[0], s) if spherical else (1 - s) * a[0] + s * b[0] for s in ts])
        labels = None if labels is None else labels.repeat(len(ts), 0)
        return from_tanh_range(self._images(z.astype(np.float32), labels))

    @staticmethod
    def grid(images, columns=8):
        """uint8 images (n, h, w, c) as one RGB grid with white gutters."""
        return media.grid(np.asarray(images, np.float32) / 127.5 - 1.0, columns=min(columns, len(images)))


def slerp(a, b, t):
    """Spherical interpolation between latent vectors."""
    na, nb = a / np.linalg.norm(a), b / np.linalg.norm(b)
    omega = np.arccos(np.clip(np.dot(na, nb), -1, 1))
    if omega < 1e-6:
        return (1 - t) * a + t * b
    return (np.sin((1 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)


def load(run_dir=None):
    """A COMPLETE run's :class:`Avatars` (one clear line if it is unfinished or damaged); with no
    ``run_dir``, the post's full run kept with the suite that keeps a generator (the cartoon run's
    first, then the colour and the black-and-white ellipses')."""
    path, config, _ = runs.load(run_dir or runs.kept(POST, "cartoon", "colour-ellipses", "bw-ellipses"), POST)
    if not (path / "generator.keras").is_file():
        raise runs.damaged(path, "generator.keras", "is missing")
    condition = config["settings"].get("condition") or []
    attributes = runs.read_run_json(path, "attributes.json") if condition else {}
    return Avatars(path, config, attributes)
