"""``--devices N``: the long trainings split each batch across N devices (shared/distribute.py).

On this CPU-only machine the devices are logical CPU devices, one per core (two here, the
commands run pinned to two cores). Two devices must train what one does. The numbers
cannot be bit for bit the same: the devices sum their halves of a batch and then add the
halves, where one device sums the batch in another order (float addition is not
associative). Beyond that, each tolerance below says what else differs, as measured
(seed 0, the tiny profiles, CPU):

- JAX (``DataParallel``): the jitted step keeps the whole batch's meaning (BatchNormalization
  and dropout included): DCGAN and Joyce agree to 5e-6, ten float32 steps at a loss of 4.7
  (measured ≤ 1e-6, two steps). Lyrics One's 2,333 samples leave a last batch of 29, which
  JAX cannot halve: one sample is left out per epoch (measured 4e-5 on the loss).
- TensorFlow (``MirroredStrategy``): Joyce (no dropout, no BatchNormalization) agrees to
  5e-6 as well (measured 1e-6). Dropout draws its masks per device and BatchNormalization
  normalises over each device's half (Keras' default), so Lyrics One (dropout) moves by
  1.2e-3 and the DCGAN (both) by 1.9e-2 after two epochs: the same training, other draws.
  That the DCGAN's own ``train_step`` scales its losses right is checked exactly, with
  those two switched off, by :func:`test_tensorflow_gan_step_is_the_same_on_two_devices`.

Each backend's way of splitting a batch is run for the posts where it does something of
its own: JAX for the DCGAN and Joyce, TensorFlow for Joyce and Gene Lyrica One (dropout's
per-device masks); the DCGAN on TensorFlow is the exact step test below.
"""
import csv
import json
import os
import subprocess
import sys

import pytest

from conftest import REPO, kill_when


def two_cores():
    """Pin a command to two CPU cores: two logical devices can be made, not three."""
    os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:2])


def run(args, backend="tensorflow"):
    """``python -m <args>`` (or ``python -c CODE``) on two cores, with ``backend``."""
    env = dict(os.environ, KERAS_BACKEND=backend, PYTHONUNBUFFERED="1")
    flag = [] if args[0] == "-c" else ["-m"]
    return subprocess.run([sys.executable, *flag, *map(str, args)], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=600, preexec_fn=two_cores)


def losses(out, column):
    (history,) = out.glob("*/*/*/history.csv")
    with open(history) as fh:
        return [float(row[column]) for row in csv.DictReader(fh)]


def trained(tmp_path, backend, args, devices):
    out = tmp_path / f"{backend}-{devices}"
    proc = run([*args, "--out", out, "--devices", devices], backend)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (config,) = out.glob("*/*/*/config.json")
    assert json.loads(config.read_text())["devices"] == [devices]
    return out


# (command, loss columns, tolerance on TensorFlow, on JAX): see the module's docstring.
POSTS = {
    "dcgan": (["dcgan", "bw-ellipses", "--profile", "tiny"], ["g_loss", "d_loss"], 0.05, 5e-6),
    "joyce": (["joyce_lstm", "--profile", "tiny", "--quiet", "--text-chars", "6004"], ["loss"], 5e-6, 5e-6),
    "lyrics-one": (["lyrics", "one", "--profile", "tiny", "--quiet"], ["loss"], 5e-3, 2e-4),
}


# Joyce on one device with TensorFlow is trained once, for the two tests that compare with it
# (they run on one worker: their xdist group).
JOYCE_TF = pytest.mark.xdist_group("joyce-tensorflow")


@pytest.fixture(scope="module")
def joyce_on_one_device(tmp_path_factory):
    return trained(tmp_path_factory.mktemp("joyce-one"), "tensorflow", POSTS["joyce"][0], 1)


@pytest.mark.parametrize("post, backend", [("dcgan", "jax"), pytest.param("joyce", "tensorflow", marks=JOYCE_TF),
                                           ("joyce", "jax"), ("lyrics-one", "tensorflow")])
def test_two_devices_train_what_one_does(tmp_path, post, backend, request):
    args, columns, tf_tolerance, jax_tolerance = POSTS[post]
    tolerance = tf_tolerance if backend == "tensorflow" else jax_tolerance
    one = request.getfixturevalue("joyce_on_one_device") if (post, backend) == ("joyce", "tensorflow") \
        else trained(tmp_path, backend, args, 1)
    two = trained(tmp_path, backend, args, 2)
    for column in columns:
        a, b = losses(one, column), losses(two, column)
        assert len(a) == len(b) == 2
        assert max(abs(x - y) for x, y in zip(a, b)) <= tolerance, (column, a, b)
    assert losses(one, columns[0])[1] != losses(one, columns[0])[0]  # it trained


GAN_STEP = """
import keras, numpy as np
from shared import distribute
distribute.prepare(2)
from dcgan import config, models, train
from dcgan.gan import GANBatches

settings = config.profile("bw-ellipses", "tiny")
images = np.random.default_rng(0).integers(0, 256, (32, 16, 16, 1), dtype=np.uint8)

def one_step(devices):
    keras.utils.set_random_seed(0)
    with distribute.scope(devices):
        gan = train.make_gan(settings)
        for layer in gan.generator.layers + gan.discriminator.layers:
            if isinstance(layer, keras.layers.Dropout):
                layer.rate = 0.0  # no per-device masks
            if isinstance(layer, keras.layers.BatchNormalization):
                layer.synchronized = True  # the whole batch's statistics
        before = [np.array(w) for w in gan.weights]
        gan.compile(keras.optimizers.SGD(0.5), keras.optimizers.SGD(0.5))  # the update is the gradient
        gan.fit(GANBatches(images, None, 32, seed=0), epochs=1, shuffle=False, verbose=0)
        return [np.array(w) - b for w, b in zip(gan.weights, before)]

one, two = one_step(1), one_step(2)
print(max(float(np.abs(a).max()) for a in one), max(float(np.abs(a - b).max()) for a, b in zip(one, two)))
"""


def test_tensorflow_gan_step_is_the_same_on_two_devices():
    """MirroredStrategy sums the devices' gradients: without dividing each device's loss by
    two, SGD would step twice as far (a difference as large as the step itself)."""
    proc = run(["-c", GAN_STEP])
    assert proc.returncode == 0, proc.stderr[-2000:]
    step, difference = map(float, proc.stdout.split())
    assert step > 1e-3
    assert difference < 1e-4 * step, (step, difference)


@JOYCE_TF
def test_resume_on_another_number_of_devices(tmp_path, joyce_on_one_device):
    """Started on two devices, cut after an epoch, finished on one: the losses of an
    uninterrupted run on one, and config.json says which devices each session had."""
    args = POSTS["joyce"][0]
    cut = kill_when([*args, "--devices", "2", "--out", tmp_path / "cut"], tmp_path / "cut",
                    "joyce_lstm/train/*/backup/training_metadata.json", 1, up=1)
    assert cut is not None, "the run finished before it could be interrupted"
    proc = run(["joyce_lstm", "--resume", cut, "--devices", "1", "--quiet"])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads((cut / "config.json").read_text())["devices"] == [2, 1]
    resumed, uninterrupted = losses(cut.parent.parent.parent, "loss"), losses(joyce_on_one_device, "loss")
    assert len(resumed) == 2 and max(abs(x - y) for x, y in zip(resumed, uninterrupted)) <= 1e-5


@pytest.mark.parametrize("args, backend, message", [
    (["dcgan", "bw-ellipses", "--profile", "tiny", "--devices", "0"], "tensorflow",
     "--devices must be at least 1, not 0"),
    (["joyce_lstm", "--profile", "tiny", "--devices", "3"], "tensorflow",
     "--devices 3: this machine has 2 CPU cores (each can be one device); give at most 2"),
    (["lyrics", "one", "--profile", "tiny", "--devices", "3"], "jax",
     "--devices 3: this machine has 2 CPU cores (each can be one device); give at most 2"),
    (["dcgan", "bw-ellipses", "--profile", "tiny", "--batch-size", "31", "--devices", "2"], "tensorflow",
     "--batch-size 31 does not split across --devices 2: give a batch size divisible by 2"),
    (["lyrics", "one", "--profile", "tiny", "--batch-size", "255", "--devices", "2"], "jax",
     "--batch-size 255 does not split across --devices 2: give a batch size divisible by 2"),
    (["joyce_lstm", "--profile", "tiny", "--pipeline", "original", "--devices", "2"], "tensorflow",
     "--pipeline original (the post's arrays, for comparison) trains on one device"),
])
def test_bad_devices_say_so_in_one_line(tmp_path, args, backend, message):
    proc = run([*args, "--out", tmp_path / "runs"], backend)
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], proc.stderr
    assert not (tmp_path / "runs").exists()
