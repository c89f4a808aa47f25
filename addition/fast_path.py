"""The TensorFlow backend's fast path for the grid's tiny networks: the same math, less overhead.

A network of a few weights spends its time in Keras' plumbing, not in arithmetic.
So a whole epoch of 250 batches runs as one compiled call (``steps_per_execution``),
and the epoch's batches come from one shuffled gather instead of 8,000 single-row
dataset elements. Epoch ``e``'s order is a fixed permutation keyed by (seed, e): the
same shuffled batches ``fit(shuffle=True)`` would give, a new order each epoch, and
an order that does not depend on whether the run was interrupted before it.
``python -m addition bench`` measures the gain.
"""
def compile_options(steps_per_epoch):
    """``compile`` arguments: the epoch as one call. XLA gains nothing measurable on a model
    this small, and TensorFlow's deterministic mode (same seed, same numbers) turns it off anyway."""
    return {"steps_per_execution": steps_per_epoch, "jit_compile": False}


def epochs_dataset(x, y, batch_size, seed, first_epoch):
    """tf.data batches of every epoch from ``first_epoch`` on, each a fixed permutation keyed by (seed, epoch)."""
    # TensorFlow only here: under KERAS_BACKEND=jax there may be no TensorFlow, and fit takes plain arrays.
    import tensorflow as tf

    n = len(x)
    full = (n // batch_size) * batch_size
    x = tf.constant(x)
    y = tf.constant(y)

    def one_epoch(epoch):
        perm = tf.random.experimental.stateless_shuffle(
            tf.range(n), seed=tf.stack([tf.constant(seed, tf.int64), epoch]))
        xs, ys = tf.gather(x, perm), tf.gather(y, perm)
        batches = tf.data.Dataset.from_tensor_slices((
            tf.reshape(xs[:full], (-1, batch_size, x.shape[1])),
            tf.reshape(ys[:full], (-1, batch_size, y.shape[1]))))
        if full < n:
            batches = batches.concatenate(tf.data.Dataset.from_tensors((xs[full:], ys[full:])))
        return batches

    return tf.data.Dataset.range(first_epoch, 2**62).flat_map(one_epoch).prefetch(2)


def validation_dataset(x, y, batch_size):
    import tensorflow as tf  # see epochs_dataset above

    return tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size).cache()

