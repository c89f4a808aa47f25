"""``python -m dcgan bench``: images per second of ``fit``'s compiled GAN step, against the same step run eagerly.

Prints one JSON line: for the author's network at 64 × 64 × 3 (batch 128) and the tutorial's at
28 × 28 × 1 (batch 256), images per second through ``DCGAN.fit`` compiled (``tf.function``, or
``jax.jit`` on JAX) and with ``run_eagerly=True``, their ratio, the seconds per epoch of 10,000
images at 64 × 64 that follow, and the estimated hours of each section's full profile here.
"""
import time

import keras
import numpy as np

from dcgan import config
from dcgan.gan import GANBatches
from dcgan.train import make_gan
from shared.cli import log


def images_per_second(settings, steps, compiled):
    gan = make_gan(settings, run_eagerly=not compiled)
    rng = np.random.default_rng(0)
    batch = settings.batch_size
    images = rng.integers(0, 256, (batch * steps, settings.size, settings.size, settings.channels), dtype=np.uint8)
    gan.fit(GANBatches(images[:batch], None, batch, seed=0), epochs=1, verbose=0)  # compile / warm up
    start = time.perf_counter()
    gan.fit(GANBatches(images, None, batch, seed=0), epochs=1, verbose=0)
    return batch * steps / (time.perf_counter() - start)


def bench(steps=4):
    """The bench's figures as a dict."""
    out = {"backend": keras.backend.backend()}
    label_of = {"author": "author_64x64x3", "tutorial": "tutorial_28x28x1"}
    for network, experiment in (("author", "colour-ellipses"), ("tutorial", "bw-ellipses")):
        label, settings = label_of[network], config.EXPERIMENTS[experiment]
        log(f"bench: {label}, compiled ...")
        fast = images_per_second(settings, steps, True)
        log(f"bench: {label}, eager ...")
        slow = images_per_second(settings, steps, False)
        out[label] = {"compiled_images_per_s": round(fast, 1), "eager_images_per_s": round(slow, 1),
                      "speedup": round(fast / slow, 2)}
    out["author_64x64_seconds_per_epoch_10k"] = round(10_000 / out["author_64x64x3"]["compiled_images_per_s"])
    out["full_profile_hours"] = {
        name: round(s.images * s.epochs / out[label_of[s.network]]["compiled_images_per_s"] / 3600, 2)
        for name, s in config.EXPERIMENTS.items()}
    return out


