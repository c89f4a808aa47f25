"""The post's network: Input(2) -> Dense(n, sigmoid, no bias) -> Dense(1, linear, no bias).

Three times n weights and nothing else: no biases, so a hidden node can only
turn the weighted sum a·u + b·v into a number between 0 and 1.
"""
from pathlib import Path

import keras

from addition.data import net_name
from shared import runs


def build(nodes):
    return keras.Sequential([
        keras.Input(shape=(2,)),
        keras.layers.Dense(nodes, activation="sigmoid", use_bias=False, name="hidden"),
        keras.layers.Dense(1, use_bias=False, name="output"),
    ], name=f"adder_{nodes}")


def weights(model):
    """(input->hidden weights (2, n), hidden->output weights (n,)) as NumPy arrays."""
    w_in = model.get_layer("hidden").get_weights()[0]
    w_out = model.get_layer("output").get_weights()[0][:, 0]
    return w_in, w_out


def load(run_dir, nodes, bits):
    """A run's trained network; a missing or unreadable ``model.keras`` is reported as damage."""
    name = f"networks/{net_name(nodes, bits)}/model.keras"
    path = Path(run_dir) / name
    if not path.is_file():
        raise runs.damaged(run_dir, name, "is missing")
    try:
        return keras.saving.load_model(str(path))
    except Exception as exc:  # a truncated zip, a bad HDF5 inside it: Keras raises many kinds
        raise runs.damaged(run_dir, name, f"cannot be read ({type(exc).__name__})") from None
