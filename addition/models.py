"""The post's network: Input(2) -> Dense(n, sigmoid, no bias) -> Dense(1, linear, no bias)."""
import numpy as np


def build(nodes):
    import keras

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


def forward(w_in, w_out, a, b):
    """The network's arithmetic spelled out: hidden activations and the output."""
    x = np.array([a, b], dtype="float64")
    hidden = 0.5 * (1.0 + np.tanh(0.5 * (x @ w_in.astype("float64"))))  # sigmoid, overflow-free
    return hidden, float(hidden @ w_out.astype("float64"))
