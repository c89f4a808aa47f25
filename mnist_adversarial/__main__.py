"""``python -m mnist_adversarial COMMAND``: "My artificial neural networks are not human".

    networks   train the post's 784-100-10, its 784-30-10 sibling and a CNN (first: the others use them)
    pca        eigen-digits and a principal-component classifier
    descent    gradient descent on the pixels towards each digit
    genetic    the post's genetic-ish algorithm, one image per digit
    mean       the mean of many GA images, for every digit
    stats      the second GA, with image statistics in its cost
    drawn      digits drawn to the frame's edges, centred, scrambled
    transfer   do images that fool one network fool the others?
    all        every experiment, in the post's order
    seeds      one experiment from several seeds: each claim as 'agrees in k of n seeds' (default networks)
    classify   what each network calls a picture of a digit (IMAGE, --centre)
    bench      1000 GA '2's side by side against one at a time, as one JSON line

Each experiment takes ``--profile --seed --out --resume``, ``--networks RUN_DIR``
and an option per setting of ``config.py`` (``--help`` lists them).
"""
import json
import sys

from mnist_adversarial.config import PROFILES, Config
from mnist_adversarial.seeds import PLANS
from shared import UserError, seeds as seed_study
from shared.cli import ArgumentParser, main_of, seed, settings_from, settings_parser

# The post's modules are imported inside each command, after its arguments are
# checked: a mistake is reported at once, before Keras and the data load.
PROG = "python -m mnist_adversarial"
EXPERIMENTS = ("networks", "pca", "descent", "genetic", "mean", "stats", "drawn", "transfer")
HELP = dict(line.split(None, 1) for line in __doc__.split("\n\n")[1].strip().splitlines())


def add_networks(parser):
    parser.add_argument("--networks", metavar="RUN_DIR",
                        help="the networks run to use (default: the newest complete one under --out)")


def experiment_parser(name):
    parser = settings_parser(f"{PROG} {name}", HELP[name].strip(), Config, PROFILES)
    if name != "networks":
        add_networks(parser)
    return parser


def experiment_command(name):
    def command(argv):
        args = experiment_parser(name).parse_args(argv)
        profile, settings = settings_from(args, Config, PROFILES)
        networks = getattr(args, "networks", None)
        if args.resume and networks:
            raise UserError("--networks cannot be given with --resume: a run keeps its own networks")
        from mnist_adversarial import experiment

        experiment.run(name, settings, args.out, args.seed, profile, args.resume, networks)
        return 0
    return command


def run_all(argv):
    args = experiment_parser("all").parse_args(argv)
    if args.resume:
        raise UserError("--resume takes one experiment's run folder, not all")
    profile, settings = settings_from(args, Config, PROFILES)
    from mnist_adversarial import experiment

    experiment.run_all(settings, args.out, args.seed, profile, args.networks)
    return 0


def classify(argv):
    parser = ArgumentParser(prog=f"{PROG} classify", description=HELP["classify"].strip())
    parser.add_argument("image", help="a PNG or JPEG of one digit (dark ink on paper, or MNIST's white on black)")
    parser.add_argument("--centre", action="store_true", help="first prepare it as MNIST's digits were")
    parser.add_argument("--out", default="runs", help="folder of run folders (default runs/)")
    add_networks(parser)
    args = parser.parse_args(argv)
    from mnist_adversarial import experiment, play

    image = play.read_image(args.image)
    nets = play.load(experiment.find_networks(args.out, args.networks))
    print(play.summary(nets.classify(image, centre=args.centre)))
    return 0


def bench(argv):
    parser = ArgumentParser(prog=f"{PROG} bench", description=HELP["bench"].strip())
    parser.add_argument("--count", type=int, default=1000, help="GA runs side by side (default 1000)")
    parser.add_argument("--serial", type=int, default=20, help="runs timed one at a time (default 20)")
    parser.add_argument("--digit", type=int, default=2, choices=range(10), metavar="0-9",
                        help="the digit to make (default 2)")
    parser.add_argument("--out", default="runs", help="folder of run folders (default runs/)")
    parser.add_argument("--seed", type=seed, default=0, help="seed of the GA's draws (default 0)")
    add_networks(parser)
    args = parser.parse_args(argv)
    if args.count < 1 or args.serial < 1:
        parser.error("--count and --serial must be at least 1")
    from mnist_adversarial import bench as timing, experiment

    networks = experiment.find_networks(args.out, args.networks, "full")
    print(json.dumps(timing.run(networks, args.count, args.serial, args.digit, args.seed)), flush=True)
    return 0


COMMANDS = {**{name: experiment_command(name) for name in EXPERIMENTS},
            "all": run_all, "seeds": seed_study.command(PROG, PLANS, default="networks"),
            "classify": classify, "bench": bench}
main = main_of(PROG, COMMANDS)

if __name__ == "__main__":
    sys.exit(main())
