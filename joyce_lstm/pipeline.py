"""Feeding the network: one-hot windows made batch by batch, or all at once as the post did.

The post cuts the text into windows of ``maxlen`` characters every ``step``
characters and one-hot encodes all of them up front: for the whole corpus a
boolean array of 633,105 × 100 × 117, about 7.4 GB, plus a float copy in Keras.
:class:`OneHotWindows` keeps only the encoded text (one int32 per character)
and builds each batch's one-hot arrays when Keras asks for it. The arithmetic
the network sees is the same; :func:`materialise` is the post's way, kept for
comparison (``--pipeline original``) and for the tests.
"""
import math

import keras
import numpy as np

from shared.training import epoch_order


def window_starts(length, maxlen, step):
    return np.arange(0, max(length - maxlen, 0), step, dtype=np.int64)


def onehot_batch(encoded, starts, maxlen, n_chars, dtype="float32"):
    """x (batch, maxlen, n_chars) and y (batch, n_chars) for windows starting at ``starts``."""
    idx = starts[:, None] + np.arange(maxlen + 1)[None, :]
    chars = encoded[idx]
    eye = np.eye(n_chars, dtype=dtype)
    return eye[chars[:, :maxlen]], eye[chars[:, maxlen]]


class OneHotWindows(keras.utils.PyDataset):
    """Batches of one-hot windows built on the fly from the encoded text, shuffled per epoch."""

    def __init__(self, encoded, maxlen, step, n_chars, batch_size, seed=0, shuffle=True, **kwargs):
        super().__init__(**kwargs)
        self.encoded = np.asarray(encoded, dtype=np.int32)
        self.maxlen, self.n_chars, self.batch_size = maxlen, n_chars, batch_size
        self.starts = window_starts(len(self.encoded), maxlen, step)
        if self.starts.size == 0:
            raise ValueError(f"the text is shorter than one window of {maxlen + 1} characters")
        self.seed, self.shuffle = seed, shuffle
        self.epoch = 0
        self.order = self._order()

    def _order(self):
        if not self.shuffle:
            return np.arange(self.starts.size)
        return epoch_order(self.starts.size, self.seed, self.epoch)

    def set_epoch(self, epoch):
        self.epoch = epoch
        self.order = self._order()

    def __len__(self):
        return math.ceil(self.starts.size / self.batch_size)

    def __getitem__(self, i):
        rows = self.order[i * self.batch_size:(i + 1) * self.batch_size]
        return onehot_batch(self.encoded, self.starts[rows], self.maxlen, self.n_chars)

    def on_epoch_end(self):
        self.set_epoch(self.epoch + 1)


def materialise(encoded, maxlen, step, n_chars):
    """The post's vectorisation: every window one-hot at once, as booleans."""
    starts = window_starts(len(encoded), maxlen, step)
    x = np.zeros((starts.size, maxlen, n_chars), dtype=bool)
    y = np.zeros((starts.size, n_chars), dtype=bool)
    for i, s in enumerate(starts):
        x[i, np.arange(maxlen), encoded[s:s + maxlen]] = True
        y[i, encoded[s + maxlen]] = True
    return x, y
