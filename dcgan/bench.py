"""``python -m dcgan bench``: our compiled training step against a plain eager loop.

Prints one JSON line: images per second of the compiled step (``tf.function`` or
``jax.jit``) and of the same step run eagerly batch by batch, their ratio, and
the seconds per epoch at 64 × 64 on 10,000 images that follow, with the
estimated time of each experiment's full profile on this machine.
"""
import json
import time

import numpy as np

from shared import UserError
from shared.cli import ArgumentParser, log


def images_per_second(network, size, channels, batch, steps, compiled):
    import keras

    from dcgan import models
    from dcgan.steps import Trainer

    g, d = models.build(network, size, channels)
    trainer = Trainer(g, d, keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5),
                      compiled=compiled)
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (batch, size, size, channels)).astype(np.float32)
    z = rng.standard_normal((batch, models.NOISE)).astype(np.float32)
    trainer.step(x, z)  # compile / warm up
    start = time.perf_counter()
    for _ in range(steps):
        trainer.step(x, z)
    return batch * steps / (time.perf_counter() - start)


def main(argv=None):
    from dcgan.__main__ import EXPERIMENTS
    from shared import runtime

    p = ArgumentParser(prog="python -m dcgan bench", description="Compiled GAN step against an eager loop.")
    p.add_argument("--steps", type=int, default=4, help="timed steps per measurement (default 4)")
    args = p.parse_args(argv)
    if args.steps < 1:
        raise UserError("--steps must be at least 1")
    backend = runtime.setup(seed=0)
    out = {"backend": backend}
    for label, network, size, channels, batch in (("final_64x64x3", "final", 64, 3, 128),
                                                  ("tutorial_28x28x1", "tutorial", 28, 1, 256)):
        log(f"bench: {label}, compiled ...")
        fast = images_per_second(network, size, channels, batch, args.steps, True)
        log(f"bench: {label}, eager ...")
        slow = images_per_second(network, size, channels, batch, args.steps, False)
        out[label] = {"compiled_images_per_s": round(fast, 1), "eager_images_per_s": round(slow, 1),
                      "speedup": round(fast / slow, 2)}
    per_epoch = 10_000 / out["final_64x64x3"]["compiled_images_per_s"]
    out["final_64x64_seconds_per_epoch_10k"] = round(per_epoch)
    estimate = {}
    for name, e in EXPERIMENTS.items():
        rate = out["final_64x64x3" if e["network"] == "final" else "tutorial_28x28x1"]["compiled_images_per_s"]
        estimate[name] = round(e["images"] * 50 / rate / 3600, 2)
    out["full_profile_hours"] = estimate
    print(json.dumps(out))
    return 0
