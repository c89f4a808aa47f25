"""Seeding and the runtime set-up, in one place.

Call :func:`setup` before the first ``import keras`` does real work: it picks
the backend (TensorFlow unless ``KERAS_BACKEND`` says otherwise), quiets
TensorFlow's start-up chatter, limits threads when asked, lets GPUs grow their
memory, and seeds Python, NumPy and the backend.
"""
import contextlib
import os
import random

_done = False

BACKENDS = ("tensorflow", "jax")
"""The Keras backends the suite runs on: TensorFlow (the default) and JAX."""


def check_backend():
    """Refuse, in one line, a ``KERAS_BACKEND`` the suite does not run on or that is not installed.

    Called by every command before it starts, so that a wrong backend is a :class:`shared.UserError`
    instead of a traceback from deep inside ``import keras``; returns the backend's name."""
    import importlib.util

    from shared import UserError

    name = os.environ.get("KERAS_BACKEND") or "tensorflow"
    if name not in BACKENDS:
        raise UserError(f"KERAS_BACKEND={name}: this suite runs on tensorflow (the default) or jax; "
                        f"unset KERAS_BACKEND, or set KERAS_BACKEND=jax")
    if importlib.util.find_spec(name) is None:
        other = "jax" if name == "tensorflow" else "tensorflow"
        raise UserError(f"KERAS_BACKEND={name}, but {name} is not installed: install it "
                        f"(`make install` installs both), or set KERAS_BACKEND={other}")
    return name


@contextlib.contextmanager
def quiet_stderr():
    """Silence C++ start-up lines (oneDNN, CUDA probing) that TensorFlow prints
    whatever TF_CPP_MIN_LOG_LEVEL says; Python errors still surface afterwards."""
    try:
        saved = os.dup(2)
    except OSError:  # no stderr to silence
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def setup(seed=None, threads=None, deterministic=True):
    """Prepare Keras; return the backend's name."""
    global _done
    if not os.environ.get("KERAS_BACKEND"):
        os.environ["KERAS_BACKEND"] = "tensorflow"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with quiet_stderr():
        import keras

    backend = keras.backend.backend()
    if backend == "tensorflow" and not _done:
        import tensorflow as tf

        tf.get_logger().setLevel("ERROR")  # retracing notices and the like
        if threads:
            tf.config.threading.set_intra_op_parallelism_threads(threads)
            tf.config.threading.set_inter_op_parallelism_threads(threads)
        with quiet_stderr():
            gpus = tf.config.list_physical_devices("GPU")
        for gpu in gpus:
            tf.config.experimental.set_memory_growth(gpu, True)
        if deterministic:
            tf.config.experimental.enable_op_determinism()
    _done = True
    if seed is not None:
        seed_everything(seed)
    return backend


def seed_everything(seed):
    import keras
    import numpy as np

    random.seed(seed)
    np.random.seed(seed % 2**32)
    keras.utils.set_random_seed(seed)


def versions():
    """Versions of what a run depends on, for config.json."""
    import platform

    out = {"python": platform.python_version()}
    for name in ("numpy", "keras", "tensorflow", "jax", "matplotlib", "imageio"):
        try:
            module = __import__(name)
            out[name] = getattr(module, "__version__", "?")
        except ImportError:
            pass
    return out


def rng(seed, stream, *keys):
    """A NumPy generator for one named use of a run's seed (``rng(seed, "fixed noise")``), and
    optionally of some further keys (``rng(seed, "batch noise", epoch, batch)``).

    Each name (and keys) gives its own stream, and none of them is any per-epoch stream
    ``np.random.default_rng([seed, epoch])``: the name enters as a spawn key, which
    a plain list of numbers never has.
    """
    import zlib

    import numpy as np

    key = zlib.crc32(stream.encode())
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(key, *keys)))


def has_tensorflow():
    """Whether TensorFlow can be imported (under KERAS_BACKEND=jax it need not be installed)."""
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        return False
    return True
