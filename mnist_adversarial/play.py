"""Play: show a finished networks run a digit, and see what each network calls it.

    from mnist_adversarial import play

    nets = play.load("runs/mnist_adversarial/networks/<time>-seed0")
    nets.names                                  # ['mlp100', 'mlp30', 'cnn']
    nets.classify(image)                        # {'mlp100': [10 outputs], ...}
    nets.classify(image, centre=True)           # the same drawing prepared as MNIST's were

``image`` is a 28 × 28 array with values in [0, 1], white ink on black as in
MNIST. The post's point: a digit drawn to the frame's edges fools the networks;
the same digit centred like MNIST's (:func:`centre_like_mnist`) does not.
Nothing here prints: a notebook or a web page calls it.
"""
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from mnist_adversarial.config import NETWORKS
from mnist_adversarial.data import centre_like_mnist
from mnist_adversarial.models import CUSTOM_OBJECTS
from mnist_adversarial.train import net_dir
from shared import UserError, runs, runtime

POST = "mnist_adversarial"
__all__ = ["Classifiers", "ImageError", "centre_like_mnist", "load", "load_models", "read_image", "summary"]


class ImageError(UserError, ValueError):
    """An image the networks cannot be shown (wrong shape, not finite, outside [0, 1])."""


def load_models(run_dir, names=NETWORKS):
    """``{name: keras model}`` from a networks run folder; a missing or unreadable
    model file is reported as damage of the run, in one line."""
    runtime.setup()
    # Keras is imported after runtime.setup(), which quiets TensorFlow's start-up
    import keras

    models = {}
    for name in names:
        path = net_dir(run_dir, name) / "model.keras"
        shown = path.relative_to(run_dir)
        if not path.is_file():
            raise runs.damaged(run_dir, shown, "is missing")
        try:
            models[name] = keras.saving.load_model(str(path), custom_objects=CUSTOM_OBJECTS)
        except Exception as exc:  # zipfile, h5py and Keras raise many kinds for a damaged file
            raise runs.damaged(run_dir, shown, f"cannot be read ({type(exc).__name__})") from None
    return models


def check_image(image):
    """``image`` as a (1, 784) float32 batch, or :class:`ImageError` with one line."""
    try:
        a = np.asarray(image, dtype="float32")
    except (TypeError, ValueError):
        raise ImageError("an image is an array of numbers") from None
    if a.shape not in ((28, 28), (784,)):
        raise ImageError(f"an image is 28 × 28 pixels, not {' × '.join(map(str, a.shape)) or 'a number'}")
    if not np.isfinite(a).all():
        raise ImageError("an image's pixels are finite numbers (it has NaN or infinity)")
    if a.min() < 0 or a.max() > 1:
        raise ImageError(f"an image's pixels are in [0, 1], not [{a.min():g}, {a.max():g}]")
    return a.reshape(1, 784)


@dataclass
class Classifiers:
    """The networks of a finished networks run (see :func:`load`)."""
    path: Path
    models: dict
    results: dict = field(default_factory=dict)
    """The run's results.json: each network's test accuracy, weights and epochs."""

    @property
    def names(self):
        return list(self.models)

    def classify(self, image, centre=False):
        """``{network: [ten outputs]}`` for a 28 × 28 image in [0, 1]; ``centre``: first
        prepare it as MNIST's digits were (:func:`centre_like_mnist`)."""
        import keras  # loaded already by load_models

        x = check_image(image)
        if centre:
            x = centre_like_mnist(x.reshape(28, 28)).reshape(1, 784)
        return {name: [float(v) for v in keras.ops.convert_to_numpy(model(x, training=False))[0]]
                for name, model in self.models.items()}


def load(run_dir=None, names=NETWORKS):
    """The networks of a COMPLETE networks run (an unfinished or damaged one is refused, in one line);
    with no ``run_dir``, the post's full run kept with the suite (``docs/full/networks``)."""
    path, _config, results = runs.load(run_dir or runs.kept(POST, "networks"), POST, "networks")
    return Classifiers(path, load_models(path, names), results)


def read_image(path):
    """A picture file as a 28 × 28 float32 image in [0, 1], white ink on black: grey
    levels, resized to 28 × 28 when it is not, and inverted when it is mostly light
    (dark ink on paper, as one draws)."""
    try:
        with Image.open(path) as im:
            grey = im.convert("L")
            if grey.size != (28, 28):
                grey = grey.resize((28, 28), Image.LANCZOS)
            a = np.asarray(grey, dtype="float32") / 255.0
    except FileNotFoundError:
        raise UserError(f"no image at {path}: give a PNG or JPEG file") from None
    except (OSError, UnidentifiedImageError) as exc:
        raise UserError(f"{path} is not an image that can be read ({type(exc).__name__}): "
                        "give a PNG or JPEG file") from None
    return 1.0 - a if a.mean() > 0.5 else a


def summary(outputs):
    """Lines of text for :meth:`Classifiers.classify`'s outputs: each network's top two."""
    lines = []
    for name, out in outputs.items():
        top = sorted(range(len(out)), key=lambda d: -out[d])[:2]
        lines.append(f"{name}: '{top[0]}' {100 * out[top[0]]:.2f} %, '{top[1]}' {100 * out[top[1]]:.2f} %")
    return "\n".join(lines)
