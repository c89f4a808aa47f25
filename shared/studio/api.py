"""What a post's ``<post>/studio.py`` uses to add its tab to the studio.

A post's module defines ``TAB``, a :class:`Tab`: its key (the URL part, ``/api/<key>/...``),
the title on the page, the experiments whose runs it plays with (in the order it prefers
them: which run opens first is :meth:`shared.studio.app.Studio.default`), the command that makes such a run, and ``routes(studio)``, which returns
the tab's Starlette routes. Every tab has ``GET /api/<key>/info?run=NAME`` (what the
page needs to draw the tab, from :meth:`Tab.info`) and its own actions.

Parameters are checked here, on the server, whatever the page sent: each check raises
:class:`BadRequest` with one line, which the studio answers as ``400 {"error": line}``.
"""
import json
import math
from dataclasses import dataclass
from typing import Callable

from shared import UserError


class BadRequest(UserError):
    """A request the studio refuses: answered as ``{"error": message}`` with ``status``."""

    def __init__(self, message, status=400, **extra):
        super().__init__(message)
        self.status = status
        self.extra = extra


class TooLarge(Exception):
    """A request body above the studio's cap (413)."""


@dataclass
class Tab:
    key: str
    """The tab's name in URLs (``/api/<key>/...``) and in the page."""
    title: str
    """The tab's title on the page."""
    post: str
    """The post's package (its runs are under ``<runs>/<post>/``)."""
    experiments: tuple
    """The experiments whose complete runs the tab offers, in the order it prefers them."""
    make: str
    """The command that makes a run for this tab."""
    routes: Callable = None
    """``routes(studio) -> [Route]``: the tab's actions."""
    info: Callable = None
    """``info(studio, run) -> dict``: what the page needs for a run (beyond its name); optional."""
    about: str = ""
    """A line under the tab's title: what the post showed, what to try."""
    bench: Callable = None
    """``bench(run) -> (label, url, json)``: the tab's main action, timed by ``python -m shared.studio bench``."""
    broken: str = ""
    """Why the post's tab module could not be imported (the other tabs still work)."""


async def read_json(request):
    """The request's JSON object of parameters, read the same way by every action: an empty body is
    ``{}`` (every parameter at its default); the body cap is the studio's; anything else is a 400."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
        deep = too_deep(data)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the request body is not JSON") from None
    except RecursionError:  # [[[[...]]]] deeper than Python's parser goes
        deep = True
    if deep:
        raise BadRequest(f"the request body nests more than {MAX_DEPTH} levels deep: parameters are "
                         f"numbers, text, or lists of numbers")
    if not isinstance(data, dict):
        raise BadRequest("the request body is a JSON object of parameters")
    return data


MAX_DEPTH = 3
"""How deep a request body may nest: its object, a list in it (the digit's pixels), one more level."""


def too_deep(data, limit=MAX_DEPTH):
    """Whether JSON ``data`` nests deeper than ``limit`` lists and objects (counted without recursion)."""
    level = [data]
    for _ in range(limit):
        level = [child for value in level if isinstance(value, (list, dict))
                 for child in (value.values() if isinstance(value, dict) else value)]
    return any(isinstance(value, (list, dict)) for value in level)


def number(data, key, low, high, default=None):
    """``data[key]`` as a finite float in [low, high] (``default`` when absent)."""
    value = data.get(key, default)
    if value is None:
        raise BadRequest(f"{key} is missing: give a number from {low:g} to {high:g}")
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BadRequest(f"{key} must be a number, not {json.dumps(value)[:40]}")
    try:
        x = float(value)
    except ValueError:
        raise BadRequest(f"{key} must be a number, not {str(value)[:40]!r}") from None
    if not math.isfinite(x):
        raise BadRequest(f"{key} must be a finite number, not {value}")
    if not low <= x <= high:
        raise BadRequest(f"{key} must be between {low:g} and {high:g}, not {x:g}")
    return x


def integer(data, key, low, high, default=None):
    """``data[key]`` as a whole number in [low, high] (``default`` when absent)."""
    value = data.get(key, default)
    if value is None:
        raise BadRequest(f"{key} is missing: give a whole number from {low} to {high}")
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise BadRequest(f"{key} must be a whole number, not {value[:40]!r}") from None
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest(f"{key} must be a whole number, not {json.dumps(value)[:40]}")
    if not low <= value <= high:
        raise BadRequest(f"{key} must be between {low} and {high}, not {value}")
    return value


def text(data, key, max_length, default=None, empty=False):
    """``data[key]`` as a string of at most ``max_length`` characters (not empty unless ``empty``)."""
    value = data.get(key, default)
    if not isinstance(value, str):
        raise BadRequest(f"{key} must be text" + (" (it is missing)" if value is None else ""))
    if len(value) > max_length:
        raise BadRequest(f"{key} is {len(value)} characters long: at most {max_length}")
    if not value.strip() and not empty:
        raise BadRequest(f"{key} is empty: give some text")
    return value


def boolean(data, key, default=False):
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise BadRequest(f"{key} must be true or false, not {json.dumps(value)[:40]}")
    return value


def user_error(exc):
    """A post's own :class:`shared.UserError` (a bad seed text, say) as a 400."""
    return BadRequest(str(exc))
