import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"

if "REPRO_DATA" not in os.environ and SHARED_DATA.is_dir():
    os.environ["REPRO_DATA"] = str(SHARED_DATA)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("REPRO_OFFLINE", "1")
sys.path.insert(0, str(REPO))


def cli(*args, timeout=600, check=None):
    """Run ``python -m <args>`` from the repository root as a user would."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.run([sys.executable, "-m", *map(str, args)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if check is not None:
        assert proc.returncode == check, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """One tiny addition run shared by the tests that only read it."""
    out = tmp_path_factory.mktemp("runs")
    proc = cli("addition", "--profile", "tiny", "--out", out, "--seed", "3", check=0)
    runs = list((out / "addition" / "grid").iterdir())
    assert len(runs) == 1
    return runs[0], proc


def kill_when(args, root, marker, epoch, up, timeout=240):
    """Run ``python -m <args>`` and SIGKILL it once a file matching ``root.glob(marker)``
    (a backup's JSON with an "epoch" field) says ``epoch`` epochs are done.

    Returns that file's ancestor ``up`` levels above (the interrupted run's folder),
    or None when the run ended first.
    """
    return stop_when(args, root, marker, epoch, up, timeout=timeout)[0]


def stop_when(args, root, marker, epoch, up, sig=None, timeout=240):
    """:func:`kill_when` with the signal ``sig`` (default SIGKILL); returns (the interrupted run's
    folder or None, the exit status, what the process wrote to stderr)."""
    import json
    import signal
    import tempfile
    import time

    sig = signal.SIGKILL if sig is None else sig
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, "-m", *map(str, args)], cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=err, text=True)
        deadline, cut = time.time() + timeout, None
        while cut is None and time.time() < deadline and proc.poll() is None:
            for path in Path(root).glob(marker):
                try:
                    done = json.loads(path.read_text())["epoch"]
                except (OSError, ValueError, KeyError):  # being written
                    continue
                if done >= epoch:
                    proc.send_signal(sig)
                    cut = path.parents[up]
                    break
            time.sleep(0.02)
        status = proc.wait()
        err.seek(0)
        return cut, status, err.read()
