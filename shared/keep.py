"""Keep a complete full run with the suite: ``python -m shared.keep RUN_DIR [--drop GLOB ...]``.

Copies the run folder to ``<post>/docs/full/<experiment>/``, where ``play.load()``,
the studio and the walkthroughs find it on a fresh clone. Every ``.keras`` file is
saved again for inference only: the same layers and weights, no optimizer state
(it loads with Keras' ``safe_mode``); every ``.weights.h5`` file (``save_weights``, read
into a model the post's code builds) is copied without its optimizer's state. ``--drop``
leaves out what only training needs (``backup``, ``checkpoints``, a GAN's ``discriminator.keras``). ``--float16 NAME``
keeps that network's weights in half precision, half the bytes (every layer computes in
float16 too; say in the run's card how far its outputs move). A kept network may
take at most 10 MB, unless ``--large`` says why it may not. An existing kept run
is replaced only with ``--replace``, and the new folder is whole before the old one goes.
"""
import fnmatch
import shutil
import sys
from pathlib import Path

from shared import UserError, runs
from shared.cli import ArgumentParser, guarded, log

LIMIT = 10 * 2**20
ALWAYS_DROPPED = ("backup", ".lock", "*.tmp*")


def inference_copy(source, target, float16=False):
    """``source`` (a ``.keras`` file) saved again as ``target`` without its optimizer; with
    ``float16``, its layers rebuilt in half precision and its weights cast to it."""
    import keras

    model = keras.saving.load_model(str(source), compile=False, safe_mode=True)
    if float16:
        model = half_precision(model)
    runs.save_model(model, target)
    keras.saving.load_model(str(target), safe_mode=True)  # it loads as it will be loaded


def inference_weights(source, target):
    """A ``.weights.h5`` file copied without its ``optimizer`` group: the layers' weights alone,
    as ``load_weights`` reads them into the model the post's code builds."""
    import h5py

    with h5py.File(source, "r") as old, h5py.File(target, "w") as new:
        new.attrs.update(dict(old.attrs))
        for name in old:
            if name != "optimizer":
                old.copy(old[name], new, name=name)


def half_precision(model):
    """The same network with every layer in float16: its weights are the model's, rounded. A
    network whose layers do not all take float16 (a wrapper keeps its inner layer's own dtype) is
    refused rather than kept half converted."""
    import keras
    import numpy as np

    def in_float16(layer):
        return layer.__class__.from_config({**layer.get_config(), "dtype": "float16"})

    half = keras.models.clone_model(model, clone_function=in_float16)
    half.set_weights([w.astype("float16") if np.issubdtype(w.dtype, np.floating) else w
                      for w in model.get_weights()])
    left = sorted({w.path.split("/")[0] for w in half.weights if "float" in str(w.dtype) and str(w.dtype) != "float16"})
    if left:
        raise UserError(f"{model.name} cannot be kept in float16: {', '.join(left)} would stay float32")
    return half


def keep(run_dir, drop=(), replace=False, large=False, float16=()):
    run_dir = Path(run_dir)
    if not runs.is_complete(run_dir):
        raise UserError(f"{run_dir} is not a complete run (no readable results.json): finish it first")
    config = runs.read_run_json(run_dir, "config.json")
    post, experiment = config.get("post"), config.get("experiment")
    if not post or not experiment:
        raise UserError(f"{run_dir}/config.json names no post and experiment")
    target = runs.REPO / post / "docs" / "full" / experiment
    if target.exists() and not replace:
        raise UserError(f"{target} exists: give --replace to put this run in its place")
    skipped = (*ALWAYS_DROPPED, *drop)
    networks = [path.name for path in run_dir.rglob("*.keras")]
    for pattern in float16:
        if not fnmatch.filter(networks, pattern):
            raise UserError(f"--float16 {pattern} names no network of the run ({', '.join(sorted(networks)) or 'none'})")
    staging = target.with_name(f".{target.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    from shared import runtime

    runtime.setup()
    try:
        for path in sorted(run_dir.rglob("*")):
            relative = path.relative_to(run_dir)
            if any(fnmatch.fnmatch(part, pattern) for part in relative.parts for pattern in skipped):
                continue
            out = staging / relative
            if path.is_dir():
                out.mkdir(parents=True, exist_ok=True)
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            half = path.suffix == ".keras" and any(fnmatch.fnmatch(path.name, pattern) for pattern in float16)
            if path.suffix == ".keras":
                inference_copy(path, out, half)
            elif path.name.endswith(".weights.h5"):
                inference_weights(path, out)
            else:
                shutil.copy2(path, out)
                continue
            size = out.stat().st_size
            log(f"{relative}: {size / 2**10:,.0f} KB for inference{' in float16' if half else ''} "
                f"({path.stat().st_size / 2**10:,.0f} KB as trained)")
            if size > LIMIT and not large:
                raise UserError(f"{relative} takes {size / 2**20:.1f} MB for inference, above 10 MB: "
                                f"give --large if it must be kept whole")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    total = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    log(f"kept {run_dir} as {target.relative_to(runs.REPO)} ({total / 2**20:.1f} MB)")
    return target


@guarded
def main(argv=None):
    p = ArgumentParser(prog="python -m shared.keep", description=__doc__.split("\n\n")[0])
    p.add_argument("run_dir", help="a complete run folder")
    p.add_argument("--drop", nargs="*", default=[], metavar="GLOB",
                   help="files or folders (names, globs) left out, besides backup/")
    p.add_argument("--replace", action="store_true", help="replace the kept run of that experiment")
    p.add_argument("--large", action="store_true", help="allow a network above 10 MB")
    p.add_argument("--float16", nargs="*", default=[], metavar="NAME",
                   help="networks (.keras names, globs) kept in half precision: half the bytes")
    args = p.parse_args(argv)
    keep(args.run_dir, args.drop, args.replace, args.large, args.float16)
    return 0


if __name__ == "__main__":
    sys.exit(main())
