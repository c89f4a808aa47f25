"""``python -m mnist_adversarial <experiment>``: "My artificial neural networks are not human".

    python -m mnist_adversarial networks --profile quick|full     # train first: every other experiment uses them
    python -m mnist_adversarial pca|descent|genetic|mean|stats|drawn|transfer --profile quick|full
                                [--networks RUN_DIR] [--digits 2 7]
    python -m mnist_adversarial all --profile quick               # every experiment, in the post's order
    python -m mnist_adversarial bench
"""
import sys
import time

import numpy as np

from shared import UserError
from shared.cli import ArgumentParser, add_run_arguments, check_profile, guarded, log

POST = "mnist_adversarial"
EXPERIMENTS = ("networks", "pca", "descent", "genetic", "mean", "stats", "drawn", "transfer")

FULL = {
    # networks: Nielsen chapter 3 (first 50,000 training images; the last 10,000 validate)
    "n_train": 50000, "n_val": 10000, "n_test": None, "eta": 0.1, "lmbda": 5.0, "batch": 10,
    "epochs": 60, "cnn_epochs": 10, "cnn_batch": 64, "log_every": 10,
    # descent: steps of the pixels down the cost's gradient
    "descent_steps": 1000, "descent_rate": 0.1,
    # the post's GA: population 100, best 10 kept; stop when Σ|output − target| < ga_tol
    "ga_tol": 3e-4, "ga_max_iter": 1000, "ga_retry_mutate_factor": 10.0,
    "mean_count": 1000, "mean_networks": ["mlp100"],
    # many runs at once (mean, transfer): a run still short of tol after this many
    # generations is dropped and, for the mean, replaced, as the post's R loop did
    "many_max_iter": 200,
    # the mean's runs stop at this cost (the post tuned its tolerances digit by digit)
    "mean_tol": 1e-3,
    # the second GA: best 5 kept, at most 100 generations, tol 0.055 with the statistics
    "stats_count": 100, "stats_mean_count": 1000, "stats_tol": 0.055, "stats_max_iter": 100,
    "rescaled": 10000, "transfer_count": 100, "ga_networks": ["mlp100", "cnn"],
    "pca_train": None,  # all 60,000 training images
}
PROFILES = {
    "full": FULL,
    # Networks trained for minutes are less sure of anything: a looser GA tolerance.
    "quick": dict(FULL, epochs=3, cnn_epochs=1, log_every=1, descent_steps=300, mean_count=50,
                  ga_tol=3e-3, ga_max_iter=100, many_max_iter=100, mean_tol=3e-3,
                  stats_count=10, stats_mean_count=50, transfer_count=5, rescaled=2000),
    "tiny": dict(FULL, n_train=2000, n_val=500, n_test=1000, epochs=1, cnn_epochs=1, cnn_batch=100,
                 log_every=1, descent_steps=5, ga_max_iter=3, many_max_iter=3, mean_count=2, stats_count=2,
                 stats_mean_count=2, stats_max_iter=2, rescaled=200, transfer_count=1, pca_train=2000),
}


def parser():
    p = ArgumentParser(prog="python -m mnist_adversarial",
                       description="Reproduce 'My artificial neural networks are not human'.")
    p.add_argument("experiment", help=f"one of {', '.join(EXPERIMENTS)}, or all")
    add_run_arguments(p, PROFILES)
    p.add_argument("--networks", metavar="RUN_DIR",
                   help="a networks run to use (default: the newest complete one under --out)")
    p.add_argument("--digits", type=int, nargs="+", metavar="D",
                   help="descent, genetic, mean: only these digits (default 0 to 9)")
    p.add_argument("--as-posted", action="store_true",
                   help="stats: score the variogram as the post's Rcpp did (lag 1 for every k)")
    return p


def find_networks(args, profile):
    from shared import runs

    if args.networks:
        path, config = runs.open_run(args.networks, POST, "networks")
        if not (path / "results.json").exists():
            raise UserError(f"{path} has not finished training: `python -m mnist_adversarial networks "
                            f"--resume {path}`")
        return path
    found = runs.latest_run(args.out, POST, "networks")
    if found is None:
        raise UserError(f"no trained networks under {args.out}: run `python -m mnist_adversarial networks "
                        f"--profile {profile}` first, or give --networks RUN_DIR")
    return found


def run_experiment(name, args):
    from shared import runs, runtime

    if args.resume:
        run_dir, config = runs.open_run(args.resume, POST, name)
        settings, seed = config["settings"], config["seed"]
        networks_dir = config.get("networks")
    else:
        settings = dict(check_profile(args.profile, PROFILES), profile=args.profile)
        seed = args.seed
        settings["as_posted"] = bool(args.as_posted)
        if args.digits:
            bad = sorted(set(args.digits) - set(range(10)))
            if bad:
                raise UserError(f"unknown digit {' '.join(map(str, bad))}: digits are 0 to 9")
            settings["digits"] = sorted(set(args.digits))
        else:
            settings["digits"] = list(range(10))
        runs.check_writable(args.out)
        networks_dir = None if name == "networks" else str(find_networks(args, args.profile))
    from mnist_adversarial.data import load

    load_cached = load(limit_test=settings["n_test"])  # fails clearly before anything is written
    backend = runtime.setup(seed=seed)
    if not args.resume:
        run_dir = runs.create_run(args.out, POST, name, seed, settings, backend,
                                  extra={"networks": networks_dir} if networks_dir else None)
        config = runs.read_json(run_dir / "config.json")
        log(f"run folder: {run_dir}")
    start = time.perf_counter()
    try:
        from mnist_adversarial import report

        results, figures, body = report.EXPERIMENT_RUNNERS[name](run_dir, settings, seed, networks_dir,
                                                                  load_cached)
    except KeyboardInterrupt:
        print(f"\ninterrupted; continue with: python -m mnist_adversarial {name} --resume {run_dir}",
              file=sys.stderr)
        return 130
    report.finish(run_dir, config, name, results, figures, body, time.perf_counter() - start)
    if name == "networks":
        args.networks = str(run_dir)  # `all` runs the later experiments against these
    return 0


@guarded
def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "bench":
        from mnist_adversarial.bench import main as bench_main

        return bench_main(argv[1:])
    args = parser().parse_args(argv)
    if args.experiment == "all":
        if args.resume:
            raise UserError("--resume takes one experiment's run folder, not all")
        for name in EXPERIMENTS:
            log(f"== {name}")
            code = run_experiment(name, args)
            if code:
                return code
        return 0
    if args.experiment not in EXPERIMENTS:
        raise UserError(f"unknown experiment {args.experiment!r}: choose one of {', '.join(EXPERIMENTS)}, "
                        "or all")
    return run_experiment(args.experiment, args)


if __name__ == "__main__":
    sys.exit(main())
