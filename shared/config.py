"""Settings as dataclasses, and the command-line options made from them.

Each post's ``config.py`` holds a dataclass whose fields are the post's settings,
each followed by a one-line docstring, with the post's own values as defaults::

    @dataclass(frozen=True)
    class Config:
        hidden_nodes: int = 2
        \"\"\"Nodes in the hidden layer.\"\"\"

    FULL = Config()
    PROFILES = {"full": FULL, "quick": replace(FULL, ...), "tiny": replace(FULL, ...)}

:func:`add_options` turns the fields into ``--hidden-nodes``-style options (the
docstring is the help text), and :func:`resolve` starts from the chosen profile
and replaces the fields given on the command line. A field has one type:
``int``, ``float``, ``str``, ``bool``, ``Literal[...]``, ``tuple[int, ...]`` (and
the like), or any of these ``| None``.
"""
import argparse
import ast
import dataclasses
import functools
import inspect
import textwrap
import types
import typing

from shared import UserError


@functools.cache
def field_docs(cls):
    """``{field: docstring}`` from the string literal under each field of a dataclass (and its bases)."""
    docs = {}
    for klass in reversed(cls.__mro__):
        if not dataclasses.is_dataclass(klass):
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        except (OSError, TypeError):  # pragma: no cover - classes made at run time
            continue
        body = tree.body[0].body
        for node, after in zip(body, body[1:]):
            if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                    and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)):
                docs[node.target.id] = " ".join(after.value.value.split())
    return docs


def _kind(annotation):
    """(base type, is a tuple, choices) of a field's annotation; ``| None`` is dropped."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) != 1:
            raise TypeError(f"a setting has one type, not {annotation}")
        return _kind(rest[0])
    if origin is typing.Literal:
        return type(args[0]), False, args
    if origin is tuple:
        return args[0], True, None
    return annotation, False, None


def option(name):
    return "--" + name.replace("_", "-")


def _number(kind, name):
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{option(name)} takes a {kind.__name__}, not {text!r}") from None
        if kind is float and not value == value or value in (float("inf"), float("-inf")):
            raise argparse.ArgumentTypeError(f"{option(name)} takes a finite number, not {text!r}")
        return value

    parse.__name__ = kind.__name__
    return parse


def add_options(parser, cls, skip=(), only=None):
    """Add an option for each field of the dataclass ``cls`` (default: not given)."""
    docs = field_docs(cls)
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.name in skip or (only is not None and f.name not in only) or not f.init:
            continue
        kind, many, choices = _kind(hints[f.name])
        help_text = docs.get(f.name, "")
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        shown = " ".join(map(str, default)) if isinstance(default, tuple) else default
        help_text += f" (the post: {shown})"
        kwargs = {"default": None, "help": help_text, "dest": f.name}
        if kind is bool:
            parser.add_argument(option(f.name), action=argparse.BooleanOptionalAction, **kwargs)
            continue
        if choices:
            kwargs["choices"] = choices
        kwargs["type"] = _number(kind, f.name) if kind in (int, float) else kind
        if many:
            kwargs["nargs"] = "+"
        kwargs["metavar"] = f.name.upper() if not choices else None
        parser.add_argument(option(f.name), **kwargs)
    return parser


def given(args, cls):
    """The fields of ``cls`` that the command line set, as a dict."""
    return {f.name: (tuple(v) if isinstance(v, list) else v)
            for f in dataclasses.fields(cls)
            if (v := getattr(args, f.name, None)) is not None}


def resolve(profiles, profile, overrides=None):
    """The profile's settings with ``overrides`` replaced, checked by the class's ``check()``."""
    if profile not in profiles:
        raise UserError(f"unknown profile {profile!r}: choose one of {', '.join(profiles)}")
    settings = dataclasses.replace(profiles[profile], **(overrides or {}))
    check = getattr(settings, "check", None)
    if check is not None:
        check()
    return settings


def profile_name(profiles, settings, default=None):
    """The name of the profile that ``settings`` equal (``default`` when none does): settings made
    in Python are recorded, and judged, as the profile they are."""
    return next((name for name, values in profiles.items() if values == settings), default)


def to_dict(settings):
    """A dataclass of settings as plain JSON-ready values (tuples become lists)."""
    return dataclasses.asdict(settings)


def from_dict(cls, values):
    """Settings back from :func:`to_dict` (a run's config.json); unknown keys are an error."""
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - names)
    if unknown:
        raise UserError(f"settings {', '.join(unknown)} are not settings of {cls.__name__}")
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})
