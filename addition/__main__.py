"""``python -m addition``: "2 + 2 with neural networks", end to end.

    python -m addition --profile quick|full [--seed N] [--out runs] [--workers N]
    python -m addition --resume RUN_DIR
    python -m addition ask 2 2 [--run RUN_DIR] [--nodes 2 --max-sum 16]
    python -m addition report --run RUN_DIR      # redraw figures and report.md
    python -m addition seeds [--seeds 10]        # the same networks from several seeds
    python -m addition bench [--epochs 30] [--no-grid]
"""
import os
import sys
import time
from pathlib import Path

from addition.data import BITS, NODES, input_limit
from shared import UserError
from shared.cli import ArgumentParser, add_run_arguments, check_profile, guarded, log

POST, EXPERIMENT = "addition", "grid"

BASE = {"nodes": list(NODES), "bits": list(BITS), "pairs": 10000, "validation_split": 0.2,
        "max_epochs": 1000, "patience": 5, "batch_size": 32, "test_pairs": 10000,
        "log_every": 100, "backup_every": 10}
PROFILES = {
    # The post's own settings, exactly.
    "full": dict(BASE),
    # Every network and the same data, but at most 150 epochs: about 1½ minutes on 2 cores.
    "quick": dict(BASE, max_epochs=150, log_every=50),
    # For tests: four networks, a sliver of data, three epochs.
    "tiny": dict(BASE, nodes=[1, 2], bits=[4, 8], pairs=640, max_epochs=3, test_pairs=1000,
                 log_every=1, backup_every=1),
}


def train_parser():
    p = ArgumentParser(prog="python -m addition",
                       description="Train the post's grid of adding networks and compare with the blog.")
    add_run_arguments(p, PROFILES)
    p.add_argument("--nodes", type=int, nargs="+", metavar="N",
                   help=f"hidden-layer sizes to train (from {', '.join(map(str, NODES))})")
    p.add_argument("--bits", type=int, nargs="+", metavar="B",
                   help="bits of the sum to train (4, 8, 16: max sum 16, 256, 65536)")
    p.add_argument("--max-epochs", type=int, metavar="E", help="override the profile's epoch limit")
    p.add_argument("--patience", type=int, metavar="P",
                   help="override early stopping's patience (the post: 5)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="networks trained side by side (default: one per core)")
    return p


def resolve(args):
    settings = dict(check_profile(args.profile, PROFILES), profile=args.profile)
    for flag, given, grid in (("nodes", args.nodes, NODES), ("bits", args.bits, BITS)):
        if given:
            bad = sorted(set(given) - set(grid))
            if bad:
                raise UserError(f"--{flag} {' '.join(map(str, bad))} is outside the post's grid: "
                                f"choose from {', '.join(map(str, grid))}")
            settings[flag] = sorted(set(given))
    if args.max_epochs is not None:
        if args.max_epochs < 1:
            raise UserError("--max-epochs must be at least 1")
        settings["max_epochs"] = args.max_epochs
    if args.patience is not None:
        if args.patience < 1:
            raise UserError("--patience must be at least 1")
        settings["patience"] = args.patience
    if args.workers < 1:
        raise UserError("--workers must be at least 1")
    return settings


def start(args, experiment, settings_of):
    """The run to work in: ``--resume``'s folder, or a new one with ``settings_of(args)``.

    Returns (run_dir, config), or None when the resumed run is already complete.
    Settings are checked, and ``--out`` tried, before Keras is set up or anything is written.
    """
    from shared import runs, runtime

    if args.resume:
        opened = runs.open_resumable(args.resume, POST, experiment)
        if opened is None:
            return None
        run_dir, config = opened
        runtime.setup()
        return run_dir, config
    settings = settings_of(args)
    runs.check_writable(args.out)
    backend = runtime.setup()
    run_dir = runs.create_run(args.out, POST, experiment, args.seed, settings, backend)
    log(f"run folder: {run_dir}")
    return run_dir, runs.read_json(run_dir / "config.json")


def train(argv):
    args = train_parser().parse_args(argv)
    opened = start(args, EXPERIMENT, resolve)
    if opened is None:
        return 0
    run_dir, config = opened
    settings, seed = config["settings"], config["seed"]
    begun = time.perf_counter()
    try:
        from addition.train import train_grid

        summaries = train_grid(run_dir, settings, seed, args.workers)
    except KeyboardInterrupt:
        print(f"\ninterrupted; continue with: python -m addition --resume {run_dir}", file=sys.stderr)
        return 130
    trained = time.perf_counter() - begun
    finish(run_dir, config, summaries, trained)
    return 0


def finish(run_dir, config, summaries, train_seconds):
    """Evaluate, draw, compare, and write results.json last (a run is complete when it exists)."""
    import numpy as np

    from addition.analysis import analyse
    from shared import runs, runtime

    settings = config["settings"]
    runtime.seed_everything(config["seed"])
    log("evaluating every network on fresh pairs")
    start = time.perf_counter()
    results, arrays = analyse(run_dir, settings, config["seed"], summaries)
    tmp = run_dir / ".analysis.tmp.npz"
    np.savez_compressed(tmp, **arrays)
    os.replace(tmp, run_dir / "analysis.npz")
    text, rows = draw_and_report(run_dir, config, results, arrays)
    results["claims"] = {row["key"]: {"ours": row["ours"], "verdict": row["verdict"]} for row in rows}
    runs.write_json(run_dir / "timings.json", {
        "train_seconds": train_seconds, "analysis_seconds": time.perf_counter() - start,
        "networks": {k: {"seconds": v["seconds"], "epochs": v["epochs"]} for k, v in summaries.items()}})
    runs.write_json(run_dir / "results.json", results)
    print_summary(run_dir, settings, results, rows)


def draw_and_report(run_dir, config, results, arrays):
    from addition import figures, report
    from shared import runs

    paths = figures.draw_all(run_dir, results, arrays, config["settings"])
    text, rows = report.write(run_dir, config, results, paths)
    runs.write_text(run_dir / "report.md", text)
    return text, rows


def print_summary(run_dir, settings, results, rows):
    from shared.report import tally_line

    sums = [2 ** b for b in settings["bits"]]
    print("\naccuracy on fresh pairs (rounded prediction = sum)")
    print("nodes " + "".join(f"{'max ' + str(s):>12}" for s in sums))
    for n in settings["nodes"]:
        print(f"{n:>5} " + "".join(f"{results['networks'][f'n{n}_s{s}']['accuracy']:>12.1%}" for s in sums))
    print(f"\nthe post's claims: {tally_line(rows)}")
    print(f"report:  {run_dir / 'report.md'}")
    print(f"figures: {run_dir / 'figures'}")


def ask(argv):
    p = ArgumentParser(prog="python -m addition ask",
                       description="What trained networks say a + b is, and how they get there.")
    p.add_argument("a", type=float)
    p.add_argument("b", type=float)
    p.add_argument("--run", help="a run folder (default: the newest complete run under --out)")
    p.add_argument("--out", default="runs")
    p.add_argument("--nodes", type=int, help="only the network with this many hidden nodes")
    p.add_argument("--max-sum", type=int, help="only networks trained on this max sum")
    args = p.parse_args(argv)
    from shared import runs

    if args.run:
        run_dir, config = runs.open_run(args.run, POST, EXPERIMENT)
    else:
        found = runs.latest_run(args.out, POST, EXPERIMENT)
        if found is None:
            raise UserError(f"no complete addition run under {args.out}: train one with "
                            "`python -m addition --profile quick`, or give --run RUN_DIR")
        run_dir, config = runs.open_run(found, POST, EXPERIMENT)
    settings = config["settings"]
    nets = [(n, b) for b in settings["bits"] for n in settings["nodes"]
            if (args.nodes in (None, n)) and (args.max_sum in (None, 2 ** b))
            and (run_dir / "networks" / f"n{n}_s{2 ** b}" / "model.keras").exists()]
    if not nets:
        raise UserError(f"{run_dir} has no trained network with "
                        f"{args.nodes or 'any'} hidden nodes and max sum {args.max_sum or 'any'}: "
                        f"it has nodes {settings['nodes']} and max sums {[2 ** b for b in settings['bits']]}")
    from shared import runtime

    runtime.setup()
    from addition.analysis import load
    from addition.data import rounded
    from addition.models import forward, weights
    from addition.report import network_text

    truth = args.a + args.b
    print(f"{args.a:g} + {args.b:g} = {truth:g}; the networks of {run_dir}:")
    for nodes, bits in nets:
        w_in, w_out = weights(load(run_dir, nodes, bits))
        hidden, out = forward(w_in, w_out, args.a, args.b)
        mark = "right" if rounded(out) == truth else "wrong"
        outside = "" if max(args.a, args.b) < input_limit(bits) and min(args.a, args.b) >= 0 else \
            f" (inputs outside the training range [0, {input_limit(bits)}))"
        if len(nets) == 1:
            item = {"w_in": w_in.tolist(), "w_out": w_out.tolist(), "hidden": hidden.tolist(),
                    "prediction": out}
            print(network_text(f"n{nodes}_s{2 ** bits}", item, args.a, args.b))
        print(f"{nodes:>2} hidden nodes, max sum {2 ** bits:>5}: {out:10.2f} → {rounded(out):g} "
              f"({mark}){outside}; hidden " + " ".join(f"{h:.2f}" for h in hidden))
    return 0


def redraw(argv):
    p = ArgumentParser(prog="python -m addition report",
                       description="Redraw a complete run's figures and report.md from its saved results.")
    p.add_argument("--run", required=True)
    args = p.parse_args(argv)
    import numpy as np

    from shared import runs

    run_dir, config = runs.open_run(args.run, POST, EXPERIMENT)
    if not (run_dir / "results.json").exists():
        raise UserError(f"{run_dir} is not complete yet: finish it with `python -m addition --resume {run_dir}`")
    results = runs.read_json(run_dir / "results.json")
    with np.load(run_dir / "analysis.npz") as data:
        arrays = dict(data)
    draw_and_report(run_dir, config, results, arrays)
    print(f"redrew {run_dir / 'report.md'} and its figures")
    return 0


def seeds(argv):
    p = ArgumentParser(prog="python -m addition seeds",
                       description="Train the same networks from several seeds: how typical is the post's run?")
    add_run_arguments(p, PROFILES, default_profile="full")
    p.add_argument("--seeds", type=int, default=10, help="how many seeds, from --seed on (default 10)")
    p.add_argument("--nodes", type=int, nargs="+", metavar="N", help="hidden-layer sizes (default all)")
    p.add_argument("--bits", type=int, nargs="+", metavar="B", default=[4],
                   help="bits of the sum (default 4: max sum 16)")
    p.add_argument("--max-epochs", type=int, metavar="E")
    p.add_argument("--patience", type=int, metavar="P")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = p.parse_args(argv)

    def settings_of(args):
        if args.seeds < 1:
            raise UserError("--seeds must be at least 1")
        return dict(resolve(args), seeds=args.seeds)

    opened = start(args, "seeds", settings_of)
    if opened is None:
        return 0
    run_dir, config = opened
    from addition import seeds as study
    from shared import runs

    try:
        seconds = study.study(run_dir, config["settings"], config["seed"], args.workers)
    except KeyboardInterrupt:
        print(f"\ninterrupted; continue with: python -m addition seeds --resume {run_dir}", file=sys.stderr)
        return 130
    results = study.measure(run_dir, config["settings"], config["seed"])
    fig = study.figure(results, run_dir / "figures" / "seeds.png")
    runs.write_text(run_dir / "report.md", study.report(run_dir, config, results, fig))
    runs.write_json(run_dir / "timings.json", {"train_seconds": seconds})
    runs.write_json(run_dir / "results.json", results)
    for net in results["networks"].values():
        print(f"{net['nodes']:>2} nodes, max sum {net['max_sum']}: median {net['median']:.1%}, "
              f"above 90 % in {net['share_above_90']:.0%} of {len(results['seeds'])} seeds")
    print(f"report: {run_dir / 'report.md'}")
    return 0


def bench(argv):
    from addition.bench import main as bench_main

    return bench_main(argv)


COMMANDS = {"ask": ask, "report": redraw, "seeds": seeds, "bench": bench}


@guarded
def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in COMMANDS:
        return COMMANDS[argv[0]](argv[1:])
    if argv and not argv[0].startswith("-"):
        raise UserError(f"unknown command {argv[0]!r}: use one of {', '.join(COMMANDS)}, "
                        "or options alone to train")
    return train(argv)


if __name__ == "__main__":
    sys.exit(main())
