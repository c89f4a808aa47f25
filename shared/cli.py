"""Command-line conventions shared by every post.

Every post dispatches the same way: ``python -m <post> [command] [options]``,
where the command defaults to the post's main experiment. The same things have
the same option names everywhere: ``--profile``, ``--seed`` (a run's seed),
``--out`` (the folder of run folders), ``--resume RUN_DIR``, ``--run RUN_DIR``
(a finished run to use), ``--random-seed`` (the draws of sampling or generating),
``--seed-text``.
"""
import argparse
import functools
import signal
import sys
import threading

from shared import UserError

SEED_MAX = 2 ** 32 - 1


class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports mistakes as a single ``error:`` line and exit 2."""

    def error(self, message):
        raise UserError(f"{message} (see `{self.prog} --help`)")


def seed(text):
    """A seed: a whole number from 0 to 2³² − 1 (what NumPy and Keras accept)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a seed is a whole number, not {text!r}") from None
    if not 0 <= value <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"a seed is between 0 and {SEED_MAX}, not {value}")
    return value


def add_run_arguments(parser, profiles, default_profile="quick",
                      resume_help="continue an interrupted run from its last checkpoint"):
    """The arguments every post's training command takes."""
    parser.add_argument("--profile", default=None, metavar="|".join(profiles),
                        help=f"settings to use (default {default_profile}); 'full' is the post's own")
    parser.set_defaults(default_profile=default_profile)
    parser.add_argument("--seed", type=seed, default=0, help="random seed (default 0)")
    parser.add_argument("--out", default="runs", help="folder for run folders (default runs/)")
    parser.add_argument("--resume", metavar="RUN_DIR", help=resume_help)


def asked_profile(args, given_settings=()):
    """The profile a command asked for; with ``--resume`` none may be given (the run has its own)."""
    if args.resume:
        extra = ["--profile"] if args.profile else []
        extra += ["--" + name.replace("_", "-") for name in given_settings]
        if extra:
            raise UserError(f"{', '.join(extra)} cannot be given with --resume: a run keeps its own settings")
        return None
    return args.profile or args.default_profile


def settings_parser(prog, description, settings_class, profiles, default_profile="quick", skip=(), **run_arguments):
    """A training command's parser: ``--profile --seed --out --resume`` and an option per setting."""
    from shared.config import add_options

    parser = ArgumentParser(prog=prog, description=description)
    add_run_arguments(parser, profiles, default_profile, **run_arguments)
    add_options(parser, settings_class, skip=skip)
    return parser


def settings_from(args, settings_class, profiles):
    """(profile, settings) from a :func:`settings_parser`'s arguments; (None, None) with ``--resume``."""
    from shared.config import given, resolve

    overrides = given(args, settings_class)
    profile = asked_profile(args, overrides)
    if profile is None:
        return None, None
    return profile, resolve(profiles, profile, overrides)


def add_random_seed(parser):
    parser.add_argument("--random-seed", type=seed, default=0, metavar="S",
                        help="seed of the random draws (default 0)")


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, or a batch system ending a job), taken as Ctrl-C is: a run's folder keeps
    its last finished epoch, and the command that continues it is printed."""


_pending = []
"""The stop a signal asked for and no callback has raised yet (see :func:`raise_pending`)."""


def _stop(stop):
    _pending[:] = [type(stop)]
    raise stop


def _terminate(signum, frame):
    _stop(Terminated())


def _interrupt(signum, frame):
    _stop(KeyboardInterrupt())


def raise_pending():
    """Raise again the Ctrl-C or SIGTERM that came while C++ code waited on a result and was lost there.

    Under JAX a training step mostly ends in ``np.array(x)`` on the step's results, and a signal's
    exception raised while XLA's code waits there never reaches Python: ``fit`` would go on.
    :class:`shared.training.StopOnSignal` calls this after every training batch."""
    if _pending:
        raise _pending.pop()()


def interruption(exc):
    """The Ctrl-C or SIGTERM behind ``exc``: ``exc`` itself, or the one that came while a C function
    ran (NumPy's, say), which then surfaces as a ``SystemError`` whose context it is; else None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def guarded(main):
    """Wrap a command's main(): user errors (a ``KERAS_BACKEND`` the suite does not run on among them)
    print one line and exit 2; Ctrl-C exits 130, SIGTERM 143."""
    from shared.runtime import check_backend

    @functools.wraps(main)
    def wrapper(argv=None):
        in_main_thread = threading.current_thread() is threading.main_thread()
        if in_main_thread:
            previous = signal.signal(signal.SIGTERM, _terminate)
            # Ctrl-C is taken over only where Python's own handler has it (not where it is ignored).
            ctrl_c = signal.getsignal(signal.SIGINT)
            if ctrl_c is signal.default_int_handler:
                signal.signal(signal.SIGINT, _interrupt)
        try:
            check_backend()
            return main(argv)
        except UserError as exc:
            print(f"error: {exc}", file=sys.stderr)
            sys.exit(2)
        except (KeyboardInterrupt, SystemError) as exc:
            stop = interruption(exc)
            if stop is None:
                raise
            sys.exit(128 + (signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT))
        finally:
            _pending.clear()
            if in_main_thread:
                signal.signal(signal.SIGTERM, previous)
                signal.signal(signal.SIGINT, ctrl_c)

    return wrapper


def dispatch(prog, commands, default, argv=None):
    """Run ``commands[name](rest)`` for ``python -m <post> [name] rest``; ``default`` when no name is given.

    ``commands`` maps each command's name to a function of its remaining arguments
    that returns an exit status.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and not argv[0].startswith("-"):
        name, rest = argv[0], argv[1:]
        if name not in commands:
            raise UserError(f"unknown command {name!r}: choose one of {', '.join(commands)}")
        return commands[name](rest)
    asks_help = argv[:1] in (["-h"], ["--help"])
    if default is None:
        if asks_help:
            print(f"usage: {prog} COMMAND [options]\ncommands: {', '.join(commands)}\n"
                  f"`{prog} COMMAND --help` tells more")
            return 0
        raise UserError(f"give a command: one of {', '.join(commands)}")
    if asks_help:  # the default command's help, after the list of the others
        others = ", ".join(name for name in commands if name != default)
        print(f"usage: {prog} [COMMAND] [options]\ncommands: {default} (the default), {others}\n"
              f"`{prog} COMMAND --help` tells more; the default's options follow.\n")
    return commands[default](argv)


def main_of(prog, commands, default=None):
    """A post's ``main(argv=None)``: :func:`dispatch` with user errors as one line."""

    @guarded
    def main(argv=None):
        return dispatch(prog, commands, default, argv)

    return main


def log(message):
    """A plain progress line on stderr (stdout stays for results)."""
    print(message, file=sys.stderr, flush=True)
