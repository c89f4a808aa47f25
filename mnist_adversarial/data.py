"""MNIST, flattened to 784 pixels in [0, 1].

The loader reads ``mnist/mnist.npz`` (the Keras layout) under ``REPRO_DATA``
first and falls back to ``keras.datasets.mnist.load_data()``, which downloads
the file once into Keras' own cache.
"""
import numpy as np

from shared import UserError
from shared.data import data_home, offline

KERAS_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"


def load_arrays():
    """(x_train, y_train), (x_test, y_test) as uint8 (N, 28, 28) and labels."""
    path = data_home() / "mnist" / "mnist.npz"
    if path.is_file():
        try:
            with np.load(path) as f:
                return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
        except (OSError, ValueError, KeyError) as exc:
            raise UserError(f"{path} is not an MNIST file in the Keras layout ({exc}); "
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
    """Flattened float32 images in [0, 1] and int labels: (x_train, y_train), (x_test, y_test)."""
    (xtr, ytr), (xte, yte) = load_arrays()
    xtr, ytr = xtr[:limit_train], ytr[:limit_train]
    xte, yte = xte[:limit_test], yte[:limit_test]
    flat = lambda x: (x.reshape(len(x), 784) / 255.0).astype("float32")
    return (flat(xtr), ytr.astype("int64")), (flat(xte), yte.astype("int64"))


def one_hot(labels, n=10):
    return np.eye(n, dtype="float32")[labels]
