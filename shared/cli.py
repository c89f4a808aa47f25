"""Command-line conventions shared by every post."""
import argparse
import functools
import sys

from shared import UserError


class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports mistakes as a single ``error:`` line and exit 2."""

    def error(self, message):
        raise UserError(f"{message} (see `{self.prog} --help`)")


def add_run_arguments(parser, profiles, default_profile="quick"):
    """The arguments every post's training command takes."""
    parser.add_argument("--profile", default=default_profile, metavar="|".join(profiles),
                        help=f"settings to use (default {default_profile}); 'full' is the post's own")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", default="runs", help="folder for run folders (default runs/)")
    parser.add_argument("--resume", metavar="RUN_DIR",
                        help="continue an interrupted run from its last checkpoint")


def check_profile(name, profiles):
    if name not in profiles:
        raise UserError(f"unknown profile {name!r}: choose one of {', '.join(profiles)}")
    return profiles[name]


def guarded(main):
    """Wrap a command's main(): user errors print one line and exit 2."""

    @functools.wraps(main)
    def wrapper(argv=None):
        try:
            return main(argv)
        except UserError as exc:
            print(f"error: {exc}", file=sys.stderr)
            sys.exit(2)

    return wrapper


def log(message):
    """A plain progress line on stderr (stdout stays for results)."""
    print(message, file=sys.stderr, flush=True)
