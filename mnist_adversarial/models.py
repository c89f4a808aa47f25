"""The models: the networks the post fooled, and the CNN the suite runs every experiment against too.

- ``mlp100``: Nielsen's chapter-3 network, 784-100-10, sigmoid everywhere, the
  cross-entropy cost summed over the ten outputs, L2 regularisation with
  lambda / n (n the training-set size, as in the book), plain SGD. Weights start
  N(0, 1/sqrt(fan-in)), biases N(0, 1) (the book's improved initialisation). Its
  outputs are ten independent sigmoids: the post's "probabilities".
- ``mlp30``: the same with 30 hidden neurons.
- ``cnn``: a LeNet-style network (the page's "Convolutional Neural Net for MNIST
  digit data"): two 5×5 convolutions with max pooling, a dense layer, softmax.

All take flat 784-pixel vectors, so every experiment feeds every network alike.
Keras is imported inside the functions: ``shared.runtime.setup()`` prepares it
first, and a command's bad input is reported before it loads (seconds).
"""
import math


def nielsen_cost(y_true, y_pred):
    """Cross-entropy of sigmoid outputs, summed over the outputs (the book's C), per image."""
    import keras
    from keras import ops

    p = ops.clip(y_pred, keras.config.epsilon(), 1 - keras.config.epsilon())
    return -ops.sum(y_true * ops.log(p) + (1 - y_true) * ops.log(1 - p), axis=-1)


def mlp(hidden, lmbda, n_train, name):
    """784-hidden-10, sigmoid, L2 on the weights (not the biases), the book's initialisation."""
    import keras

    reg = keras.regularizers.L2(lmbda / (2 * n_train))  # gradient lambda/n · w, as the book
    return keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Dense(hidden, activation="sigmoid", kernel_regularizer=reg,
                           kernel_initializer=keras.initializers.RandomNormal(stddev=1 / math.sqrt(784)),
                           bias_initializer=keras.initializers.RandomNormal(stddev=1.0), name="hidden"),
        keras.layers.Dense(10, activation="sigmoid", kernel_regularizer=reg,
                           kernel_initializer=keras.initializers.RandomNormal(stddev=1 / math.sqrt(hidden)),
                           bias_initializer=keras.initializers.RandomNormal(stddev=1.0), name="output"),
    ], name=name)


def cnn():
    """LeNet-style: two 5 × 5 convolutions with 2 × 2 max pooling, dense 100, softmax 10."""
    import keras

    return keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Reshape((28, 28, 1)),
        keras.layers.Conv2D(20, 5, activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(40, 5, activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(100, activation="relu"),
        keras.layers.Dense(10, activation="softmax", name="output"),
    ], name="cnn")


def build(name, eta=0.1, lmbda=5.0, n_train=50000):
    """A compiled network by name; ``eta``, ``lmbda`` and ``n_train`` set the sigmoid networks' SGD."""
    import keras

    if name in ("mlp100", "mlp30"):
        model = mlp(int(name[3:]), lmbda, n_train, name)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=eta), loss=nielsen_cost,
                      metrics=["categorical_accuracy"], steps_per_execution=500, jit_compile=False)
    elif name == "cnn":
        model = cnn()
        model.compile(optimizer=keras.optimizers.Adam(), loss="categorical_crossentropy",
                      metrics=["categorical_accuracy"], steps_per_execution=100, jit_compile=False)
    else:
        raise ValueError(name)
    return model


CUSTOM_OBJECTS = {"nielsen_cost": nielsen_cost}
