"""The post's network: LSTM(128) on one-hot characters → Dense(n_chars) → softmax, Nadam.

``layers`` > 1 stacks LSTMs (each but the last returning sequences): the deeper
network the author wanted ("'3' is preferred") and could not afford on a CPU.
The input length is left open (``None``) so a seed shorter than the training
window can be continued; training always uses windows of ``maxlen``.
"""


def build(n_chars, units=128, layers=1, learning_rate=None):
    import keras

    model = keras.Sequential(name=f"joyce_lstm_{layers}x{units}")
    model.add(keras.Input(shape=(None, n_chars)))
    for i in range(layers):
        model.add(keras.layers.LSTM(units, return_sequences=i < layers - 1, name=f"lstm_{i + 1}"))
    model.add(keras.layers.Dense(n_chars, name="dense"))
    model.add(keras.layers.Activation("softmax", name="softmax"))
    optimizer = keras.optimizers.Nadam() if learning_rate is None else keras.optimizers.Nadam(learning_rate)
    model.compile(loss="categorical_crossentropy", optimizer=optimizer)
    return model


def parameter_count(n_chars, units=128, layers=1):
    """What ``model.count_params()`` should say, worked out by hand."""
    total, inputs = 0, n_chars
    for _ in range(layers):
        total += 4 * (units * (inputs + units) + units)
        inputs = units
    return total + units * n_chars + n_chars
