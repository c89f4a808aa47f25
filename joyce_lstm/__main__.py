"""``python -m joyce_lstm``: "Synthetic Modernist Literature using an LSTM RNN", and the 9-line network.

    python -m joyce_lstm [train] --profile quick|full [--seed N] [--out runs] [--layers N]
                         [--pipeline streaming|original] [--epochs E] [--chars N]
    python -m joyce_lstm --resume RUN_DIR
    python -m joyce_lstm sample --run RUN_DIR [--checkpoint EPOCH] [--seed-text TEXT]
                         [--diversity D] [--length N] [--random-seed S]
    python -m joyce_lstm corpus          # the corpus's figures beside the post's
    python -m joyce_lstm report --run RUN_DIR
    python -m joyce_lstm nine-lines      # the "neural network in 9 lines of Python"
    python -m joyce_lstm bench [--sequences 100000]
"""
import sys

from shared import UserError
from shared.cli import ArgumentParser, add_run_arguments, check_profile, guarded, log

POST, EXPERIMENT = "joyce_lstm", "train"
DIVERSITIES = [0.2, 0.5, 1.0, 1.2]

BASE = {"books": ["ulysses", "dubliners"], "text_chars": None, "maxlen": 100, "step": 3,
        "units": 128, "layers": 1, "batch_size": 128, "epochs": 60, "sample_length": 400,
        "diversities": DIVERSITIES, "pipeline": "streaming"}
PROFILES = {
    # The post's script, exactly: both books, LSTM(128), Nadam, batch 128, 60 epochs.
    "full": dict(BASE),
    # The first 240,000 characters of the corpus (80 k windows) for 5 epochs: about 4 minutes on 2 cores.
    "quick": dict(BASE, text_chars=240_000, epochs=5, sample_length=200),
    # For tests: a sliver of text, a small LSTM, two epochs, short samples.
    "tiny": dict(BASE, text_chars=6_000, units=16, epochs=2, sample_length=12),
}
COMMANDS = ("train", "sample", "corpus", "report", "nine-lines", "bench")


def train_parser():
    p = ArgumentParser(prog="python -m joyce_lstm",
                       description="Train the post's character LSTM on Ulysses and Dubliners.")
    add_run_arguments(p, PROFILES)
    p.add_argument("--layers", type=int, metavar="N",
                   help="stacked LSTM layers (the post: 1; its author wanted 3)")
    p.add_argument("--pipeline", choices=("streaming", "original"),
                   help="one-hot batches built on the fly (default) or the post's materialised arrays")
    p.add_argument("--epochs", type=int, metavar="E", help="override the profile's epochs")
    p.add_argument("--chars", type=int, metavar="N",
                   help="train on the first N characters of the corpus (default: the profile's)")
    p.add_argument("--quiet", action="store_true", help="do not print the samples (they are still written)")
    return p


def resolve(args):
    settings = dict(check_profile(args.profile, PROFILES), profile=args.profile)
    if args.layers is not None:
        if not 1 <= args.layers <= 8:
            raise UserError("--layers must be between 1 and 8")
        settings["layers"] = args.layers
    if args.pipeline:
        settings["pipeline"] = args.pipeline
    if args.epochs is not None:
        if args.epochs < 1:
            raise UserError("--epochs must be at least 1")
        settings["epochs"] = args.epochs
    if args.chars is not None:
        if args.chars < settings["maxlen"] + 2:
            raise UserError(f"--chars must be at least {settings['maxlen'] + 2} (one window and its next character)")
        settings["text_chars"] = args.chars
    return settings


def training_text(settings):
    from joyce_lstm import corpus

    text, sources = corpus.load(settings["books"])
    vocab = corpus.Vocabulary.of(text)  # always the whole corpus's characters, as the post's one-hot width
    part = text if settings["text_chars"] is None else text[:settings["text_chars"]]
    if len(part) < settings["maxlen"] + 2:
        raise UserError(f"the training text has {len(part)} characters: it needs at least "
                        f"{settings['maxlen'] + 2}")
    return part, vocab, sources


def train(argv):
    from joyce_lstm import corpus, models
    from shared import runs, runtime
    from shared.data import data_home

    args = train_parser().parse_args(argv)
    if args.resume:
        opened = runs.open_resumable(args.resume, POST, EXPERIMENT)
        if opened is None:
            return 0
        run_dir, config = opened
        settings = config["settings"]
        text, vocab, _ = training_text(settings)
        saved = corpus.Vocabulary.from_json(runs.read_json(run_dir / "vocabulary.json"))
        if saved != vocab:
            raise UserError(f"the corpus under {data_home()} is not the one {run_dir} was trained on")
        runtime.setup()
    else:
        settings = resolve(args)
        text, vocab, sources = training_text(settings)
        runs.check_writable(args.out)
        backend = runtime.setup()
        extra = {"corpus_sources": sources,
                 "training_text": {"chars": len(text),
                                   "sequences": corpus.n_sequences(len(text), settings["maxlen"], settings["step"])},
                 "model": {"parameters": models.parameter_count(len(vocab), settings["units"], settings["layers"]),
                           "units": settings["units"], "layers": settings["layers"], "n_chars": len(vocab)}}
        run_dir = runs.create_run(args.out, POST, EXPERIMENT, args.seed, settings, backend, extra)
        runs.write_json(run_dir / "vocabulary.json", vocab.to_json())
        (run_dir / "checkpoints").mkdir()
        runs.write_json(run_dir / "checkpoints" / "vocabulary.json", vocab.to_json())  # travels with them
        config = runs.read_json(run_dir / "config.json")
        log(f"run folder: {run_dir}")
        log(f"training on {len(text):,} characters ({config['training_text']['sequences']:,} windows), "
            f"{settings['epochs']} epochs; {len(vocab)} characters")
    from joyce_lstm.report import finish
    from joyce_lstm.train import train as fit

    try:
        summary = fit(run_dir, config["settings"], config["seed"], vocab, text, echo=not args.quiet)
    except KeyboardInterrupt:
        print(f"\ninterrupted; continue with: python -m joyce_lstm --resume {run_dir}", file=sys.stderr)
        return 130
    results, rows = finish(run_dir, config, summary["seconds"])
    from shared.report import tally_line

    print(f"{run_dir}: final loss {results['final_loss']:.4f}; claims: {tally_line(rows)}; "
          f"report {run_dir / 'report.md'}")
    return 0


def sample(argv):
    from joyce_lstm import corpus
    from joyce_lstm.blog import POST_SEED
    from joyce_lstm.layout import checkpoint_path, saved_checkpoints
    from shared import runs

    p = ArgumentParser(prog="python -m joyce_lstm sample", description="Continue a text with a trained run's network.")
    p.add_argument("--run", required=True, metavar="RUN_DIR", help="a run folder of python -m joyce_lstm")
    p.add_argument("--checkpoint", type=int, metavar="EPOCH", help="the epoch's checkpoint (default: the last one saved)")
    p.add_argument("--seed-text", default=POST_SEED, metavar="TEXT", help="text to continue (default: the post's seed)")
    p.add_argument("--diversity", type=float, default=0.5, metavar="D", help="temperature, above 0 (default 0.5)")
    p.add_argument("--length", type=int, default=400, metavar="N", help="characters to write (default 400)")
    p.add_argument("--random-seed", type=int, default=0, metavar="S", help="seed of the draws (default 0)")
    args = p.parse_args(argv)
    if not args.diversity > 0:
        raise UserError("--diversity must be above 0 (0.2 is conservative, 1.2 adventurous)")
    if args.length < 1:
        raise UserError("--length must be at least 1")
    if not args.seed_text:
        raise UserError("--seed-text is empty: give at least one character")
    run_dir, config = runs.open_run(args.run, POST, EXPERIMENT)
    vocab_path = run_dir / "vocabulary.json"
    if not vocab_path.is_file():
        raise UserError(f"{run_dir} has no vocabulary.json: the run folder is damaged")
    vocab = corpus.Vocabulary.from_json(runs.read_json(vocab_path))
    vocab.encode(args.seed_text)  # names any character the network never saw
    saved = saved_checkpoints(run_dir)
    if not saved:
        raise UserError(f"{run_dir} has no checkpoints yet: train it first (python -m joyce_lstm --resume {run_dir})")
    epoch = args.checkpoint if args.checkpoint is not None else saved[-1]
    if epoch not in saved:
        raise UserError(f"{run_dir} has no checkpoint of epoch {epoch}: it has epochs {saved[0]}–{saved[-1]}")
    import numpy as np

    from shared import runtime

    runtime.setup()  # before Keras is imported: it quiets TensorFlow's start-up lines
    from joyce_lstm import sampling
    from joyce_lstm.train import load_checkpoint

    model = load_checkpoint(checkpoint_path(run_dir, epoch))
    rng = np.random.default_rng(args.random_seed)
    (out,) = sampling.generate(model.predict_on_batch, vocab, [args.seed_text], [args.diversity], args.length,
                               config["settings"]["maxlen"], rng)
    log(f"epoch {epoch}, diversity {args.diversity}, random seed {args.random_seed}")
    print(args.seed_text + out, flush=True)
    return 0


def show_corpus(argv):
    from joyce_lstm import corpus
    from joyce_lstm.blog import corpus_rows
    from shared.report import markdown_table

    ArgumentParser(prog="python -m joyce_lstm corpus",
                   description="The corpus's length, characters, windows and sentence lengths.").parse_args(argv)
    text, sources = corpus.load()
    d = corpus.describe(text, 100, 3)
    print(markdown_table(["", "the post", "ours"], corpus_rows(d)))
    print(f"characters: {''.join(corpus.Vocabulary.of(text).chars)!r}")
    for name, s in sources.items():
        print(f"{name}: {s['path']}" + ("" if s["edition_as_measured"] else " (another edition than the one measured here)"))
    return 0


def report(argv):
    from shared import runs, runtime

    p = ArgumentParser(prog="python -m joyce_lstm report", description="Redraw a run's figures and report.")
    p.add_argument("--run", required=True, metavar="RUN_DIR")
    args = p.parse_args(argv)
    run_dir, config = runs.open_run(args.run, POST, EXPERIMENT)
    if not (run_dir / "results.json").exists():
        raise UserError(f"{run_dir} has not finished training: continue it with python -m joyce_lstm --resume {run_dir}")
    runtime.setup()
    from joyce_lstm.report import finish

    finish(run_dir, config)
    print(run_dir / "report.md")
    return 0


def nine_lines(argv):
    import numpy as np

    ArgumentParser(prog="python -m joyce_lstm nine-lines",
                   description="The 9-line NumPy network, and the same network in Keras.").parse_args(argv)
    from joyce_lstm import nine_lines as nl
    from shared import runtime
    from shared.report import markdown_table

    prediction, weights = nl.numpy_network()
    print(prediction)
    runtime.setup(seed=0)
    kprediction, kweights = nl.keras_network()
    print(markdown_table(["", "prediction for [1, 0, 0]", "weights"], [
        ["the post", nl.POSTED, ""],
        ["NumPy (the nine lines)", str(prediction), np.array2string(weights.ravel(), precision=6)],
        ["Keras (Dense(1, sigmoid), SGD)", str(kprediction), np.array2string(kweights.ravel(), precision=6)],
    ]))
    print(f"largest weight difference NumPy vs Keras: {np.abs(weights - kweights).max():.1e}")
    return 0


def bench(argv):
    from joyce_lstm.bench import main

    return main(argv)


@guarded
def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv and not argv[0].startswith("-") else "train"
    if argv and not argv[0].startswith("-"):
        argv = argv[1:]
        if command not in COMMANDS:
            raise UserError(f"unknown command {command!r}: choose one of {', '.join(COMMANDS)}")
    return {"train": train, "sample": sample, "corpus": show_corpus, "report": report,
            "nine-lines": nine_lines, "bench": bench}[command](argv)


if __name__ == "__main__":
    sys.exit(main())
