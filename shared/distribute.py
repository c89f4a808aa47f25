"""Training on several devices: each batch split across N of them, by Keras' own distribution.

Data parallelism, the simplest kind: every device holds the whole model, takes an
equal share of each batch, and the devices add up their gradients before every
update, so that N devices take the same steps as one, only sooner.

    distribute.prepare(2)                  # before Keras runs anything: find (or make) 2 devices
    distribute.check_batch(2, 128)         # a batch must split evenly
    with distribute.scope(2):              # build, compile and fit inside
        model = build(...)
        model.fit(distribute.even_batches(dataset, 2), ...)

Each backend has its own way, and :func:`scope` picks it:

- TensorFlow: ``tf.distribute.MirroredStrategy``. The model's variables are mirrored
  on every device and Keras' ``fit`` runs ``train_step`` once per device on its share
  of the batch; a loss is each device's own mean, so a custom ``train_step`` divides
  it by the number of devices before taking gradients (the optimizer sums them), as
  Keras' own does (see :mod:`dcgan.gan`). Dropout draws its masks, and BatchNormalization
  its statistics, per device (Keras' default): N devices train the same way with other
  random draws.
- JAX: ``keras.distribution.DataParallel``. The variables are replicated, each batch
  is sharded along its first axis, and the jitted step keeps the meaning of the whole
  batch: a mean is over all of it, so no step needs to change.

Where the devices come from: the GPUs if there are any; on a machine with none, the
CPU is split into N logical devices (TensorFlow: ``set_logical_device_configuration``;
JAX: ``XLA_FLAGS=--xla_force_host_platform_device_count=N``), at most one per core.
Both must happen before the backend starts, which is why :func:`prepare` comes first.
Logical CPU devices share the same cores, so they are for checking that N devices
compute what one does, not for speed.
"""
import contextlib
import functools
import os

from shared import UserError, runtime

OPTION_HELP = ("split each batch across N devices (GPUs, or CPU cores where there are none); "
               "the same training, sooner (default 1)")


def backend_name():
    return os.environ.get("KERAS_BACKEND", "tensorflow")


def cpu_cores():
    """The CPU cores this process may run on (each can be one logical device)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def prepare(n):
    """Make sure ``n`` devices can be had, making them from CPU cores where there are no GPUs;
    return them (None for one: nothing to prepare).

    Call it before Keras runs anything (it calls :func:`shared.runtime.setup`): devices
    cannot be split once a backend has started.
    """
    if n < 1:
        raise UserError(f"--devices must be at least 1, not {n}")
    if n == 1:
        return None  # one device: whatever the backend finds first, as ever
    if backend_name() == "jax":
        flags = os.environ.get("XLA_FLAGS", "")
        if "xla_force_host_platform_device_count" not in flags:  # only the CPU platform; GPUs are as they are
            os.environ["XLA_FLAGS"] = f"{flags} --xla_force_host_platform_device_count={n}".strip()
    backend = runtime.setup()
    if backend == "tensorflow":
        import tensorflow as tf

        if not tf.config.list_physical_devices("GPU") and n <= cpu_cores():
            cpu = tf.config.list_physical_devices("CPU")[0]
            try:
                tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * n)
            except RuntimeError:  # TensorFlow has started already (a notebook): use what it has
                pass
    found = devices()
    kind = (found[0].platform if backend == "jax" else found[0].device_type).upper()
    there = cpu_cores() if kind == "CPU" and n > cpu_cores() else len(found)
    if n > there:
        what = (f"{there} CPU core{'s' * (there != 1)} (each can be one device)" if kind == "CPU"
                else f"{there} {kind}s")
        raise UserError(f"--devices {n}: this machine has {what}; give at most {there}")
    return found[:n]


def add_option(parser):
    """The ``--devices N`` option of a training command."""
    parser.add_argument("--devices", type=int, default=1, metavar="N", help=OPTION_HELP)


def devices():
    """The devices a batch can be split across: the GPUs if any, else the (logical) CPUs."""
    if backend_name() == "jax":
        import jax

        return jax.devices()
    import tensorflow as tf

    return tf.config.list_logical_devices("GPU") or tf.config.list_logical_devices("CPU")


def check_batch(n, batch_size):
    """A batch is split in ``n`` equal shares: refuse a batch size that does not divide."""
    if batch_size % n:
        raise UserError(f"--batch-size {batch_size} does not split across --devices {n}: "
                        f"give a batch size divisible by {n}")


def scope(n):
    """Where to build, compile and fit a model trained on ``n`` devices (nothing changes for one).

    Every scope of ``n`` is the same strategy, so that what is built in one (a sentence
    encoder, say) can be trained in another.
    """
    return contextlib.nullcontext() if n == 1 else strategy(n).scope()


@functools.cache
def strategy(n):
    """The backend's way of splitting a batch across the first ``n`` devices."""
    chosen = devices()[:n]
    if backend_name() == "jax":
        import keras

        return keras.distribution.DataParallel(devices=chosen)
    import tensorflow as tf

    return tf.distribute.MirroredStrategy([d.name for d in chosen])


def even_batches(dataset, n):
    """``dataset`` (a ``keras.utils.PyDataset``) with every batch cut to a multiple of ``n``.

    JAX shards a batch in ``n`` equal parts and cannot split 47 samples in two, and a
    device given no samples at all would take the mean of nothing. Every batch but the
    last is whole already (:func:`check_batch`); the last gives up at most ``n - 1``
    samples, the same on both backends. Boolean arrays (a padding mask) travel as int32:
    Keras on TensorFlow averages a first batch over the devices to build the model, which
    booleans cannot be; the model's inputs take them back as they are declared.
    """
    if n == 1:
        return dataset
    import keras

    def even(array):
        return array.astype("int32") if array.dtype == bool else array

    class EvenBatches(keras.utils.PyDataset):
        def __init__(self):
            super().__init__(workers=dataset.workers, use_multiprocessing=dataset.use_multiprocessing,
                             max_queue_size=dataset.max_queue_size)

        def __len__(self):
            return len(dataset)

        def __getitem__(self, i):
            batch = dataset[i]
            size = len(keras.tree.flatten(batch)[0])
            return keras.tree.map_structure(lambda a: even(a[:size - size % n]), batch)

        def on_epoch_end(self):
            dataset.on_epoch_end()

    return EvenBatches()


def record(run, n):
    """Add this session's device count to the run's config.json: ``"devices": [2]`` for a
    run trained on two, ``[2, 1]`` once it was resumed on one."""
    from shared.runs import write_json

    run.config["devices"] = [*run.config.get("devices", []), n]
    write_json(run.path / "config.json", run.config)
