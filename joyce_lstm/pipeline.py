"""Feeding the network: windows made batch by batch, or all at once as the post did.

The post cuts the text into windows of ``maxlen`` characters every ``step``
characters and one-hot encodes all of them up front: for the whole corpus a
boolean array of 633,105 × 100 × 117, about 7.4 GB, plus a float copy in Keras.
:class:`Windows` keeps only the encoded text (one int32 per character) and
builds each batch when Keras asks for it: the windows as character ids, for the
model that looks its LSTM's input rows up (:mod:`joyce_lstm.layers`), or as
one-hot vectors (:class:`OneHotWindows`), for the post's model. The arithmetic
the network sees is the same; :func:`materialise` is the post's way, kept for
comparison (``--pipeline original``) and for the tests. :class:`FixedWindows` are
windows drawn once (:func:`subsample`) and read in the same order every epoch, for
measuring a loss rather than training.
"""
import math

import keras
import numpy as np

from shared.training import epoch_order


def window_starts(length, maxlen, step):
    return np.arange(0, max(length - maxlen, 0), step, dtype=np.int64)


def id_batch(encoded, starts, maxlen, n_chars, dtype="float32"):
    """x (batch, maxlen) character ids and y (batch, n_chars) one-hot, for windows starting at ``starts``."""
    idx = starts[:, None] + np.arange(maxlen + 1)[None, :]
    chars = encoded[idx]
    return chars[:, :maxlen], np.eye(n_chars, dtype=dtype)[chars[:, maxlen]]


def onehot_batch(encoded, starts, maxlen, n_chars, dtype="float32"):
    """x (batch, maxlen, n_chars) and y (batch, n_chars) one-hot, for windows starting at ``starts``."""
    ids, y = id_batch(encoded, starts, maxlen, n_chars, dtype)
    return np.eye(n_chars, dtype=dtype)[ids], y


BATCHES = {"ids": id_batch, "onehot": onehot_batch}


class Windows(keras.utils.PyDataset):
    """Batches of windows built on the fly from the encoded text, shuffled per epoch; ``inputs``
    says what x is: "onehot" (one-hot vectors, what the training feeds :func:`joyce_lstm.models.build`'s
    default network) or "ids" (character ids, for the row-lookup LSTM). y is one-hot."""

    def __init__(self, encoded, maxlen, step, n_chars, batch_size, seed=0, shuffle=True, inputs="onehot",
                 **kwargs):
        super().__init__(**kwargs)
        if inputs not in BATCHES:
            raise ValueError(f"inputs must be one of {tuple(BATCHES)}, not {inputs!r}")
        self.encoded = np.asarray(encoded, dtype=np.int32)
        self.maxlen, self.n_chars, self.batch_size = maxlen, n_chars, batch_size
        self.batch = BATCHES[inputs]
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
        return self.batch(self.encoded, self.starts[rows], self.maxlen, self.n_chars)

    def on_epoch_end(self):
        self.set_epoch(self.epoch + 1)


class OneHotWindows(Windows):
    """:class:`Windows` of one-hot vectors: the post's input, batch by batch."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, inputs="onehot", **kwargs)


def subsample(starts, limit=None, seed=0):
    """``limit`` of the window ``starts``, drawn once by ``seed`` and kept in text order
    (all of them when ``limit`` is None or not below their number)."""
    if limit is None or limit >= starts.size:
        return starts
    return np.sort(np.random.default_rng(seed).choice(starts, limit, replace=False))


class FixedWindows(keras.utils.PyDataset):
    """The windows starting at ``starts``, in that order, the same every epoch: text a
    loss is measured on (the held-out text's ``val_loss``), not trained on."""

    def __init__(self, encoded, starts, maxlen, n_chars, batch_size, inputs="onehot", **kwargs):
        super().__init__(**kwargs)
        self.encoded, self.starts = np.asarray(encoded, dtype=np.int32), np.asarray(starts)
        self.maxlen, self.n_chars, self.batch_size = maxlen, n_chars, batch_size
        self.batch = BATCHES[inputs]

    def __len__(self):
        return math.ceil(self.starts.size / self.batch_size)

    def __getitem__(self, i):
        starts = self.starts[i * self.batch_size:(i + 1) * self.batch_size]
        return self.batch(self.encoded, starts, self.maxlen, self.n_chars)


def materialise(encoded, maxlen, step, n_chars):
    """The post's vectorisation: every window one-hot at once, as booleans."""
    starts = window_starts(len(encoded), maxlen, step)
    x = np.zeros((starts.size, maxlen, n_chars), dtype=bool)
    y = np.zeros((starts.size, n_chars), dtype=bool)
    for i, s in enumerate(starts):
        x[i, np.arange(maxlen), encoded[s:s + maxlen]] = True
        y[i, encoded[s + maxlen]] = True
    return x, y
