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
