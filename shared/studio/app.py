"""The studio's web application: ``create_app(runs_root)`` (Starlette).

One page (``static/index.html``) with a tab per post, each tab's actions contributed
by the post's own ``<post>/studio.py`` (its ``TAB``, see :mod:`shared.studio.api`),
and a Runs tab showing every run's report. The application:

- lists the runs under ``runs_root`` afresh on each request; a run is chosen by its
  NAME (``<post>/<experiment>/<folder>``), looked up in that listing, never by a path;
- keeps the models it loads, keyed by run name (and checkpoint), so that each loads once;
- answers every refused parameter with ``400 {"error": one line}``, an unknown run with
  404, a post without a complete run with 404 and the command that makes one, and a
  request body above ``max_body`` bytes with 413.
"""
import importlib
import sys
import threading
from dataclasses import dataclass
from html import escape
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from shared import UserError
from shared.runs import every_run, holds_network, is_complete, kept_runs, latest_run, profile_of
from shared.studio.api import BadRequest, Tab, TooLarge

STATIC = Path(__file__).resolve().parent / "static"
TAB_MODULES = ("addition.studio", "mnist_adversarial.studio", "joyce_lstm.studio", "dcgan.studio", "lyrics.studio")
"""The posts' tab modules, in the page's order."""
MAX_BODY = 64 * 1024
"""The largest request body accepted (a 784-pixel canvas as JSON is about 8 KiB)."""
FILE_SUFFIXES = {".png", ".gif", ".jpg", ".jpeg", ".md", ".json", ".csv", ".txt"}
"""What the Runs tab serves from a run folder (figures and the run's own text files)."""
LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1", "testserver"]


@dataclass(frozen=True)
class RunEntry:
    """One run folder in the listing."""
    name: str
    """``<post>/<experiment>/<folder>``: how the page names it."""
    path: Path
    post: str
    experiment: str
    profile: str
    complete: bool
    config: dict
    kept: bool = False
    """A post's full run kept with the suite (``<post>/docs/full/<experiment>/``), not under the runs folder."""
    playable: bool = True
    """Whether it holds a trained network (a kept run may keep only its figures and numbers)."""

    def public(self):
        return {"name": self.name, "post": self.post, "experiment": self.experiment,
                "profile": self.profile, "complete": self.complete, "folder": self.path.name,
                "kept": self.kept}


class Studio:
    """The runs under ``runs_root``, the tabs, and the cache of loaded models."""

    def __init__(self, runs_root, tabs, kept=True):
        self.root = Path(runs_root)
        self.kept = kept
        """Whether the posts' kept full runs are listed beside those under the root."""
        self.tabs = {tab.key: tab for tab in tabs}
        self._models = {}
        self._loading = {}
        self._lock = threading.Lock()
        self.loads = 0
        """How many models were loaded (a test checks that a second request loads none)."""

    # --- the listing -------------------------------------------------------------------------
    def listing(self):
        """Every run folder under the root (``<post>/<experiment>/<folder>/config.json``), newest first,
        then the posts' kept full runs (named ``<post>/<experiment>/kept``)."""
        entries = []
        for run, config in every_run(self.root):
            post, experiment = run.parent.parent.name, run.parent.name
            entries.append(RunEntry(f"{post}/{experiment}/{run.name}", run, post, experiment,
                                    str(profile_of(config)), is_complete(run), config))
        entries.sort(key=lambda e: e.path.name, reverse=True)
        if self.kept:
            for run, post, config in kept_runs():
                entries.append(RunEntry(f"{post}/{run.name}/kept", run, post, run.name, str(profile_of(config)),
                                        is_complete(run), config, kept=True, playable=holds_network(run)))
        return entries

    def runs_of(self, tab, experiments=None):
        """The complete runs with a network that a tab offers, its default experiment's first;
        within an experiment the newest first, the kept full run after those under the root."""
        experiments = tuple(experiments or tab.experiments)
        found = [e for e in self.listing() if e.complete and e.playable and e.post == tab.post
                 and e.experiment in experiments]
        return sorted(found, key=lambda e: experiments.index(e.experiment))  # stable: newest first within

    def no_run(self, tab):
        return BadRequest(f"no complete {tab.post} run under {self.root}; make one with `{tab.make}`",
                          status=404, make=tab.make)

    def run(self, tab, name=None, experiments=None, prefer_profile=None):
        """The run named ``name`` among the tab's complete runs (default: :meth:`default`; of profile
        ``prefer_profile`` when its first experiment has one)."""
        runs = self.runs_of(tab, experiments)
        if name in (None, ""):
            if not runs:
                raise self.no_run(tab)
            preferred = [e for e in runs if e.experiment == runs[0].experiment and e.profile == prefer_profile]
            return preferred[0] if preferred else self.default(runs, tab.post, experiments or tab.experiments)
        check_name(name)
        for entry in runs:
            if entry.name == name:
                return entry
        raise BadRequest(f"unknown run {name!r}: choose one of the {tab.post} runs listed "
                         f"({len(runs)} complete under {self.root}{', or kept' if self.kept else ''})",
                         status=404)

    def default(self, runs, post, experiments):
        """Which of ``runs`` (complete, in the order of :meth:`runs_of`) a page opens with: of the
        first of ``experiments`` that has a full run, one's own newest full run, else the post's kept
        one; with no full run at all, the suite's "latest complete run" of the first experiment that
        has one. A quick or tiny run of one's own is offered, never put before the post's own network."""
        for experiment in experiments:
            full = [e for e in runs if e.experiment == experiment and e.profile == "full"]
            own = [e for e in full if not e.kept]
            if own:
                return max(own, key=lambda e: e.path.name)  # run folders are named by their UTC start
            if full:
                return full[0]
        for experiment in experiments:
            latest = latest_run(self.root, post, experiment)
            if latest is not None:
                return next((e for e in runs if e.path == latest), runs[0])
        return runs[0]

    def entry(self, name):
        """Any run in the listing (complete or not) by name: for the Runs tab."""
        check_name(name)
        for entry in self.listing():
            if entry.name == name:
                return entry
        raise BadRequest(f"unknown run {name!r}: choose one from the list of runs", status=404)

    def latest(self, post, experiment):
        """The complete run of ``post``'s ``experiment`` whose figures a page shows, chosen as a
        tab's network is (:meth:`default`), or None."""
        runs = [e for e in self.listing() if e.post == post and e.experiment == experiment and e.complete]
        return self.default(runs, post, (experiment,)) if runs else None

    # --- models ------------------------------------------------------------------------------
    async def model(self, key, loader):
        """The object ``loader()`` makes for ``key`` (a run name, with a checkpoint), made once."""
        return await run_in_threadpool(self._model, key, loader)

    def _model(self, key, loader):
        with self._lock:
            if key in self._models:
                return self._models[key]
            lock = self._loading.setdefault(key, threading.Lock())
        with lock:  # one load per key; others wait for it
            with self._lock:
                if key in self._models:
                    return self._models[key]
            try:
                value = loader()
            except UserError as exc:
                raise BadRequest(str(exc)) from None
            with self._lock:
                self._models[key] = value
                self.loads += 1
            return value

    @staticmethod
    async def work(fn, *args, **kwargs):
        """``fn(*args)`` in a worker thread (inference is CPU work); a post's UserError is a 400."""
        try:
            return await run_in_threadpool(fn, *args, **kwargs)
        except BadRequest:
            raise
        except UserError as exc:
            raise BadRequest(str(exc)) from None

    @staticmethod
    def file_url(entry, path):
        """The URL of a file of a run (a figure), as the Runs tab serves it."""
        return f"/api/runs/file?run={quote(entry.name, safe='')}&path={quote(str(path), safe='/')}"


def check_name(name):
    """A run is named, never given as a path: no ``..``, no absolute path, no backslash."""
    if not isinstance(name, str):
        raise BadRequest("run must be a run's name from the list")
    if len(name) > 300 or name.startswith(("/", "~")) or "\\" in name or "\0" in name \
            or any(part in ("..", ".") for part in name.split("/")):
        raise BadRequest(f"run must be a run's name from the list, not a path: {name[:80]!r}")
    return name


# --- the body cap --------------------------------------------------------------------------------
class BodyCap:
    """ASGI middleware: a request body above ``limit`` bytes is answered 413, declared or streamed."""

    def __init__(self, app, limit=MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = self.limit + 1
            if declared > self.limit:
                return await too_large(self.limit)(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise TooLarge()
            return message

        await self.app(scope, counted, send)


def too_large(limit):
    return JSONResponse({"error": f"the request body is larger than {limit // 1024} KiB"}, status_code=413)


class Headers:
    """ASGI middleware: a content security policy (nothing from elsewhere) and no sniffing."""
    POLICY = ("default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; "
              "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'")

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def sending(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    (b"content-security-policy", self.POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer")]
            await send(message)

        await self.app(scope, receive, sending)


# --- the generic routes --------------------------------------------------------------------------
def load_tabs(modules=TAB_MODULES):
    """Each post's ``TAB``; a module that cannot be imported gives a tab that says why (one line)."""
    tabs = []
    for name in modules:
        try:
            tabs.append(importlib.import_module(name).TAB)
        except Exception as exc:  # noqa: BLE001 - a post being edited must not take the others down
            post = name.split(".")[0]
            line = f"{name} could not be imported ({type(exc).__name__}: {exc})"
            print(f"warning: {line}", file=sys.stderr)
            tabs.append(Tab(key=post, title=post, post=post, experiments=(), make="", broken=line))
    return tabs


def generic_routes(studio):
    async def index(request):
        return FileResponse(STATIC / "index.html", headers={"cache-control": "no-store"})

    async def report_css(request):
        from shared.report_html import VERDICT_CSS

        return Response(VERDICT_CSS, media_type="text/css")

    async def tabs(request):
        out = []
        for tab in studio.tabs.values():
            runs = studio.runs_of(tab)
            out.append({"key": tab.key, "title": tab.title, "post": tab.post, "about": tab.about,
                        "make": tab.make, "runs": [e.name for e in runs],
                        "default": studio.run(tab).name if runs else None, "broken": tab.broken or None})
        return JSONResponse({"root": str(studio.root), "tabs": out})

    def info_route(tab):
        async def info(request):
            if tab.broken:
                raise BadRequest(tab.broken, status=503)
            entry = studio.run(tab, request.query_params.get("run"))
            runs = studio.runs_of(tab)
            body = {"run": entry.name, "profile": entry.profile, "experiment": entry.experiment,
                    "runs": [e.public() for e in runs], "make": tab.make}
            if tab.info is not None:
                body.update(await studio.work(tab.info, studio, entry))
            return JSONResponse(body)
        return Route(f"/api/{tab.key}/info", info)

    async def all_runs(request):
        return JSONResponse({"root": str(studio.root), "runs": [e.public() for e in studio.listing()]})

    async def report(request):
        from shared.report_html import render

        entry = studio.entry(request.query_params.get("run"))
        path = entry.path / "report.md"
        files = run_files(entry)
        if path.is_file():
            html = await run_in_threadpool(render, path.read_text(errors="replace"),
                                           lambda url: studio.file_url(entry, url))
        else:
            command = escape(f"python -m {entry.post} {entry.experiment} --resume {entry.path}")
            html = f"<p>No report.md yet: the run is not finished. Resume it with <code>{command}</code>.</p>"
        figures = [studio.file_url(entry, f) for f in files if f.endswith((".png", ".gif", ".jpg"))]
        return JSONResponse({**entry.public(), "html": html, "figures": figures,
                             "files": {f: studio.file_url(entry, f) for f in files}})

    async def serve_file(request):
        entry = studio.entry(request.query_params.get("run"))
        rel = request.query_params.get("path") or ""
        path = run_file(entry, rel)
        if path is None:
            raise BadRequest(f"{rel[:80]!r} is not a file of the run {entry.name} that can be shown", status=404)
        return FileResponse(path)

    return ([Route("/", index), Route("/report.css", report_css), Route("/api/tabs", tabs),
             Route("/api/runs", all_runs),
             Route("/api/runs/report", report), Route("/api/runs/file", serve_file)]
            + [info_route(tab) for tab in studio.tabs.values()])


def run_file(entry, rel, depth=3):
    """The file ``rel`` (a POSIX path relative to the run) if the Runs tab may serve it: inside the
    run folder, at most ``depth`` parts, nothing hidden, a figure or one of the run's text files."""
    parts = PurePosixPath(rel).parts if isinstance(rel, str) and rel else ()
    if not parts or len(parts) > depth or rel.startswith("/") or "\\" in rel \
            or any(p.startswith(".") for p in parts) or PurePosixPath(rel).suffix.lower() not in FILE_SUFFIXES:
        return None
    path = entry.path.joinpath(*parts)
    base = entry.path.resolve()
    if not path.is_file() or not path.resolve().is_relative_to(base):
        return None
    return path


def run_files(entry):
    """What the Runs tab lists of a run: its own files and its figures (not every image it holds)."""
    found = [p for p in entry.path.iterdir() if p.is_file()]
    if (entry.path / "figures").is_dir():
        found += [p for p in (entry.path / "figures").iterdir() if p.is_file()]
    rels = sorted(p.relative_to(entry.path).as_posix() for p in found)
    return [rel for rel in rels if run_file(entry, rel) is not None]


# --- errors --------------------------------------------------------------------------------------
async def bad_request(request, exc):
    return JSONResponse({"error": str(exc), **exc.extra}, status_code=exc.status)


async def user_error(request, exc):
    return JSONResponse({"error": str(exc)}, status_code=400)


async def body_too_large(request, exc):
    return too_large(MAX_BODY)


async def server_error(request, exc):
    return JSONResponse({"error": f"the studio failed: {type(exc).__name__}: {exc}"[:300]}, status_code=500)


def create_app(runs_root="runs", tabs=None, max_body=MAX_BODY, hosts=None, kept=True):
    """The studio for the runs under ``runs_root`` and (``kept``) the posts' kept full runs;
    ``tabs`` (default: every post's ``TAB``).

    ``hosts``: the host names the page may be asked for (besides 127.0.0.1 and localhost),
    so that another site's page cannot reach the studio through a renamed address.
    """
    studio = Studio(runs_root, load_tabs() if tabs is None else tabs, kept=kept)
    routes = generic_routes(studio)
    for tab in studio.tabs.values():
        routes += tab.routes(studio) if tab.routes and not tab.broken else []
    routes.append(Mount("/static", StaticFiles(directory=STATIC), name="static"))
    app = Starlette(
        routes=routes,
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=LOCAL_HOSTS + list(hosts or [])),
                    Middleware(Headers), Middleware(BodyCap, limit=max_body)],
        exception_handlers={BadRequest: bad_request, UserError: user_error, TooLarge: body_too_large,
                            Exception: server_error})
    app.state.studio = studio
    return app
