"""One run, one folder.

``<out>/<post>/<experiment>/<UTC time>-seed<N>/`` holds ``config.json`` (every
resolved setting, versions, backend, git commit), then whatever the post writes:
``history.csv``, ``checkpoints/``, ``figures/``, ``results.json`` (measured
figures only, so the same seed gives the same file), ``timings.json`` and
``report.md``. A new run never reuses an existing folder.
"""
import datetime
import json
import os
import subprocess
import tempfile
from pathlib import Path

from shared import UserError

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
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        usual_mode(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


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


def check_writable(out):
    """Fail early, with one line, when ``--out`` cannot hold runs."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=out, prefix=".write-test-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UserError(f"cannot write run folders under --out {out}: {reason}; "
                        "choose a folder you can write to") from None
    return out


def create_run(out, post, experiment, seed, settings, backend=None, extra=None):
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
    config = {
        "post": post,
        "experiment": experiment,
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


def open_run(run_dir, post, experiment=None):
    """Check that ``run_dir`` is a run of ``post`` and return (path, config)."""
    path = Path(run_dir)
    config_path = path / "config.json"
    if not path.is_dir():
        raise UserError(f"{path} is not a folder: give a run folder made by `python -m {post}`")
    if not config_path.is_file():
        raise UserError(f"{path} is not a run folder (it has no config.json): "
                        f"give a folder made by `python -m {post}`")
    try:
        config = read_json(config_path)
    except (OSError, ValueError) as exc:
        raise UserError(f"{config_path} cannot be read ({exc}): the run folder is damaged") from None
    if config.get("post") != post or (experiment and config.get("experiment") != experiment):
        found = f"{config.get('post')}/{config.get('experiment')}"
        raise UserError(f"{path} is a run of {found}, not of {post}"
                        + (f"/{experiment}" if experiment else ""))
    if not os.access(path, os.W_OK):
        raise UserError(f"cannot write to the run folder {path}")
    return path, config


def latest_run(out, post, experiment, complete=True):
    """The newest run folder of a post's experiment (with results.json if ``complete``)."""
    base = Path(out) / post / experiment
    if not base.is_dir():
        return None
    runs = sorted(p for p in base.iterdir()
                  if (p / "config.json").is_file() and (not complete or (p / "results.json").is_file()))
    return runs[-1] if runs else None


def open_resumable(run_dir, post, experiment):
    """``--resume``'s run as (path, config), or None (said on stdout) when it is already complete."""
    from shared.cli import log

    path, config = open_run(run_dir, post, experiment)
    if (path / "results.json").exists():
        print(f"{path} is already complete; its report is {path / 'report.md'}")
        return None
    log(f"resuming {path} (profile {config['settings']['profile']}, seed {config['seed']})")
    return path, config


def record_epoch_times(run_dir, first_epoch, train_seconds, sample_seconds):
    """Add this session's epochs (numbered from ``first_epoch``) to ``epoch_times.json``:
    seconds of training and of the per-epoch samples, which :func:`update_timings` reads."""
    path = Path(run_dir) / "epoch_times.json"
    times = read_json(path) if path.exists() else {}
    for i, (t, s) in enumerate(zip(train_seconds, sample_seconds)):
        times[str(first_epoch + i)] = {"train": t, "sample": s}
    write_json(path, times)


def update_timings(run_dir, started, train_seconds=None, keep_epochs=False):
    """Write ``timings.json``: mean seconds per epoch (training and sampling) from
    ``epoch_times.json``, training seconds summed over sessions, and the report's own
    time since ``started`` (a ``time.perf_counter()`` value). Returns the timings."""
    import time

    run_dir = Path(run_dir)
    path = run_dir / "timings.json"
    timings = read_json(path) if path.exists() else {}
    epochs_path = run_dir / "epoch_times.json"
    epoch_times = read_json(epochs_path) if epochs_path.exists() else {}
    if epoch_times:
        per = [v["train"] + v["sample"] for v in epoch_times.values()]
        timings["seconds_per_epoch"] = sum(per) / len(per)
        if keep_epochs:
            timings["epochs"] = epoch_times
    if train_seconds is not None:
        timings["train_seconds"] = timings.get("train_seconds", 0) + train_seconds
    timings["report_seconds"] = time.perf_counter() - started
    write_json(path, timings)
    return timings
