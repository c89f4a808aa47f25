"""``python -m lyrics``: Gene Lyrica One and Two, the lyrics generators of "Mighty mighty world".

    python -m lyrics train one|two --profile quick|full [--seed N] [--out runs]
                     [--csv SONGS.csv [--artists 'A,B'|'*']] [--songs N] [--epochs E]
                     [--char-level] [--transforms] [--embedding word2vec|random|GLOVE.txt]
                     [--encoder minilm|use|FOLDER] [--freeze-encoder]
    python -m lyrics train --resume RUN_DIR
    python -m lyrics generate --run RUN_DIR [--text "hello world"] [--length 100]
                     [--randomness 0.3] [--random-seed 1] [--checkpoint EPOCH]
    python -m lyrics songs [--csv SONGS.csv [--artists ...]] [--export SONGS.csv] [--figure FILE.png]
    python -m lyrics report --run RUN_DIR
    python -m lyrics bench [--model one|two] [--samples N]
"""
import sys

from shared import UserError
from shared.cli import ArgumentParser, add_run_arguments, check_profile, guarded, log

POST = "lyrics"
MODELS = ("one", "two")
COMMANDS = ("train", "generate", "songs", "report", "bench")

DATA = {"corpus": "ballads", "artists": None, "songs": None, "level": "word", "max_words": 20_000,
        "max_repeats": 2, "transforms": False, "seq_len": None, "batch_size": 256, "epochs": 100,
        "patience": 5, "min_delta": 0.001, "sample_length": 100, "randomness": 0.3}
ONE = dict(DATA, embedding="word2vec", embedding_dim=50, units=128, dense=128, w2v_epochs=3)
TWO = dict(DATA, encoder="minilm", max_tokens=64, encoder_trainable=True, dense=64, learning_rate=1e-3)
PROFILES = {
    "one": {
        # The author's settings: every song, batch 256, up to 100 epochs with early stopping on the loss.
        "full": dict(ONE),
        # The first 20 ballads (about 18,000 samples) for 12 epochs: about 5 minutes on 2 cores.
        "quick": dict(ONE, songs=20, epochs=12),
        # For tests: one short song, small GRUs, two epochs.
        "tiny": dict(ONE, songs=2, units=8, dense=8, epochs=2, sample_length=12, w2v_epochs=1),
    },
    "two": {
        # The author's model with MiniLM in place of the Universal Sentence Encoder, trained with it.
        "full": dict(TWO),
        # Gene Lyrica One's quick songs (the first 20 ballads), the encoder frozen so that each text window
        # is encoded once; then up to 40 epochs of the layers after it: about 4 minutes on 2 cores.
        "quick": dict(TWO, songs=20, epochs=40, max_tokens=48, encoder_trainable=False),
        # For tests: a short song, short inputs, two epochs (give --encoder a small folder).
        "tiny": dict(TWO, songs=1, epochs=2, max_tokens=16, sample_length=8),
    },
}


def train_parser():
    p = ArgumentParser(prog="python -m lyrics train",
                       description="Train Gene Lyrica One (word embedding + GRUs) or Two (sentence encoder).")
    p.add_argument("model", nargs="?", choices=MODELS, help="one (word embedding) or two (sentence encoder)")
    add_run_arguments(p, PROFILES["one"])
    p.add_argument("--csv", metavar="SONGS.csv", help="a songs CSV (columns artist, text) instead of the ballads")
    p.add_argument("--artists", metavar="'A,B'",
                   help="artists of the CSV to use, comma-separated, or '*' for all (default: the author's 20 rock artists)")
    p.add_argument("--songs", type=int, metavar="N", help="use the first N songs (default: the profile's)")
    p.add_argument("--epochs", type=int, metavar="E", help="at most E epochs (default: the profile's)")
    p.add_argument("--char-level", action="store_true", help="characters instead of words as tokens")
    p.add_argument("--transforms", action="store_true", help="apply the word transforms (singin' -> singing, ...)")
    p.add_argument("--embedding", metavar="SOURCE",
                   help="one: initial word vectors, word2vec (trained on the songs; default), random, "
                        "or a 50-d GloVe text file")
    p.add_argument("--encoder", metavar="SPEC",
                   help="two: minilm (default), use (the Universal Sentence Encoder, TF-Hub), or a model folder")
    p.add_argument("--freeze-encoder", action="store_true", help="two: do not train the sentence encoder")
    p.add_argument("--quiet", action="store_true", help="do not print the per-epoch lyrics (they are still written)")
    return p


def resolve(args):
    from pathlib import Path

    if args.model is None:
        raise UserError("say which model to train: python -m lyrics train one|two (or --resume RUN_DIR)")
    settings = dict(check_profile(args.profile, PROFILES[args.model]), profile=args.profile)
    if args.csv:
        if not Path(args.csv).is_file():
            raise UserError(f"--csv {args.csv}: no such file")
        settings["corpus"] = str(Path(args.csv).resolve())
    if args.artists is not None:
        if not args.csv:
            raise UserError("--artists chooses artists of a songs CSV: give --csv too")
        names = [a.strip() for a in args.artists.split(",") if a.strip()]
        if not names:
            raise UserError("--artists is empty: name artists separated by commas, or '*' for all")
        settings["artists"] = "*" if names == ["*"] else names
    for name in ("songs", "epochs"):
        value = getattr(args, name)
        if value is not None:
            if value < 1:
                raise UserError(f"--{name} must be at least 1")
            settings[name] = value
    if args.char_level:
        settings["level"] = "char"
    if args.transforms:
        settings["transforms"] = True
    if args.model == "one":
        if args.encoder or args.freeze_encoder:
            raise UserError("--encoder and --freeze-encoder are for model two")
        if args.embedding:
            if args.embedding not in ("word2vec", "random") and not Path(args.embedding).is_file():
                raise UserError(f"--embedding {args.embedding}: not word2vec, random or a GloVe file")
            settings["embedding"] = args.embedding if args.embedding in ("word2vec", "random") \
                else str(Path(args.embedding).resolve())
        if settings["level"] == "char" and settings["embedding"] != "random":
            if args.embedding and args.embedding != "random":
                raise UserError("word vectors do not apply to characters: drop --embedding with --char-level")
            settings["embedding"] = "random"
    else:
        if args.embedding:
            raise UserError("--embedding is for model one (two reads text through its sentence encoder)")
        if args.encoder:
            settings["encoder"] = args.encoder
        if args.freeze_encoder:
            settings["encoder_trainable"] = False
    return settings


def initial_embedding(settings, corpus, seed):
    from lyrics import embeddings

    source = settings["embedding"]
    if source == "random":
        return None, {"source": "random", "note": "Keras' uniform initialisation"}
    if source == "word2vec":
        return embeddings.word2vec(corpus.encoded(), corpus.tokenizer.size, settings["embedding_dim"],
                                   epochs=settings["w2v_epochs"], seed=seed)
    return embeddings.from_glove(source, corpus.tokenizer.tokens, settings["embedding_dim"])


def train(argv):
    import numpy as np

    from lyrics import corpus as corpus_mod
    from lyrics.text import Tokenizer
    from shared import runs, runtime

    args = train_parser().parse_args(argv)
    encoder = None
    if args.resume:
        opened = runs.open_resumable(args.resume, POST, None)
        if opened is None:
            return 0
        run_dir, config = opened
        runtime.setup()
        corpus = corpus_mod.prepare(config["settings"], Tokenizer.load(run_dir / "tokenizer.json"))
        if corpus.stats() != config["corpus"]:
            raise UserError(f"the songs are not the ones {run_dir} was trained on (their tokens differ)")
        if config["experiment"] == "two":
            from lyrics.train import load_encoder
            encoder = load_encoder(config)
    else:
        settings = resolve(args)
        corpus = corpus_mod.prepare(settings)
        runs.check_writable(args.out)
        backend = runtime.setup(args.seed)
        if args.model == "two":
            from lyrics import encoders
            encoder = encoders.load(settings["encoder"], settings["max_tokens"], settings["encoder_trainable"])
        embedding, embedding_info = (initial_embedding(settings, corpus, args.seed) if args.model == "one"
                                     else (None, None))
        stats = corpus.stats()
        extra = {"corpus": stats, "corpus_source": corpus.source}
        if args.model == "one":
            extra["embedding"] = embedding_info
        else:
            extra["encoder"] = encoder.describe()
        from lyrics.train import build

        runtime.seed_everything(args.seed)
        extra["model_parameters"] = int(build({"settings": settings, "corpus": stats, "experiment": args.model},
                                              encoder, embedding).count_params())
        run_dir = runs.create_run(args.out, POST, args.model, args.seed, settings, backend, extra)
        corpus.tokenizer.save(run_dir / "tokenizer.json")
        (run_dir / "checkpoints").mkdir()
        corpus.tokenizer.save(run_dir / "checkpoints" / "tokenizer.json")  # travels with the weights
        if embedding is not None:
            np.save(run_dir / "embedding_init.npy", embedding)
        config = runs.read_json(run_dir / "config.json")
        log(f"run folder: {run_dir}")
        log(f"{stats['songs']} songs, {stats['tokens']:,} tokens, vocabulary {stats['vocabulary']:,}, "
            f"input length {stats['sequence_length']} (median line {stats['median_line_length']:g} × 4 + 3), "
            f"{stats['samples']:,} samples; at most {config['settings']['epochs']} epochs")
    from lyrics.report import finish
    from lyrics.train import load_trained
    from lyrics.train import train as fit
    from shared.report import tally_line

    try:
        summary = fit(run_dir, config, corpus, encoder, echo=not args.quiet)
    except KeyboardInterrupt:
        print(f"\ninterrupted; continue with: python -m lyrics train --resume {run_dir}", file=sys.stderr)
        return 130
    model, context = load_trained(run_dir, config)
    results, rows = finish(run_dir, config, corpus, model, context, summary.get("seconds_this_session"))
    print(f"{run_dir}: {results['epochs']} epochs, loss {results['loss'][-1]:.3f}, accuracy "
          f"{100 * results['accuracy'][-1]:.1f} %"
          + (f"; claims: {tally_line(rows)}" if rows else "") + f"; report {run_dir / 'report.md'}")
    return 0


def generate(argv):
    from shared import runs

    p = ArgumentParser(prog="python -m lyrics generate", description="Write lyrics with a trained run.")
    p.add_argument("--run", required=True, metavar="RUN_DIR", help="a run folder of python -m lyrics train")
    p.add_argument("--text", default="hello world", help='the seed text (default: "hello world")')
    p.add_argument("--length", type=int, default=100, metavar="N", help="tokens to write (default 100)")
    p.add_argument("--randomness", type=float, default=0.3, metavar="R",
                   help="0 = always the likeliest token; higher = more surprising (default 0.3)")
    p.add_argument("--random-seed", type=int, default=1, metavar="S", help="seed of the draws (default 1)")
    p.add_argument("--checkpoint", type=int, metavar="EPOCH", help="an epoch's weights (default: the final ones)")
    args = p.parse_args(argv)
    if not 0 <= args.randomness <= 10:
        raise UserError("--randomness must be between 0 and 10 (0 = argmax; the author used 0.3)")
    if args.length < 1:
        raise UserError("--length must be at least 1")
    run_dir, config = runs.open_run(args.run, POST)
    weights = run_dir / "model.weights.h5"
    if args.checkpoint is not None:
        from lyrics.layout import CHECKPOINT

        weights = run_dir / "checkpoints" / CHECKPOINT.format(epoch=args.checkpoint)
        if not weights.is_file():
            raise UserError(f"{run_dir} has no checkpoint of epoch {args.checkpoint}")
    elif not weights.is_file():
        raise UserError(f"{run_dir} has not finished training: continue it with "
                        f"python -m lyrics train --resume {run_dir}, or give --checkpoint EPOCH")
    from lyrics.text import Tokenizer, clean

    tokenizer = Tokenizer.load(run_dir / "tokenizer.json")
    seed_tokens = tokenizer.split(clean(args.text))
    if not seed_tokens:
        raise UserError("--text has no words to start from: give some")
    from shared import runtime

    runtime.setup()
    from lyrics import sampling
    from lyrics.train import load_trained

    model, context = load_trained(run_dir, config, weights)
    unknown = sorted({t for t in seed_tokens if t not in tokenizer.index})
    if unknown and config["experiment"] == "one":
        log(f"not in the vocabulary (read as padding): {', '.join(unknown)}")
    head, cont = sampling.generate(model.predict_on_batch, context, args.text, args.length, args.randomness,
                                   args.random_seed)
    print(sampling.render(head, cont, tokenizer.level), flush=True)
    return 0


def songs(argv):
    from pathlib import Path

    from lyrics import corpus as corpus_mod
    from lyrics import figures
    from lyrics import songs as songs_mod
    from shared.report import markdown_table

    p = ArgumentParser(prog="python -m lyrics songs",
                       description="The songs a model would train on: counts, line lengths, input length.")
    p.add_argument("--csv", metavar="SONGS.csv", help="a songs CSV instead of the ballads")
    p.add_argument("--artists", metavar="'A,B'", help="artists of the CSV, comma-separated, or '*'")
    p.add_argument("--char-level", action="store_true")
    p.add_argument("--export", metavar="FILE.csv", help="write the songs as a CSV (artist, song, text)")
    p.add_argument("--figure", metavar="FILE.png", help="draw the line-length distribution")
    args = p.parse_args(argv)
    settings = dict(DATA, level="char" if args.char_level else "word")
    if args.artists and not args.csv:
        raise UserError("--artists chooses artists of a songs CSV: give --csv too")
    if args.csv:
        settings["corpus"] = args.csv
        if args.artists:
            settings["artists"] = "*" if args.artists.strip() == "*" else [a.strip() for a in args.artists.split(",")]
    for target in (args.export, args.figure):
        if target and not Path(target).resolve().parent.is_dir():
            raise UserError(f"{target}: its folder does not exist")
    c = corpus_mod.prepare(settings)
    s = c.stats()
    print(markdown_table(["", ""], [[k.replace("_", " "), f"{v:,}" if isinstance(v, int) else f"{v:g}"]
                                    for k, v in s.items()]))
    print(f"source: {c.source['path']}")
    if args.export:
        songs_mod.write_csv(c.songs, args.export)
        print(f"wrote {len(c.songs)} songs to {args.export}")
    if args.figure:
        figures.line_lengths(c.lengths, c.seq_len, args.figure, f"Line lengths ({len(c.lengths):,} lines)",
                             "characters" if args.char_level else "words")
        print(f"wrote {args.figure}")
    return 0


def report(argv):
    from lyrics import corpus as corpus_mod
    from lyrics.text import Tokenizer
    from shared import runs, runtime

    p = ArgumentParser(prog="python -m lyrics report", description="Redo a finished run's lyrics, figures and report.")
    p.add_argument("--run", required=True, metavar="RUN_DIR")
    args = p.parse_args(argv)
    run_dir, config = runs.open_run(args.run, POST)
    if not (run_dir / "model.weights.h5").exists():
        raise UserError(f"{run_dir} has not finished training: continue it with python -m lyrics train --resume {run_dir}")
    runtime.setup()
    from lyrics.report import finish
    from lyrics.train import load_trained

    corpus = corpus_mod.prepare(config["settings"], Tokenizer.load(run_dir / "tokenizer.json"))
    model, context = load_trained(run_dir, config)
    finish(run_dir, config, corpus, model, context)
    print(run_dir / "report.md")
    return 0


def bench(argv):
    from lyrics.bench import main

    return main(argv)


@guarded
def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    if not argv or argv[0].startswith("-"):
        if "--resume" in argv:
            return train(argv)
        raise UserError(f"say what to do: python -m lyrics {{{','.join(COMMANDS)}}} ... (see --help of each)")
    command, argv = argv[0], argv[1:]
    if command not in COMMANDS:
        raise UserError(f"unknown command {command!r}: choose one of {', '.join(COMMANDS)}")
    return {"train": train, "generate": generate, "songs": songs, "report": report, "bench": bench}[command](argv)


if __name__ == "__main__":
    sys.exit(main())
