"""Experiment ``descent``: gradient descent on the pixels, the network held fixed.

From a random image (pixels uniform in [0, 1]), one per digit, step the pixels
down the gradient of the network's own cost for that digit (the book's
cross-entropy for the sigmoid networks, categorical cross-entropy for the CNN),
clipping to [0, 1] after each step. All ten digits descend together in one batch.
The gradient with respect to the input comes from the backend: TensorFlow's
GradientTape or ``jax.grad``.
"""
import numpy as np

from mnist_adversarial.data import one_hot
from mnist_adversarial.models import nielsen_cost


def cost_fn(model):
    """The network's own training cost: the book's for the sigmoid networks, else cross-entropy."""
    from keras import ops  # Keras is imported where used: runtime.setup() prepares it first

    if model.name.startswith("mlp"):
        return nielsen_cost
    return lambda y, p: -ops.sum(y * ops.log(ops.clip(p, 1e-7, 1.0)), axis=-1)


def input_gradient(model, x, y):
    """d(Σ cost)/d(input) for a batch, on the Keras backend in use."""
    import keras

    cost = cost_fn(model)
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        xt = tf.convert_to_tensor(x)
        with tf.GradientTape() as tape:
            tape.watch(xt)
            total = tf.reduce_sum(cost(y, model(xt, training=False)))
        return tape.gradient(total, xt).numpy()
    if backend == "jax":
        import jax

        return np.asarray(jax.grad(lambda v: cost(y, model(v, training=False)).sum())(x))
    raise RuntimeError(f"input gradients are not implemented for the {backend} backend")


def descend(model, digits, steps, rate, rng):
    """Images (len(digits), 784) after ``steps`` steps of ``rate`` from uniform noise."""
    digits = np.asarray(digits)
    x = rng.random((len(digits), 784), dtype="float32")
    y = one_hot(digits)
    for _ in range(steps):
        x = np.clip(x - rate * input_gradient(model, x, y), 0.0, 1.0).astype("float32")
    return x


def run(models, settings, rng):
    """Descend one image per digit of ``settings.digits`` against each network."""
    import keras

    results, images = {}, {}
    digits = np.asarray(settings.digits)
    for name, model in models.items():
        x = descend(model, digits, settings.descent_steps, settings.descent_rate, rng)
        out = keras.ops.convert_to_numpy(model(x, training=False))
        conf = out[np.arange(len(digits)), digits]
        results[name] = {
            "digits": digits.tolist(),
            "confidence": conf.tolist(),
            "predicted": out.argmax(1).tolist(),
            "max_output": out.max(1).tolist(),
            "converged_96": int((conf >= 0.96).sum()),
        }
        images[name] = x
    return results, images
