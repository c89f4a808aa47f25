"""The data: MNIST, flattened to 784 pixels in [0, 1], and what MNIST did to a digit.

The loader reads ``mnist/mnist.npz`` (the Keras layout) under ``REPRO_DATA``
first and falls back to ``keras.datasets.mnist.load_data()``, which downloads
the file once into Keras' own cache.

:func:`centre_like_mnist` prepares a drawing the way MNIST's digits were
prepared: the ink's bounding box fitted in 20 × 20 keeping its aspect, then
placed in the 28 × 28 frame with its centre of mass at the middle. A digit drawn
to the frame's edges, as the post's author drew, is what MNIST never shows.
"""
import functools
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

from shared import UserError
from shared.data import data_home, offline

KERAS_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"


def mnist_file():
    """Where MNIST is looked for first: ``mnist/mnist.npz`` under the data folder."""
    return data_home() / "mnist" / "mnist.npz"


def load_arrays(path=None):
    """(x_train, y_train), (x_test, y_test) as uint8 (N, 28, 28) and labels, from ``path``
    (default :func:`mnist_file`) or else Keras' download."""
    path = Path(path) if path else mnist_file()
    if path.is_file():
        try:
            with np.load(path) as f:
                return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            why = "it is empty" if path.stat().st_size == 0 else " ".join(str(exc).split()) or type(exc).__name__
            raise UserError(f"{path} is not an MNIST file in the Keras layout ({why}); "
                            f"replace it with {KERAS_URL}") from None
    if offline():
        raise UserError(f"MNIST is missing at {path}: put mnist.npz there (or set REPRO_DATA to a "
                        f"folder with mnist/mnist.npz); it can be downloaded from {KERAS_URL}")
    import keras

    try:
        return keras.datasets.mnist.load_data()
    except Exception as exc:  # keras raises several kinds for a failed download
        raise UserError(f"MNIST is missing at {path} and keras.datasets could not download it "
                        f"({exc.__class__.__name__}); put mnist.npz from {KERAS_URL} there") from None


def load(limit_train=None, limit_test=None):
    """Flattened float32 images in [0, 1] and int labels: (x_train, y_train), (x_test, y_test).

    The arrays are read-only and shared by every call with the same limits while the file is
    unchanged: an experiment reads them once, not once per step (a second or two each time)."""
    path = mnist_file()
    stat = path.stat() if path.is_file() else None
    return _load(path, stat and (stat.st_size, stat.st_mtime_ns), limit_train, limit_test)


@functools.lru_cache(maxsize=2)
def _load(path, _version, limit_train, limit_test):
    (xtr, ytr), (xte, yte) = load_arrays(path)
    xtr, ytr = xtr[:limit_train], ytr[:limit_train]
    xte, yte = xte[:limit_test], yte[:limit_test]
    arrays = (xtr.reshape(len(xtr), 784).astype("float32") / np.float32(255), ytr.astype("int64"),
              xte.reshape(len(xte), 784).astype("float32") / np.float32(255), yte.astype("int64"))
    for array in arrays:
        array.setflags(write=False)
    return arrays[:2], arrays[2:]


def one_hot(labels, n=10):
    return np.eye(n, dtype="float32")[labels]


INK = 0.05
"""A pixel above this is ink (for bounding boxes)."""


def resize(img, shape):
    """``img`` (values in [0, 1]) resampled to ``shape`` (rows, columns), Lanczos."""
    im = Image.fromarray((np.clip(img, 0, 1) * 255).astype("uint8"))
    return np.asarray(im.resize((shape[1], shape[0]), Image.LANCZOS), dtype="float32") / 255.0


def ink_box(img):
    """The image cropped to its ink (pixels above ``INK``); None when there is none."""
    rows, cols = np.nonzero(img > INK)
    if not len(rows):
        return None
    return img[rows.min():rows.max() + 1, cols.min():cols.max() + 1]


def centre_like_mnist(image):
    """A (28, 28) float32 image prepared as MNIST's digits were: the ink's bounding box
    scaled to fit 20 × 20 keeping its aspect, placed so that its centre of mass is at
    the frame's centre (kept inside the frame). ``image`` is any 2-D array in [0, 1]."""
    box = ink_box(np.asarray(image, dtype="float32"))
    out = np.zeros((28, 28), "float32")
    if box is None:
        return out
    h, w = box.shape
    scale = 20.0 / max(h, w)
    small = resize(box, (max(1, round(h * scale)), max(1, round(w * scale))))
    top, left = (28 - small.shape[0]) // 2, (28 - small.shape[1]) // 2
    out[top:top + small.shape[0], left:left + small.shape[1]] = small
    total = out.sum()
    if total == 0:
        return out
    rows, cols = np.indices(out.shape)
    dy = int(round(13.5 - (rows * out).sum() / total))
    dx = int(round(13.5 - (cols * out).sum() / total))
    dy = min(max(dy, -top), 28 - top - small.shape[0])  # the box stays in the frame
    dx = min(max(dx, -left), 28 - left - small.shape[1])
    return np.roll(np.roll(out, dy, 0), dx, 1)


def stretch_to_edges(image):
    """The opposite: the ink stretched to fill the whole 28 × 28 frame, as the author drew."""
    box = ink_box(np.asarray(image, dtype="float32"))
    return np.zeros((28, 28), "float32") if box is None else np.clip(resize(box, (28, 28)), 0, 1)
