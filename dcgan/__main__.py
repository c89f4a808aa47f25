"""``python -m dcgan``: "Generating cartoon avatars with GANs", section by section.

    python -m dcgan first-attempt   [--profile quick|full|tiny]   # tutorial network, colour ellipse outlines on white
    python -m dcgan bw-ellipses     [--profile ...]               # tutorial network, opaque white ellipses on black
    python -m dcgan colour-ellipses [--profile ...]               # the author's network, opaque colour ellipses
    python -m dcgan cartoon         [--profile ...] [--data PATH] [--condition hair_color eye_color]
    python -m dcgan all             [--profile ...] [--seed N] [--epochs E] ...  # the four; an option per setting
    python -m dcgan EXPERIMENT --resume RUN_DIR                   # carry on from the last finished epoch
    python -m dcgan EXPERIMENT --devices N [...]                  # each batch split across N devices (--resume too)
    python -m dcgan seeds [EXPERIMENT] [--seeds 5]                # a section from several seeds (default bw-ellipses, full)
    python -m dcgan generate --run RUN_DIR [--n 16] [--random-seed S] [--attr hair_color=3] [--interpolate]
    python -m dcgan avatars --dir FOLDER [--n 10000]              # write the stand-in avatar set
    python -m dcgan ellipses --variant bw --dir FOLDER [--n 100]  # write the post's ellipses as PNGs
    python -m dcgan report --run RUN_DIR                          # redraw a finished run's figures and report
    python -m dcgan bench                                         # fit's compiled step against eager
"""
import json

from dcgan.config import EXPERIMENTS, PROFILES, Config, for_all, hidden_options
from dcgan.seeds import PLANS
from shared import UserError, distribute, runtime, seeds as seed_study
from shared.cli import ArgumentParser, add_random_seed, main_of, seed, settings_from, settings_parser
from shared.config import given


def training_parser(experiment):
    """A section's options; their help shows that section's own values."""
    p = settings_parser(f"python -m dcgan {experiment}", "Train a section's GAN and compare with the blog.",
                        Config, PROFILES.get(experiment, PROFILES["cartoon"]), skip=hidden_options(experiment))
    distribute.add_option(p)
    own = EXPERIMENTS.get(experiment)
    for action in p._actions:
        if own is not None and action.help and hasattr(own, action.dest):
            action.help = f"{action.help.rsplit(' (the post:', 1)[0]} (the post: {getattr(own, action.dest)})"
    return p


def train(experiment):
    def command(argv):
        args = training_parser(experiment).parse_args(argv)
        from dcgan.experiment import run

        profile, settings = settings_from(args, Config, PROFILES[experiment])
        run(experiment, settings, args.out, args.seed, profile, resume=args.resume, devices=args.devices)
        return 0

    return command


def train_all(argv):
    args = training_parser("all").parse_args(argv)
    if args.resume:
        raise UserError("--resume takes one run: name its experiment (python -m dcgan cartoon --resume RUN_DIR)")
    settings = for_all(args.profile or "quick", given(args, Config))  # all checked before the first trains
    from dcgan.experiment import run_all

    run_all(settings, args.out, args.seed, args.profile or "quick", devices=args.devices)
    return 0


seeds = seed_study.command("python -m dcgan", PLANS, default="bw-ellipses")


def generate(argv):
    p = ArgumentParser(prog="python -m dcgan generate", description="Draw samples from a finished run's generator.")
    p.add_argument("--run", required=True, metavar="RUN_DIR")
    p.add_argument("--n", type=int, default=16, help="samples (default 16)")
    add_random_seed(p)
    p.add_argument("--attr", nargs="+", metavar="NAME=VALUE", help="attributes of a conditional run")
    p.add_argument("--interpolate", action="store_true", help="also write a GIF walking the latent space")
    p.add_argument("--output", metavar="PNG", help="where to write the grid (default RUN_DIR/generated/...)")
    args = p.parse_args(argv)
    from dcgan.generate import generate, parse_attributes

    print(*generate(args.run, args.n, args.random_seed, parse_attributes(args.attr), args.interpolate, args.output),
          sep="\n")
    return 0


def write_set(kind):
    def command(argv):
        from dcgan import avatars, data

        p = ArgumentParser(prog=f"python -m dcgan {kind}", description=f"Write {kind} as PNGs (avatars: and CSVs).")
        if kind == "ellipses":
            p.add_argument("--variant", required=True, metavar="|".join(data.VARIANTS),
                           help="; ".join(f"{k}: {v}" for k, v in data.VARIANTS.items()))
        p.add_argument("--n", type=int, default=10_000 if kind == "avatars" else 100, help="images to draw")
        p.add_argument("--size", type=int, default=128 if kind == "avatars" else 64, help="side in pixels")
        p.add_argument("--seed", type=seed, default=0, help="the set's seed (a run with this --seed draws the same)")
        p.add_argument("--dir", required=True, metavar="FOLDER", help="a new or empty folder")
        args = p.parse_args(argv)
        if kind == "avatars":
            avatars.write_standin_set(args.dir, args.n, args.seed, args.size)
            print(f"{args.n} {avatars.STANDIN_NOTE} written to {args.dir}")
        else:
            data.write_ellipse_set(args.dir, args.variant, args.n, args.size, args.seed)
            print(f"{args.n} ellipses ({data.VARIANTS[args.variant]}) written to {args.dir}")
        return 0

    return command


def report(argv):
    p = ArgumentParser(prog="python -m dcgan report", description="Redraw a finished run's figures and report.")
    p.add_argument("--run", required=True, metavar="RUN_DIR")
    run_dir = p.parse_args(argv).run
    from dcgan.report import redraw

    redraw(run_dir)
    return 0


def bench(argv):
    p = ArgumentParser(prog="python -m dcgan bench", description="fit's compiled GAN step against the eager one.")
    p.add_argument("--steps", type=int, default=4, help="timed steps per measurement (default 4)")
    args = p.parse_args(argv)
    if args.steps < 1:
        raise UserError("--steps must be at least 1")
    runtime.setup(seed=0)
    from dcgan.bench import bench  # Keras is imported after the arguments are checked: a mistake is reported at once

    print(json.dumps(bench(args.steps)))
    return 0


COMMANDS = {**{name: train(name) for name in EXPERIMENTS}, "all": train_all, "seeds": seeds,
            "generate": generate, "avatars": write_set("avatars"), "ellipses": write_set("ellipses"),
            "report": report, "bench": bench}
main = main_of("python -m dcgan", COMMANDS)

if __name__ == "__main__":
    raise SystemExit(main())
