"""One run, one folder.

``<out>/<post>/<experiment>/<UTC time>-seed<N>/`` holds ``config.json`` (every
resolved setting, versions, backend, git commit), then whatever the post writes:
``history.csv``, ``checkpoints/``, ``figures/``, ``results.json`` (measured
figures only, so the same seed gives the same file), ``timings.json`` and
``report.md``. A new run never reuses an existing folder.

The lifecycle, the same for every post::

    run = runs.start(POST, EXPERIMENT, settings, seed, out, profile)   # or runs.resume(run_dir, ...)
    with run:                        # the folder is locked while it is written
        ...                          # train, measure, draw
        run.finish(results, claim_rows, report_text, timings)   # results.json last: complete

A run is complete when its results.json exists and parses; a file that is missing
or does not parse is reported as damage, in one line.
"""
import contextlib
import dataclasses
import datetime
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shared import UserError
from shared.paths import probe_write

REPO = Path(__file__).resolve().parent.parent


def git_commit():
    try:
        out = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    commit = out.stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return commit + ("-dirty" if dirty else "")


def write_json(path, obj):
    """Write JSON atomically: a reader sees the old file or the new one, never half."""
    write_text(path, json.dumps(obj, indent=2, sort_keys=True, default=_jsonable) + "\n")


def usual_mode(path):
    """Give a file made by mkstemp (0600) the permissions a plain open() would (umask)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def write_text(path, text):
    with atomic_path(path) as tmp:
        tmp.write_text(text)


def _jsonable(value):
    import numpy as np

    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def read_json(path):
    with open(path) as fh:
        return json.load(fh)


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary name beside ``path``; on success it replaces ``path``, else it is removed.

    For writers that want a file name (``savefig``, ``np.savez``, ``model.save``):
    a reader sees the old file or the new one, never half of one, and the file
    gets the permissions a plain ``open()`` would give it.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=f"-{path.name}")  # keeps .weights.h5 and the like
    os.close(fd)
    try:
        yield Path(tmp)
        usual_mode(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def save_model(model, path):
    """``model.save(path)`` (a ``.keras`` file), whole or not at all."""
    with atomic_path(path) as tmp:
        model.save(str(tmp))


def save_weights(model, path):
    """``model.save_weights(path)``, whole or not at all. (:func:`atomic_path`'s temporary
    names end in ``.tmp.h5``, and Keras wants a weights file's name to end in ``.weights.h5``.)"""
    path = Path(path)
    tmp = path.with_name(f".{os.getpid()}.{path.name}")
    try:
        model.save_weights(str(tmp))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def damaged(run_dir, name, why):
    """The one line for a run folder whose file ``name`` is missing or unreadable."""
    return UserError(f"{run_dir} is damaged: {name} {why}; rerun it, or resume it with --resume {run_dir}")


def read_run_json(run_dir, name):
    """A JSON file of a run folder; a missing or unreadable one is reported as damage."""
    path = Path(run_dir) / name
    try:
        return read_json(path)
    except FileNotFoundError:
        raise damaged(run_dir, name, "is missing") from None
    except (OSError, ValueError) as exc:
        raise damaged(run_dir, name, f"cannot be read ({type(exc).__name__})") from None


def is_complete(run_dir):
    """A run is complete when its results.json, written last, exists and parses."""
    try:
        read_json(Path(run_dir) / "results.json")
        return True
    except (OSError, ValueError):
        return False


def check_writable(out):
    """Fail early, with one line, when ``--out`` cannot hold runs."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe_write(out)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UserError(f"cannot write run folders under --out {out}: {reason}; "
                        "choose a folder you can write to") from None
    return out


def of_seed(folders, seed):
    """The run folders of ``seed`` among ``folders``, as :func:`create_run` names them:
    ``<UTC start>-seed<seed>``, with ``-<n>`` when two began in one second."""
    return [path for path in folders if re.fullmatch(rf"\d{{8}}T\d{{6}}Z-seed{seed}(-\d+)?", path.name)]


def run_name(config):
    """The name ``create_run`` gave a run's folder, from its config.json: a report titled with it keeps
    its title when the folder is moved or renamed (as the kept runs under ``docs/full/`` are)."""
    return f"{config['created_utc']}-seed{config['seed']}"


def create_run(out, post, experiment, seed, settings, backend=None, extra=None, profile=None):
    """Make a fresh run folder and write its config.json (with ``extra`` fields); return its path."""
    from shared.runtime import versions

    base = check_writable(Path(out) / post / experiment)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    name = f"{stamp}-seed{seed}"
    for i in range(1000):
        candidate = base / (name if i == 0 else f"{name}-{i}")
        try:
            candidate.mkdir()
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - a thousand runs in one second
        raise UserError(f"could not find a free run folder name under {base}")
    if dataclasses.is_dataclass(settings):
        settings = dataclasses.asdict(settings)
    config = {
        "post": post,
        "experiment": experiment,
        "profile": profile,
        "seed": seed,
        "settings": settings,
        "backend": backend or os.environ.get("KERAS_BACKEND", "tensorflow"),
        "versions": versions(),
        "git_commit": git_commit(),
        "created_utc": stamp,
        **(extra or {}),
    }
    write_json(candidate / "config.json", config)
    return candidate


def open_run(run_dir, post, experiment=None, write=True):
    """Check that ``run_dir`` is a run of ``post`` and return (path, config)."""
    path = Path(run_dir)
    if not path.is_dir():
        raise UserError(f"{path} is not a folder: give a run folder made by `python -m {post}`")
    if not (path / "config.json").exists():
        raise UserError(f"{path} is not a run folder (it has no config.json): "
                        f"give a folder made by `python -m {post}`")
    config = read_run_json(path, "config.json")
    if not isinstance(config, dict) or "post" not in config:
        raise damaged(path, "config.json", "is not a run's config")
    if config.get("post") != post or (experiment and config.get("experiment") != experiment):
        found = f"{config.get('post')}/{config.get('experiment')}"
        raise UserError(f"{path} is a run of {found}, not of {post}"
                        + (f"/{experiment}" if experiment else ""))
    if write and not os.access(path, os.W_OK):
        raise UserError(f"cannot write to the run folder {path}")
    return path, config


def load(run_dir, post, experiment=None):
    """A complete run's (path, config, results): what a report, a sampler or a page reads."""
    path, config = open_run(run_dir, post, experiment, write=False)
    if not (path / "results.json").exists():
        raise UserError(f"{path} is not complete: finish it with "
                        f"`python -m {post} {config.get('experiment')} --resume {path}`")
    return path, config, read_run_json(path, "results.json")


def run_configs(config_paths):
    """``(run folder, config)`` for each of ``config_paths`` that reads as a run's config.json."""
    found = []
    for config_path in config_paths:
        try:
            config = read_json(config_path)
        except (OSError, ValueError):
            continue
        if isinstance(config, dict):
            found.append((config_path.parent, config))
    return found


def every_run(root):
    """``(path, config)`` of every run folder under ``root`` (``<post>/<experiment>/<folder>``)
    whose config.json reads, in the order of their paths."""
    return run_configs(sorted(Path(root).glob("*/*/*/config.json")))


def kept_runs(repo=REPO):
    """``(path, post, config)`` of every post's full run kept with the suite,
    ``<post>/docs/full/<experiment>/`` with a config.json, in the order of their paths."""
    return [(path, path.parents[2].name, config)
            for path, config in run_configs(sorted(Path(repo).glob("*/docs/full/*/config.json")))]


def kept(post, *experiments):
    """The first of ``post``'s kept full runs (``<post>/docs/full/<experiment>/``, in the order
    given) that holds a trained network: what a post's ``play.load()`` opens with no run folder."""
    for experiment in experiments:
        path = REPO / post / "docs" / "full" / experiment
        if (path / "config.json").is_file() and holds_network(path):
            return path
    raise UserError(f"the suite keeps no trained {post} network ({' or '.join(experiments)}) in this checkout: "
                    f"give a run folder, or train one with `python -m {post} {experiments[0]} --profile quick`")


def holds_network(run_dir):
    """Whether a run folder keeps a trained network (a ``.keras`` or ``.weights.h5`` file)."""
    return any(True for pattern in ("*.keras", "*.weights.h5") for _ in Path(run_dir).rglob(pattern))


def profile_of(config):
    """A run's profile from its config.json (older runs kept it among the settings); "custom" for a
    run made from Python with settings of one's own, which has none."""
    return config.get("profile") or (config.get("settings") or {}).get("profile") or "custom"


def latest_run(out, post, experiment, complete=True):
    """The newest run folder of a post's experiment (a complete one if ``complete``)."""
    base = Path(out) / post / experiment
    if not base.is_dir():
        return None
    runs = sorted(p for p in base.iterdir()
                  if (p / "config.json").is_file() and (not complete or is_complete(p)))
    return runs[-1] if runs else None


class Lock:
    """A run folder being written holds ``.lock`` naming the process; a second writer is refused.

    A lock whose process has ended (killed, say) is stale and taken over.
    """

    def __init__(self, run_dir):
        self.path = Path(run_dir) / ".lock"
        self.held = False

    def acquire(self):
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if self._stale():
                    self.path.unlink(missing_ok=True)
                    continue
                raise UserError(f"{self.path.parent} is in use by process {self._owner()}: "
                                "wait for it to end, or stop it first") from None
            with os.fdopen(fd, "w") as fh:
                fh.write(f"{os.getpid()} {socket.gethostname()}\n")
            self.held = True
            return self
        raise UserError(f"could not lock {self.path.parent}")  # pragma: no cover

    def _owner(self):
        try:
            pid, host = self.path.read_text().split()
            return int(pid), host
        except (OSError, ValueError):
            return None, None

    def _stale(self):
        pid, host = self._owner()
        if pid is None or host != socket.gethostname():
            return pid is None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False

    def release(self):
        if self.held:
            self.path.unlink(missing_ok=True)
            self.held = False

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


@dataclasses.dataclass
class Run:
    """A run folder being written: made by :func:`start` or reopened by :func:`resume`.

    Use it as a context manager: the folder is locked while the block runs, and an
    interruption (Ctrl-C) prints the command that resumes it.
    """
    path: Path
    config: dict
    resumed: bool = False
    redrawn: bool = False
    """A finished run drawn again (``report --run``): its timings.json is the run's and stays as it is."""
    started: float = dataclasses.field(default_factory=time.perf_counter)

    @property
    def settings(self):
        return self.config["settings"]

    @property
    def seed(self):
        return self.config["seed"]

    @property
    def resume_command(self):
        return f"python -m {self.config['post']} {self.config['experiment']} --resume {self.path}"

    def __enter__(self):
        self._lock = Lock(self.path).acquire()
        return self

    def __exit__(self, kind, exc, tb):
        self._lock.release()
        from shared.cli import interruption

        if interruption(exc) is not None:  # Ctrl-C, or SIGTERM (shared.cli)
            print(f"\ninterrupted; continue with: {self.resume_command}", file=sys.stderr)

    def finish(self, results, rows, report, timings=None):
        """Write the end of a run in one layout: timings.json, report.md, then results.json
        (with each claim's verdict) last, since a run is complete when results.json exists.
        A redrawn run keeps its timings.json: the seconds there are the run's, not the redraw's."""
        results = dict(results)
        results["claims"] = {r["key"]: {"ours": r["ours"], "verdict": r["verdict"]} for r in rows}
        if not self.redrawn:
            old = read_json(self.path / "timings.json") if (self.path / "timings.json").exists() else {}
            timings = {**old, **(timings or {}), "finish_seconds": time.perf_counter() - self.started}
            write_json(self.path / "timings.json", timings)
        write_text(self.path / "report.md", report)
        write_json(self.path / "results.json", results)
        return results


def start(post, experiment, settings, seed, out, profile, extra=None):
    """A new run: check ``--out``, set up Keras, make the folder and its config.json (seeding is the caller's)."""
    from shared import runtime
    from shared.cli import log

    check_writable(out)
    backend = runtime.setup()
    path = create_run(out, post, experiment, seed, settings, backend, extra, profile)
    log(f"run folder: {path}")
    return Run(path, read_json(path / "config.json"))


def resume(run_dir, post, experiment):
    """``--resume``'s run, or None (said on stdout) when it is already complete."""
    from shared import runtime
    from shared.cli import log

    path, config = open_run(run_dir, post, experiment)
    if is_complete(path):
        print(f"{path} is already complete; its report is {path / 'report.md'}")
        return None
    if (path / "results.json").exists():
        log(f"{path / 'results.json'} is damaged: finishing the run again")
    log(f"resuming {path} (profile {config.get('profile')}, seed {config['seed']})")
    runtime.setup()
    return Run(path, config, resumed=True)


def record_epoch_times(run_dir, first_epoch, train_seconds, sample_seconds):
    """Add epochs (numbered from ``first_epoch``) to ``epoch_times.json``: seconds of training
    and of the per-epoch samples, which :func:`update_timings` reads. Called after every epoch,
    so that a session that is killed keeps the times of the epochs it finished."""
    path = Path(run_dir) / "epoch_times.json"
    times = read_json(path) if path.exists() else {}
    for i, (t, s) in enumerate(zip(train_seconds, sample_seconds)):
        times[str(first_epoch + i)] = {"train": t, "sample": s}
    write_json(path, times)


def update_timings(run_dir, started, train_seconds=None, keep_epochs=False):
    """The run's timings brought up to date, for :meth:`Run.finish` to write: mean seconds per
    epoch (training and sampling) from ``epoch_times.json``, training seconds summed over
    sessions, and the report's own time since ``started`` (a ``time.perf_counter()`` value).

    Where ``epoch_times.json`` exists, the training seconds are its sum: every epoch of every
    session, killed ones included (a session's own ``train_seconds`` is lost when it is killed)."""
    run_dir = Path(run_dir)
    path = run_dir / "timings.json"
    timings = read_json(path) if path.exists() else {}
    epochs_path = run_dir / "epoch_times.json"
    epoch_times = read_json(epochs_path) if epochs_path.exists() else {}
    if epoch_times:
        per = [v["train"] + v["sample"] for v in epoch_times.values()]
        timings["seconds_per_epoch"] = sum(per) / len(per)
        timings["train_seconds"] = sum(per)
        if keep_epochs:
            timings["epochs"] = epoch_times
    elif train_seconds is not None:
        timings["train_seconds"] = timings.get("train_seconds", 0) + train_seconds
    timings["report_seconds"] = time.perf_counter() - started
    return timings
