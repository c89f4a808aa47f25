"""``python -m addition``: "2 + 2 with neural networks", end to end.

    python -m addition [grid] --profile quick|full [--seed N] [--workers W]   the post's 15 networks
    python -m addition [grid] --resume RUN_DIR                                finish an interrupted run
    python -m addition ask 2 2 [--run RUN_DIR] [--nodes 2 --max-sum 16]       what the networks say
    python -m addition report --run RUN_DIR                                   redraw figures and report.md
    python -m addition seeds [--seeds 10] [--profile full]                    the grid from several seeds
    python -m addition bench [--epochs 30] [--no-grid]                        speed: the post's fit vs ours

Every setting of ``addition/config.py`` is an option too (``--max-epochs 150``).
The modules imported here load Keras only once a command's arguments and folders
are checked: a mistake is reported at once.
"""
import json
import os

import addition.bench
from addition import experiment, play
from addition.config import PROFILES, Config
from addition.seeds import PLAN
from shared import UserError, seeds as seed_study
from shared.cli import ArgumentParser, main_of, seed, settings_from, settings_parser

PROG = "python -m addition"


def add_workers(parser):
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="networks trained side by side (default: one per core)")


def workers_of(args):
    if args.workers < 1:
        raise UserError("--workers must be at least 1")
    return args.workers


def training_command(name, description, settings_class, profiles, default_profile, run, summary):
    """A command that trains: its options are the fields of ``settings_class``."""
    def command(argv):
        p = settings_parser(f"{PROG} {name}", description, settings_class, profiles, default_profile)
        add_workers(p)
        args = p.parse_args(argv)
        profile, settings = settings_from(args, settings_class, profiles)
        run_dir = run(settings, args.out, args.seed, profile, args.resume, workers_of(args))
        print(summary(run_dir))
        return 0
    return command


grid = training_command("grid", "Train the post's grid of adding networks and compare with the blog.",
                        Config, PROFILES, "quick", experiment.run, experiment.summary)
seeds = seed_study.command(PROG, {"grid": PLAN})


def ask(argv):
    p = ArgumentParser(prog=f"{PROG} ask", description="What trained networks say a + b is, and how they get there.")
    p.add_argument("a", type=play.check_number, help=f"a number, |a| ≤ {play.LIMIT:g}")
    p.add_argument("b", type=play.check_number, help=f"a number, |b| ≤ {play.LIMIT:g}")
    p.add_argument("--run", help="a finished run folder (default: the newest complete run under --out)")
    p.add_argument("--out", default="runs", help="where to look for runs (default runs/)")
    p.add_argument("--nodes", type=int, help="only the network with this many hidden nodes")
    p.add_argument("--max-sum", type=int, help="only networks trained on this max sum")
    args = p.parse_args(argv)
    adders = play.load(args.run or play.latest(args.out), args.nodes, args.max_sum)
    print(play.answers_text(adders, args.a, args.b, adders.ask(args.a, args.b)))
    return 0


def report(argv):
    p = ArgumentParser(prog=f"{PROG} report",
                       description="Redraw a complete run's figures and report.md from its saved results.")
    p.add_argument("--run", required=True, help="a finished run folder")
    args = p.parse_args(argv)
    print(f"redrew {experiment.redraw(args.run)} and its figures")
    return 0


def bench(argv):
    p = ArgumentParser(prog=f"{PROG} bench", description="Speed: the post's plain fit against ours, "
                       "and the full grid's wall time, as one JSON line.")
    p.add_argument("--epochs", type=int, default=30, help="epochs timed each way (default 30)")
    p.add_argument("--no-grid", action="store_true", help="skip training the full grid")
    add_workers(p)
    p.add_argument("--seed", type=seed, default=0, help="random seed (default 0)")
    args = p.parse_args(argv)
    if args.epochs < 2:
        raise UserError("--epochs must be at least 2")
    print(json.dumps(addition.bench.bench(args.epochs, not args.no_grid, workers_of(args), args.seed)), flush=True)
    return 0


COMMANDS = {"grid": grid, "ask": ask, "report": report, "seeds": seeds, "bench": bench}
main = main_of(PROG, COMMANDS, default="grid")

if __name__ == "__main__":
    raise SystemExit(main())
