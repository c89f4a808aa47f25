"""The "neural network in 9 lines of Python", in NumPy as posted and again in Keras.

The post's code is Python 2 (``xrange``, ``print`` statement); here it is the
same arithmetic in Python 3. One sigmoid neuron, three inputs, no bias; each
of 10,000 iterations adds Xᵀ·((y − o)·o·(1 − o)) to the weights: the delta rule,
which is plain gradient descent with step 1 on ½·Σ(y − o)².

The Keras twin is one ``Dense(1, sigmoid, use_bias=False)`` in float64 with
the same initial weights, trained with SGD on the summed squared error
Σ(y − o)² (Keras' MSE with ``reduction="sum"``, whose gradient is twice the
delta rule's) at learning rate 0.5, on all four examples at once: the same
steps, so the same answer.
"""
import numpy as np

from shared import runtime
from shared.report import markdown_table

INPUTS = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]])
OUTPUTS = np.array([[0, 1, 1, 0]]).T
NEW = np.array([1, 0, 0])
ITERATIONS = 10000
POSTED = "[0.99993704]"


def initial_weights():
    from numpy import random

    random.seed(1)
    return 2 * random.random((3, 1)) - 1


def numpy_network(iterations=ITERATIONS):
    """The post's nine lines (Python 3), returning the prediction for [1, 0, 0]."""
    from numpy import dot, exp

    synaptic_weights = initial_weights()
    for _ in range(iterations):
        output = 1 / (1 + exp(-(dot(INPUTS, synaptic_weights))))
        synaptic_weights += dot(INPUTS.T, (OUTPUTS - output) * output * (1 - output))
    return 1 / (1 + exp(-(dot(NEW, synaptic_weights)))), synaptic_weights


def keras_network(iterations=ITERATIONS):
    """One Dense unit trained by Keras to the same weights; its prediction for [1, 0, 0]."""
    import keras

    if keras.backend.backend() == "jax":  # JAX computes in float32 unless told otherwise
        import jax

        jax.config.update("jax_enable_x64", True)
    model = keras.Sequential([keras.Input(shape=(3,), dtype="float64"),
                              keras.layers.Dense(1, activation="sigmoid", use_bias=False,
                                                 dtype="float64")])
    model.layers[0].set_weights([initial_weights()])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5),
                  loss=keras.losses.MeanSquaredError(reduction="sum"),
                  steps_per_execution=1000)
    # One epoch of `iterations` full batches: every step sees the four examples, in order.
    x = np.tile(INPUTS.astype("float64"), (iterations, 1))
    y = np.tile(OUTPUTS.astype("float64"), (iterations, 1))
    model.fit(x, y, batch_size=len(INPUTS), epochs=1, shuffle=False, verbose=0)
    prediction = model.predict_on_batch(NEW[None].astype("float64"))[0]
    return np.asarray(prediction), model.layers[0].get_weights()[0]


def comparison():
    """The command's output: the NumPy prediction, then the post's, NumPy's and Keras' side by side."""
    prediction, weights = numpy_network()
    runtime.setup(seed=0)  # before Keras is imported: quiet, and the same draws every time
    kprediction, kweights = keras_network()
    table = markdown_table(["", "prediction for [1, 0, 0]", "weights"], [
        ["the post", POSTED, ""],
        ["NumPy (the nine lines)", str(prediction), np.array2string(weights.ravel(), precision=6)],
        ["Keras (Dense(1, sigmoid), SGD)", str(kprediction), np.array2string(kweights.ravel(), precision=6)],
    ])
    return (f"{prediction}\n{table}\n"
            f"largest weight difference NumPy vs Keras: {np.abs(weights - kweights).max():.1e}")


def truth_table():
    rows = [[f"Example {i + 1}", *map(str, x), str(int(y))] for i, (x, y) in enumerate(zip(INPUTS, OUTPUTS[:, 0]))]
    return rows + [["New situation", *map(str, NEW), "?"]]
