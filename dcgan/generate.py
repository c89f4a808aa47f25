"""``python -m dcgan generate``: avatars (or ellipses) from a trained generator.

    --n 16 --seed S                 a grid of n samples from fixed random latent vectors
    --attr hair_color=3 ...         a conditional run's samples with the attributes asked for
    --interpolate                   a GIF walking the latent space through a few random points
"""
from pathlib import Path

import numpy as np

from shared import UserError
from shared.cli import ArgumentParser, log

POST = "dcgan"


def parse_attrs(pairs, condition, attributes):
    """{'hair_color': 3} from ['hair_color=3'], checked against the run's conditioning."""
    wanted = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise UserError(f"--attr {pair!r} should read NAME=VALUE, e.g. hair_color=3")
        name, value = pair.split("=", 1)
        if not condition:
            raise UserError("--attr needs a run trained with --condition: this run's generator takes no attributes")
        if name not in condition:
            raise UserError(f"unknown attribute {name!r}: this run is conditioned on {', '.join(condition)}")
        count = attributes[name]["variants"]
        try:
            v = int(value)
        except ValueError:
            raise UserError(f"--attr {name}={value}: the value must be a whole number from 0 to {count - 1}") from None
        if not 0 <= v < count:
            raise UserError(f"--attr {name}={v} is out of range: {name} has variants 0 to {count - 1}")
        wanted[name] = v
    return wanted


def labels_for(n, condition, attributes, wanted, rng):
    """One-hot labels: the asked-for values, the others drawn as the training set has them."""
    from dcgan.experiment import one_hot

    chosen = {}
    for name in condition:
        info = attributes[name]
        values = np.full(n, wanted[name]) if name in wanted else rng.choice(np.asarray(info["values"]), n)
        chosen[name] = (values, info["variants"])
    return one_hot(chosen, condition)


def slerp(a, b, t):
    """Spherical interpolation between latent vectors (Gaussian latents lie near a sphere)."""
    na, nb = a / np.linalg.norm(a), b / np.linalg.norm(b)
    omega = np.arccos(np.clip(np.dot(na, nb), -1, 1))
    if omega < 1e-6:
        return (1 - t) * a + t * b
    return (np.sin((1 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)


def main(argv):
    from dcgan import media
    from dcgan.models import NOISE
    from shared import runs, runtime

    p = ArgumentParser(prog="python -m dcgan generate", description="Draw samples from a trained generator.")
    p.add_argument("--run", required=True, metavar="RUN_DIR")
    p.add_argument("--n", type=int, default=16, help="samples (default 16)")
    p.add_argument("--seed", type=int, default=0, help="seed of the latent vectors (default 0)")
    p.add_argument("--attr", nargs="+", metavar="NAME=VALUE", help="attributes of a conditional run")
    p.add_argument("--interpolate", action="store_true", help="also write a latent interpolation GIF")
    p.add_argument("--output", metavar="PNG", help="where to write the grid (default RUN_DIR/generated/...)")
    args = p.parse_args(argv)
    if not 1 <= args.n <= 1024:
        raise UserError("--n must be between 1 and 1024")
    run_dir, config = runs.open_run(args.run, POST)
    model_path = run_dir / "generator.keras"
    if not model_path.is_file():
        raise UserError(f"{run_dir} has no trained generator yet: finish it with python -m dcgan "
                        f"{config['experiment']} --resume {run_dir}")
    condition = config["settings"].get("condition") or []
    attributes = runs.read_json(run_dir / "attributes.json") if condition else {}
    wanted = parse_attrs(args.attr, condition, attributes)
    runtime.setup()
    import keras

    g = keras.saving.load_model(model_path, compile=False)
    rng = np.random.default_rng(args.seed)
    noise = rng.standard_normal((args.n, NOISE)).astype(np.float32)
    labels = labels_for(args.n, condition, attributes, wanted, rng) if condition else None
    images = np.asarray(g([noise, labels] if condition else noise, training=False))
    tag = f"seed{args.seed}_n{args.n}" + "".join(f"_{k}{v}" for k, v in wanted.items())
    out = Path(args.output) if args.output else run_dir / "generated" / f"{tag}.png"
    if out.suffix.lower() != ".png":
        raise UserError(f"--output {out} must end in .png")
    media.save_png(media.upscale(media.grid(images, columns=min(args.n, 8))), out)
    print(out)
    if args.interpolate:
        keys = rng.standard_normal((5, NOISE)).astype(np.float32)
        keys[-1] = keys[0]  # back to the start: the GIF loops smoothly
        path = [slerp(keys[i], keys[i + 1], t) for i in range(len(keys) - 1) for t in np.linspace(0, 1, 12, endpoint=False)]
        z = np.stack(path).astype(np.float32)
        lab = labels_for(1, condition, attributes, wanted, rng).repeat(len(z), 0) if condition else None
        frames = np.asarray(g([z, lab] if condition else z, training=False))
        gif = out.with_name(out.stem + "_interpolation.gif")
        media.animate([media.upscale(media.grid(f[None], columns=1), 192) for f in frames], gif, fps=12)
        print(gif)
    log(f"{args.n} samples from {model_path}")
    return 0
