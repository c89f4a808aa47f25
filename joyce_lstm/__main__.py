"""``python -m joyce_lstm``: "Synthetic Modernist Literature using an LSTM RNN", and the 9-line network.

    python -m joyce_lstm [train] [--profile quick|full|tiny] [--seed N] [--out runs] [--quiet] [--SETTING ...]
    python -m joyce_lstm [train] --resume RUN_DIR     # carry on an interrupted run
    python -m joyce_lstm [train] --devices N ...      # split each batch across N devices (also with --resume)
    python -m joyce_lstm sample --run RUN_DIR [--checkpoint EPOCH] [--seed-text TEXT] [--diversity D]
                                [--length N] [--random-seed S]
    python -m joyce_lstm corpus                       # the corpus's figures beside the post's
    python -m joyce_lstm report --run RUN_DIR         # redraw a finished run's figures and report
    python -m joyce_lstm seeds [--seeds 5] [--profile quick|full|tiny]  # the training from several seeds
    python -m joyce_lstm positions [--run RUN_DIR] [--limit N] [--json FILE]  # loss at unscored positions
    python -m joyce_lstm nine-lines                   # the "neural network in 9 lines of Python"
    python -m joyce_lstm bench [--sequences N]        # streaming batches against the post's arrays
    python -m joyce_lstm bench --models [--steps N --rounds R]  # one-hot or ids, with or without XLA

The settings (``--layers``, ``--text-chars``, ``--epochs`` ...) are the fields of
``joyce_lstm/config.py``; ``--help`` lists them. Keras is imported only after a
command's arguments are checked, so that a mistake is reported at once.
"""
import sys
from pathlib import Path

from joyce_lstm.blog import POST_SEED
from joyce_lstm.config import PROFILES, Config
from joyce_lstm.seeds import PLAN
from shared import UserError, distribute
from shared import seeds as seed_study
from shared.cli import ArgumentParser, add_random_seed, log, main_of, settings_from, settings_parser

PROG = "python -m joyce_lstm"


def train(argv):
    p = settings_parser(PROG, "Train the post's character LSTM on Ulysses and Dubliners.", Config, PROFILES)
    p.add_argument("--quiet", action="store_true", help="do not print the samples (they are still written)")
    distribute.add_option(p)
    args = p.parse_args(argv)
    profile, settings = settings_from(args, Config, PROFILES)
    from joyce_lstm import experiment, report

    run_dir = experiment.run(settings, args.out, args.seed, profile, args.resume, echo=not args.quiet,
                             devices=args.devices)
    print(report.summary(run_dir))
    return 0


def sample(argv):
    p = ArgumentParser(prog=f"{PROG} sample", description="Continue a text with a trained run's network.")
    p.add_argument("--run", required=True, metavar="RUN_DIR", help="a run folder of python -m joyce_lstm")
    p.add_argument("--checkpoint", type=int, metavar="EPOCH",
                   help="the epoch's checkpoint (default: the last one saved)")
    p.add_argument("--seed-text", default=POST_SEED, metavar="TEXT", help="text to continue (default: the post's seed)")
    p.add_argument("--diversity", type=float, default=0.5, metavar="D", help="temperature, above 0 (default 0.5)")
    p.add_argument("--length", type=int, default=400, metavar="N", help="characters to write (default 400)")
    add_random_seed(p)
    args = p.parse_args(argv)
    from joyce_lstm import play

    play.check(args.seed_text, args.diversity, args.length)
    writer = play.load(args.run, args.checkpoint)
    if not writer.complete:
        log(f"{writer.run_dir} is not finished: sampling from epoch {writer.epoch} of {writer.total_epochs}"
            + (" (the last saved)" if args.checkpoint is None else ""))
    text = writer.sample(args.seed_text, args.diversity, args.length, args.random_seed)
    log(f"epoch {writer.epoch}, diversity {args.diversity}, random seed {args.random_seed}")
    print(args.seed_text, end="", flush=True)
    for ch in text:
        print(ch, end="", flush=True)
    print()
    return 0


def corpus(argv):
    ArgumentParser(prog=f"{PROG} corpus",
                   description="The corpus's length, characters, windows and sentence lengths.").parse_args(argv)
    from joyce_lstm.report import corpus_summary

    print(corpus_summary())
    return 0


def report(argv):
    p = ArgumentParser(prog=f"{PROG} report", description="Redraw a finished run's figures and report.")
    p.add_argument("--run", required=True, metavar="RUN_DIR", help="a finished run folder of python -m joyce_lstm")
    args = p.parse_args(argv)
    from joyce_lstm.report import redraw

    print(redraw(args.run))
    return 0


def nine_lines(argv):
    ArgumentParser(prog=f"{PROG} nine-lines",
                   description="The 9-line NumPy network, and the same network in Keras.").parse_args(argv)
    from joyce_lstm.nine_lines import comparison

    print(comparison())
    return 0


seeds = seed_study.command(PROG, {"train": PLAN})


def positions(argv):
    p = ArgumentParser(prog=f"{PROG} positions",
                       description="A trained network's mean loss on its training windows and on the same "
                                   "text moved on by 1 and 2 characters, whose next characters it was never "
                                   "trained to predict.")
    p.add_argument("--run", metavar="RUN_DIR", help="a run folder (default: the post's full run kept with the suite)")
    p.add_argument("--limit", type=int, metavar="N", help="the same N windows at each shift (default: all)")
    p.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    args = p.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        raise UserError("--limit must be at least 1")
    from joyce_lstm import play

    writer = play.load(args.run)
    from joyce_lstm.positions import of_run, summary  # imports Keras: after play.load() has quieted it

    figures = of_run(writer, args.limit)
    if args.json:
        from shared.runs import write_json

        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        write_json(Path(args.json), figures)
    print(summary(figures))
    return 0


def bench(argv):
    p = ArgumentParser(prog=f"{PROG} bench",
                       description="Streaming batches against the post's materialised arrays; with --models, "
                                   "the network fed one-hot vectors or character ids, with and without XLA.")
    p.add_argument("--sequences", type=int, default=100_000, help="windows in the slice (default 100000)")
    p.add_argument("--warmup", type=int, default=8, help="steps trained before timing (default 8)")
    p.add_argument("--models", action="store_true", help="compare the model variants instead of the pipelines")
    p.add_argument("--steps", type=int, default=100, help="with --models: steps timed per variant (default 100)")
    p.add_argument("--rounds", type=int, default=3, help="with --models: turns of every variant (default 3)")
    args = p.parse_args(argv)
    import json

    from joyce_lstm.bench import check, check_models, compare, compare_models

    if args.models:
        check_models(args.steps, args.warmup, args.rounds)
        print(json.dumps(compare_models(args.steps, args.warmup, args.rounds)))
    else:
        check(args.sequences, args.warmup)
        print(json.dumps(compare(args.sequences, args.warmup)))
    return 0


COMMANDS = {"train": train, "sample": sample, "corpus": corpus, "report": report, "seeds": seeds,
            "positions": positions, "nine-lines": nine_lines, "bench": bench}
main = main_of(PROG, COMMANDS, default="train")

if __name__ == "__main__":
    sys.exit(main())
