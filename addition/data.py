"""The data: pairs of numbers and their sums, the accuracy rule, the grid's names.

Each input number is drawn uniformly from [0, 2**(bits-1)), so that the sum
stays below 2**bits: max sum 16, 256 and 65536 for 4, 8 and 16 bits.
"""
import math

import numpy as np


def max_sum(bits):
    return 2 ** bits


def net_name(nodes, bits):
    """The grid's name for a network: ``n2_s16`` has 2 hidden nodes and max sum 16."""
    return f"n{nodes}_s{max_sum(bits)}"


def input_limit(bits):
    """Inputs lie in [0, input_limit(bits))."""
    return 2 ** (bits - 1)


def make_pairs(n, bits, rng):
    """``n`` random pairs as float32 (n, 2) and their sums as float32 (n, 1)."""
    x = rng.integers(0, input_limit(bits), size=(n, 2))
    return x.astype("float32"), x.sum(axis=1, keepdims=True).astype("float32")


def rounded(predictions):
    """Round to the nearest integer, halves up: 4.4 -> 4, 4.6 -> 5."""
    return np.floor(np.asarray(predictions, dtype="float64") + 0.5)


def accuracy(predictions, sums):
    """Share of predictions that, rounded to the nearest integer, equal the sum."""
    predictions = np.asarray(predictions).reshape(-1)
    sums = np.asarray(sums).reshape(-1)
    return float(np.mean(rounded(predictions) == sums))


def data_seed(seed, bits, purpose):
    """The random stream for one data set: all networks of one max sum share their data.

    Keyed by the list (seed, bits, 0 or 1); the networks' initial weights come from
    (seed, nodes, bits), whose last number is never 0 or 1, and nothing else in this
    post draws from a run's seed, so no two streams coincide.
    """
    return np.random.default_rng([seed, bits, {"train": 0, "test": 1}[purpose]])


def split(x, y, validation_split):
    """Keras' ``validation_split``: the last share of the arrays, before any shuffling."""
    at = int(math.ceil(len(x) * (1.0 - validation_split)))
    return (x[:at], y[:at]), (x[at:], y[at:])


def network_seed(seed, nodes, bits):
    """Each network's initial weights its own seed, whatever worker or order trains it."""
    return int(np.random.SeedSequence([seed, nodes, bits]).generate_state(1)[0] % 2**31)
