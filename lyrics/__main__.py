"""``python -m lyrics``: Gene Lyrica One and Two, the lyrics generators of "Mighty mighty world".

    python -m lyrics [one] --profile quick|full [--seed N] [--out runs] [--SETTING ...]   train Gene Lyrica One
    python -m lyrics two --profile quick|full [--seed N] [--out runs] [--SETTING ...]     train Gene Lyrica Two
    python -m lyrics one|two --resume RUN_DIR             carry on an interrupted run
    python -m lyrics one|two --devices N ...              split each batch across N devices (also with --resume)
    python -m lyrics generate --run RUN_DIR [--seed-text TEXT] [--length N] [--randomness R] [--random-seed S]
    python -m lyrics songs [--corpus SONGS.csv] [--export FILE.csv] [--figure FILE.png]   the songs, in numbers
    python -m lyrics report --run RUN_DIR                 write a finished run's lyrics, figures and report again
    python -m lyrics seeds [one|two] [--seeds 5] [--profile quick|full]   one model from several seeds (default two)
    python -m lyrics bench [--model one|two]              training and generation speed, one JSON line

Every setting of ``lyrics/config.py`` is an option (``python -m lyrics one --help``).
"""
import sys
from functools import partial

from lyrics.config import CLASSES, PROFILES, SONG_FIELDS, Config, with_defaults
from lyrics.seeds import PLANS
from shared import distribute, runtime, seeds as seed_study
from shared.cli import ArgumentParser, add_random_seed, asked_profile, log, main_of, settings_parser
from shared.config import add_options, given, resolve

POST = "lyrics"
DESCRIPTIONS = {"one": "Train Gene Lyrica One: a word embedding and two bidirectional GRUs.",
                "two": "Train Gene Lyrica Two: the words before the next one, read by a sentence encoder."}


def train(experiment, argv):
    cls, profiles = CLASSES[experiment], PROFILES[experiment]
    p = settings_parser(f"python -m lyrics {experiment}", DESCRIPTIONS[experiment], cls, profiles)
    p.add_argument("--quiet", action="store_true", help="do not print the lyrics written after every epoch")
    distribute.add_option(p)
    args = p.parse_args(argv)
    overrides = with_defaults(experiment, given(args, cls))
    profile = asked_profile(args, overrides)
    settings = None if profile is None else resolve(profiles, profile, overrides)
    # Keras is imported after the arguments are checked (a mistake is reported at once), and
    # by runtime.setup() first, which keeps TensorFlow's start-up chatter off the terminal.
    distribute.prepare(args.devices)  # before Keras starts: devices cannot be split afterwards
    runtime.setup()
    from lyrics import experiment as lyrics_experiment
    from lyrics.report import summary

    run_dir = lyrics_experiment.run(settings, args.out, args.seed, profile, args.resume, experiment,
                                    echo=not args.quiet, devices=args.devices)
    print(summary(run_dir))
    return 0


def generate(argv):
    from lyrics import play  # Keras comes with play.load, after the arguments are checked

    p = ArgumentParser(prog="python -m lyrics generate", description="Write lyrics with a finished run.")
    p.add_argument("--run", required=True, metavar="RUN_DIR", help="a finished run of python -m lyrics one|two")
    p.add_argument("--seed-text", default="hello world", help='the text to continue (default: "hello world")')
    p.add_argument("--length", type=int, default=100, metavar="N", help="tokens to write, 1 to 1000 (default 100)")
    p.add_argument("--randomness", type=float, default=0.3, metavar="R",
                   help="0 to 2: 0 always takes the likeliest token (default 0.3, the author's)")
    add_random_seed(p)
    p.add_argument("--checkpoint", type=int, metavar="EPOCH", help="an epoch's weights (default: the final ones)")
    args = p.parse_args(argv)
    play.check_request(args.length, args.randomness, args.random_seed)
    lyricist = play.load(args.run, args.checkpoint)
    unknown = lyricist.unknown_words(args.seed_text)
    if unknown and lyricist.experiment == "one":
        log(f"not in the vocabulary (read as padding): {', '.join(unknown)}")
    print(lyricist.generate(args.seed_text, args.length, args.randomness, args.random_seed), flush=True)
    return 0


def songs(argv):
    from lyrics.corpus import overview

    p = ArgumentParser(prog="python -m lyrics songs",
                       description="The songs a model would train on: counts, line lengths, input length.")
    add_options(p, Config, only=SONG_FIELDS)
    p.add_argument("--export", metavar="FILE.csv", help="write the songs as a songs CSV (artist, song, text)")
    p.add_argument("--figure", metavar="FILE.png", help="draw the line-length distribution")
    args = p.parse_args(argv)
    settings = resolve({"full": Config()}, "full", given(args, Config))
    print(overview(settings, args.export, args.figure))
    return 0


def report(argv):
    from shared import runs

    p = ArgumentParser(prog="python -m lyrics report",
                       description="Write a finished run's lyrics, figures and report again.")
    p.add_argument("--run", required=True, metavar="RUN_DIR", help="a finished run of python -m lyrics one|two")
    args = p.parse_args(argv)
    runs.load(args.run, POST)  # a run that is not there or not finished is said at once, before Keras loads
    runtime.setup()
    from lyrics.report import redraw

    print(redraw(args.run))
    return 0


seeds = seed_study.command("python -m lyrics", PLANS, default="two")


def bench(argv):
    from lyrics.bench import main as bench_main

    return bench_main(argv)


COMMANDS = {"one": partial(train, "one"), "two": partial(train, "two"), "generate": generate, "songs": songs,
            "report": report, "seeds": seeds, "bench": bench}
main = main_of("python -m lyrics", COMMANDS, default="one")

if __name__ == "__main__":
    sys.exit(main())
