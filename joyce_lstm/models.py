"""The post's network: LSTM(128) on one-hot characters → Dense(n_chars) → softmax, Nadam.

``layers`` > 1 stacks LSTMs (each but the last returning sequences): the deeper
network the author wanted ("'3' is preferred") and could not afford on a CPU.
The input length is left open (``None``) so a seed shorter than the training
window can be continued; training always uses windows of ``maxlen``.

Two ways in, one function of the same weights: ``inputs="onehot"`` is the post's
model, one-hot vectors into Keras' ``LSTM``, and what the training uses;
``inputs="ids"`` takes character ids into :class:`joyce_lstm.layers.LSTM`, whose
input projection is a row lookup. Their weights have the same names and shapes, so
each loads the other's checkpoints and backups. ``python -m joyce_lstm bench --models``
times both (the README gives the measurements).
"""
INPUTS = ("ids", "onehot")


def build(n_chars, units=128, layers=1, learning_rate=None, inputs="onehot", jit_compile="auto"):
    """The post's network, reading ``inputs`` "ids" (character ids) or "onehot" (the post's
    vectors). ``jit_compile`` is Keras' (XLA); "auto" leaves it off on a CPU."""
    import keras

    from joyce_lstm.layers import LSTM

    if inputs not in INPUTS:
        raise ValueError(f"inputs must be one of {INPUTS}, not {inputs!r}")
    model = keras.Sequential(name=f"joyce_lstm_{layers}x{units}")
    model.add(keras.Input(shape=(None,), dtype="int32") if inputs == "ids" else keras.Input(shape=(None, n_chars)))
    for i in range(layers):
        sequences, name = i < layers - 1, f"lstm_{i + 1}"
        if i == 0 and inputs == "ids":
            model.add(LSTM(units, n_chars, return_sequences=sequences, name=name))
        else:
            model.add(keras.layers.LSTM(units, return_sequences=sequences, name=name))
    model.add(keras.layers.Dense(n_chars, name="dense"))
    model.add(keras.layers.Activation("softmax", name="softmax"))
    optimizer = keras.optimizers.Nadam() if learning_rate is None else keras.optimizers.Nadam(learning_rate)
    model.compile(loss="categorical_crossentropy", optimizer=optimizer, jit_compile=jit_compile)
    return model


def load(path):
    """A saved model (a checkpoint of either input), uncompiled."""
    import keras

    from joyce_lstm import layers  # noqa: F401 - registers joyce_lstm>LSTM for load_model

    return keras.saving.load_model(str(path), compile=False)


def takes_ids(model):
    """Whether ``model`` reads character ids (rank-2 input) rather than one-hot vectors."""
    return len(model.inputs[0].shape) == 2


def predictor(model):
    """``model.predict_on_batch`` on windows of character ids (batch, time), whichever input the
    model takes: for the one-hot model the windows are one-hot encoded first."""
    if takes_ids(model):
        return model.predict_on_batch
    import numpy as np

    eye = np.eye(model.inputs[0].shape[-1], dtype="float32")
    return lambda ids: model.predict_on_batch(eye[ids])


def parameter_count(n_chars, units=128, layers=1):
    """What ``model.count_params()`` should say, worked out by hand."""
    total, inputs = 0, n_chars
    for _ in range(layers):
        total += 4 * (units * (inputs + units) + units)
        inputs = units
    return total + units * n_chars + n_chars
