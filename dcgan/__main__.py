"""``python -m dcgan``: "Generating cartoon avatars with GANs", section by section.

    python -m dcgan first-attempt   --profile quick|full   # tutorial network, unfilled colour ellipses on white
    python -m dcgan bw-ellipses     --profile quick|full   # tutorial network, opaque white ellipses on black
    python -m dcgan colour-ellipses --profile quick|full   # the deeper, wider network, opaque colour ellipses
    python -m dcgan cartoon         --profile quick|full [--data PATH] [--condition hair_color eye_color]
    python -m dcgan all             --profile quick        # the four, in the post's order
    python -m dcgan EXPERIMENT --resume RUN_DIR
    python -m dcgan generate --run RUN_DIR [--n 16] [--seed S] [--attr hair_color=3] [--interpolate]
    python -m dcgan avatars --n 10000 --dir FOLDER         # write the stand-in avatar set
    python -m dcgan ellipses --variant bw --n 100 --size 64 --dir FOLDER   # write ellipse PNGs
    python -m dcgan report --run RUN_DIR
    python -m dcgan bench
"""
import sys

from shared import UserError
from shared.cli import ArgumentParser, add_run_arguments, check_profile, guarded

POST = "dcgan"
# The tutorial's optimiser for the first two sections; the author's tuned one after.
TUTORIAL = {"network": "tutorial", "learning_rate": 1e-4, "beta_1": 0.9, "batch_size": 256, "real_label": 1.0}
AUTHOR = {"network": "final", "learning_rate": 2e-4, "beta_1": 0.5, "batch_size": 128, "real_label": 0.9}
EXPERIMENTS = {
    # "a few hundred images" at batch 256 is 100 steps in 50 epochs: too few for anything but a
    # gray blob; the shape generator's default, 2000, shows the post's colours and white collapse.
    "first-attempt": dict(TUTORIAL, data="outline", channels=3, background=1.0, size=28, images=2000),
    "bw-ellipses": dict(TUTORIAL, data="bw", channels=1, background=0.0, size=28, images=10_000),
    "colour-ellipses": dict(AUTHOR, data="colour", channels=3, background=0.0, size=64, images=10_000),
    "cartoon": dict(AUTHOR, data="cartoon", channels=3, background=None, size=64, images=10_000),
}
PROFILES = {
    # The post's settings: 50 epochs, 10,000 images (the first attempt: 2000).
    "full": {"epochs": 50, "checkpoint_every": 15},
    # 32 × 32, 2000 images, a few epochs: minutes on 2 cores.
    "quick": {"epochs": {"first-attempt": 10, "bw-ellipses": 10, "colour-ellipses": 4, "cartoon": 4},
              "size": 32, "images": {}, "default_images": 2000, "checkpoint_every": 2},
    # For tests: 16 × 16, 64 images, batches of 32, 2 epochs.
    "tiny": {"epochs": 2, "size": 16, "images": {}, "default_images": 64, "batch_size": 32,
             "checkpoint_every": 1},
}
COMMANDS = (*EXPERIMENTS, "all", "generate", "avatars", "ellipses", "report", "bench")


def settings_for(experiment, profile, overrides=None):
    p = check_profile(profile, PROFILES)
    s = dict(EXPERIMENTS[experiment], experiment=experiment, profile=profile)
    epochs = p["epochs"]
    s["epochs"] = epochs[experiment] if isinstance(epochs, dict) else epochs
    s["checkpoint_every"] = p["checkpoint_every"]
    if "size" in p:
        s["size"] = p["size"]
        s["images"] = p["images"].get(experiment, p["default_images"])
    if "batch_size" in p:
        s["batch_size"] = p["batch_size"]
    s.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return s


def train_parser(experiment):
    p = ArgumentParser(prog=f"python -m dcgan {experiment}",
                       description=f"Train the post's {experiment} GAN and compare with the blog.")
    add_run_arguments(p, PROFILES)
    p.add_argument("--epochs", type=int, metavar="E", help="override the profile's epochs")
    p.add_argument("--images", type=int, metavar="N", help="override the number of training images")
    if experiment in ("cartoon", "all"):
        p.add_argument("--data", metavar="PATH",
                       help="Cartoon Set folder or .tgz (default: REPRO_DATA/cartoonset/cartoonset10k[.tgz] "
                            "if present, else stand-in avatars drawn for the run)")
        p.add_argument("--condition", nargs="+", metavar="ATTR",
                       help="train a conditional DCGAN on these avatar attributes (e.g. hair_color eye_color)")
    return p


def check_settings(s):
    if s["epochs"] < 1:
        raise UserError("--epochs must be at least 1")
    if s["images"] < 16:
        raise UserError("--images must be at least 16 (a 4 × 4 grid of real images)")
    return s


def run_experiment(experiment, argv):
    from dcgan.experiment import run

    args = train_parser(experiment).parse_args(argv)
    return run(experiment, args)


def run_all(argv):
    args = train_parser("all").parse_args(argv)
    if args.resume:
        raise UserError("--resume takes one run: name its experiment (python -m dcgan cartoon --resume RUN_DIR)")
    from dcgan.experiment import run

    for experiment in EXPERIMENTS:
        run(experiment, args)
    return 0


def generate(argv):
    from dcgan.generate import main as gen

    return gen(argv)


def avatars(argv):
    from pathlib import Path

    p = ArgumentParser(prog="python -m dcgan avatars",
                       description="Write the stand-in avatar set (Cartoon Set format: PNG + attribute CSV).")
    p.add_argument("--n", type=int, default=10_000, help="avatars to draw (default 10000)")
    p.add_argument("--dir", required=True, metavar="FOLDER", help="an empty or new folder")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--size", type=int, default=128, help="side in pixels (default 128)")
    args = p.parse_args(argv)
    if not 1 <= args.n <= 1_000_000:
        raise UserError("--n must be between 1 and 1000000")
    if args.size < 16:
        raise UserError("--size must be at least 16")
    folder = Path(args.dir)
    if folder.exists() and any(folder.iterdir()):
        raise UserError(f"{folder} is not empty: give a new or empty folder (nothing was written)")
    from dcgan.avatars import STANDIN_NOTE, write_set

    write_set(folder, args.n, args.seed, args.size)
    print(f"{args.n} {STANDIN_NOTE} written to {folder}")
    return 0


def ellipses(argv):
    from pathlib import Path

    from dcgan.data import VARIANTS

    p = ArgumentParser(prog="python -m dcgan ellipses", description="Write the post's ellipse images as PNGs.")
    p.add_argument("--variant", required=True, metavar="|".join(VARIANTS),
                   help="; ".join(f"{k}: {v}" for k, v in VARIANTS.items()))
    p.add_argument("--n", type=int, default=100, help="images (default 100)")
    p.add_argument("--size", type=int, default=64, help="side in pixels (default 64)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dir", required=True, metavar="FOLDER", help="an empty or new folder")
    args = p.parse_args(argv)
    if args.variant not in VARIANTS:
        raise UserError(f"unknown ellipse variant {args.variant!r}: choose one of {', '.join(VARIANTS)}")
    if not 1 <= args.n <= 1_000_000:
        raise UserError("--n must be between 1 and 1000000")
    if not 8 <= args.size <= 1024:
        raise UserError("--size must be between 8 and 1024")
    folder = Path(args.dir)
    if folder.exists() and any(folder.iterdir()):
        raise UserError(f"{folder} is not empty: give a new or empty folder (nothing was written)")
    from dcgan.data import ellipses as draw
    from dcgan.data import write_pngs

    write_pngs(draw(args.n, args.size, args.variant, args.seed), folder, prefix=f"ellipse_{args.variant}")
    print(f"{args.n} ellipses ({VARIANTS[args.variant]}) written to {folder}")
    return 0


def report(argv):
    from dcgan.experiment import redraw

    p = ArgumentParser(prog="python -m dcgan report", description="Redraw a finished run's figures and report.")
    p.add_argument("--run", required=True, metavar="RUN_DIR")
    return redraw(p.parse_args(argv).run)


def bench(argv):
    from dcgan.bench import main as b

    return b(argv)


@guarded
def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-"):
        raise UserError(f"name an experiment or command: {', '.join(COMMANDS)}")
    command, rest = argv[0], argv[1:]
    if command in EXPERIMENTS:
        return run_experiment(command, rest)
    handlers = {"all": run_all, "generate": generate, "avatars": avatars, "ellipses": ellipses,
                "report": report, "bench": bench}
    if command not in handlers:
        raise UserError(f"unknown command {command!r}: choose one of {', '.join(COMMANDS)}")
    return handlers[command](rest)


if __name__ == "__main__":
    sys.exit(main())
