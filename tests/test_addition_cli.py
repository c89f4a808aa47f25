"""The addition command end to end, at the tiny profile, as a user runs it."""
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

import pytest

from conftest import cli, kill_when, run_main, stop_when

pytestmark = pytest.mark.xdist_group(__name__)  # its tiny runs are made once for the file


def read(path):
    return json.loads(path.read_text())


def test_tiny_run_writes_every_file(tiny_run):
    run, proc = tiny_run
    config = read(run / "config.json")
    assert config["profile"] == "tiny" and config["seed"] == 3
    assert config["settings"]["nodes"] == [1, 2] and config["settings"]["max_epochs"] == 3
    assert config["versions"]["tensorflow"] and config["backend"] == "tensorflow"
    results = read(run / "results.json")
    assert set(results["networks"]) == {"n1_s16", "n2_s16", "n1_s256", "n2_s256"}
    for name, net in results["networks"].items():
        assert 0 <= net["accuracy"] <= 1 and net["mse"] >= 0 and net["epochs"] == 3
        net_dir = run / "networks" / name
        assert (net_dir / "model.keras").is_file() and (net_dir / "best.weights.h5").is_file()
        assert (net_dir / "history.csv").read_text().count("\n") == 4  # header + 3 epochs
        assert not (net_dir / "backup").exists()
    assert results["two_plus_two"]["n2_s16"]["hidden"] and "one_node_16_valley" in results
    figures = sorted(p.name for p in (run / "figures").iterdir())
    assert figures == ["accuracy_table.png", "predictions.png", "surface_n1_s16.png",
                       "surface_n1_s256.png", "surface_n2_s16.png", "surface_n2_s256.png",
                       "two_plus_two.png", "val_loss.png"]
    assert all((run / "figures" / f).stat().st_size > 5000 for f in figures)
    text = (run / "report.md").read_text()
    assert "| hidden nodes | max sum | accuracy |" in text
    assert "needs full" in text and "6.42" in text and "h1 = sigmoid(2 ×" in text
    assert len(results["claims"]) == 23 and {c["verdict"] for c in results["claims"].values()} == {"needs full"}
    assert set(read(run / "timings.json")) >= {"train_seconds", "networks"}
    assert "accuracy on fresh pairs" in proc.stdout and str(run) in proc.stdout


def test_ask_shows_the_arithmetic(tiny_run):
    run, _ = tiny_run
    proc = run_main("addition", "ask", "2", "2", "--run", run, "--nodes", "2", "--max-sum", "16", check=0)
    assert "h2 = sigmoid(2 ×" in proc.stdout and "2 + 2 =" in proc.stdout
    proc = run_main("addition", "ask", "3", "200", "--run", run, check=0)
    assert proc.stdout.count("hidden nodes, max sum") == 4
    assert "outside the training range" in proc.stdout


def test_report_redraws_from_saved_results(tiny_run):
    run, _ = tiny_run
    before = (run / "report.md").read_text()
    (run / "figures" / "val_loss.png").unlink()
    run_main("addition", "report", "--run", run, check=0)
    assert (run / "figures" / "val_loss.png").is_file()
    assert (run / "report.md").read_text() == before


def test_same_seed_same_results(tiny_run, tmp_path):
    run, _ = tiny_run
    cli("addition", "--profile", "tiny", "--out", tmp_path, "--seed", "3", "--workers", "1", check=0)
    (again,) = (tmp_path / "addition" / "grid").iterdir()
    assert (again / "results.json").read_bytes() == (run / "results.json").read_bytes()


def test_play_api_loads_a_run_and_asks_its_networks(tiny_run):
    from addition import play
    from addition.analysis import predict
    from addition.models import load

    run, _ = tiny_run
    adders = play.load(run)
    assert adders.networks == [(1, 16), (2, 16), (1, 256), (2, 256)]
    answers = adders.ask(2, 2)
    assert [(a["nodes"], a["max_sum"]) for a in answers] == adders.networks
    results = json.loads((run / "results.json").read_text())
    for answer in answers:  # the NumPy arithmetic gives what the run measured with Keras
        name = f"n{answer['nodes']}_s{answer['max_sum']}"
        assert answer["prediction"] == pytest.approx(results["two_plus_two"][name]["prediction"], rel=1e-12)
        assert answer["hidden"] == pytest.approx(results["two_plus_two"][name]["hidden"], rel=1e-12)
        assert answer["right"] == (answer["rounded"] == 4) and answer["inside_range"]
    (one,) = play.load(run, nodes=2, max_sum=256).ask(100, 27.5)
    keras_says = predict(load(run, 2, 8), [[100, 27.5]])[0]
    assert one["prediction"] == pytest.approx(keras_says, rel=1e-5)
    assert len(one["w_out"]) == 2 and len(one["w_in"]) == 2 and len(one["hidden"]) == 2


TINY_CUT = ["--profile", "tiny", "--nodes", "1", "2", "--bits", "4", "--max-epochs", "40", "--seed", "5"]


@pytest.fixture(scope="module")
def whole_run(tmp_path_factory):
    """The uninterrupted run that interrupted ones must end up equal to."""
    out = tmp_path_factory.mktemp("whole")
    cli("addition", *TINY_CUT, "--workers", "1", "--out", out, check=0)
    (whole,) = (out / "addition" / "grid").iterdir()
    config = read(whole / "config.json")  # the settings given on the command line are the run's
    assert config["profile"] == "tiny" and config["seed"] == 5
    assert config["settings"] | {"nodes": [1, 2], "bits": [4], "max_epochs": 40} == config["settings"]
    assert config["settings"]["pairs"] == 640  # the rest from the profile
    return whole


def test_interrupted_run_resumes_to_the_same_results(tmp_path, whole_run):
    args = [*TINY_CUT, "--workers", "1"]
    whole = whole_run

    interrupted = kill_when(["addition", *args, "--out", tmp_path / "cut"], tmp_path / "cut",
                            "addition/grid/*/networks/n2_s16/backup/training_metadata.json", 3, up=3,
                            timeout=120)
    assert interrupted is not None, "the run finished before it could be interrupted"
    assert not (interrupted / "results.json").exists()
    first = (interrupted / "networks" / "n1_s16" / "model.keras").read_bytes()

    resumed = cli("addition", "--resume", interrupted, check=0)
    assert "resuming after epoch" in resumed.stderr
    assert (interrupted / "networks" / "n1_s16" / "model.keras").read_bytes() == first  # not retrained
    assert (interrupted / "results.json").read_bytes() == (whole / "results.json").read_bytes()
    again = run_main("addition", "--resume", interrupted, check=0)
    assert "already complete" in again.stdout


def processes_under(pid):
    """The pids of every process descended from ``pid``, read from /proc."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):  # ended meanwhile
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def running(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killed_run_leaves_no_worker_behind_and_resumes(tmp_path, whole_run):
    workers = []  # two workers and the pool's resource tracker, seen just before the kill
    run = stop_when(["addition", *TINY_CUT, "--workers", "2", "--out", tmp_path / "cut"], tmp_path / "cut",
                    "addition/grid/*/networks/*/backup/training_metadata.json", 3, 3,
                    timeout=180, before=lambda proc: workers.extend(processes_under(proc.pid)))[0]
    assert run is not None, "the run finished before it could be interrupted"
    assert len(workers) >= 2, workers
    deadline = time.time() + 10
    while any(running(pid) for pid in workers) and time.time() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if running(pid)], "worker processes outlived their parent"
    before = digest(run)
    time.sleep(1.5)
    assert digest(run) == before  # nothing writes into the run any more
    assert not (run / "results.json").exists()

    cli("addition", "--resume", run, check=0)  # at once: no worker is left to race it
    assert (run / "results.json").read_bytes() == (whole_run / "results.json").read_bytes()


def digest(folder):
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return h.hexdigest(), sorted(p.name for p in folder.rglob("*"))


@pytest.mark.parametrize("args,message", [
    (["--profile", "huge"], "unknown profile 'huge': choose one of full, quick, tiny"),
    (["--profile", "tiny", "--nodes", "3"], "--nodes 3 is outside the post's grid"),
    (["--profile", "tiny", "--bits", "5", "4"], "--bits 5 is outside the post's grid"),
    (["--max-epochs", "0"], "--max-epochs must be at least 1"),
    (["--resume", "{tmp}"], "is not a run folder"),
    (["--resume", "{tmp}/nothing"], "is not a folder"),
    (["--profile", "tiny", "--out", "{tmp}/afile/runs"], "cannot write run folders under --out"),
    (["train"], "unknown command 'train'"),
    (["--nodes", "x"], "--nodes takes a int, not 'x'"),
    (["--validation-split", "nan"], "--validation-split takes a finite number"),
    (["--profile", "tiny", "--validation-split", "1"], "--validation-split 1.0 leaves no pairs"),
    (["--patience", "0"], "--patience must be at least 1"),
    (["--workers", "0"], "--workers must be at least 1"),
    (["--seed", "-1"], "a seed is between 0 and 4294967295, not -1"),
    (["--profile", "tiny", "--seed", "4294967296"], "a seed is between 0 and 4294967295"),
    (["grid", "--seed", "x"], "a seed is a whole number, not 'x'"),
    (["--resume", "{run}", "--profile", "tiny"], "--profile cannot be given with --resume"),
    (["--resume", "{run}", "--max-epochs", "5"], "--max-epochs cannot be given with --resume"),
    (["seeds", "--seeds", "0"], "--seeds must be at least 1"),
    (["seeds", "--seed", "-2"], "a seed is between 0 and 4294967295"),
    (["seeds", "--resume", "{run}"], "is a run of addition/grid, not of addition/seeds"),
    (["seeds", "--resume", "{run}", "--seeds", "3"], "--resume takes the study as it was started"),
    (["seeds", "surfaces"], "no seed study of 'surfaces': choose one of grid"),
    (["bench", "--seed", "-1"], "a seed is between 0 and 4294967295"),
    (["bench", "--epochs", "1"], "--epochs must be at least 2"),
    (["ask", "nan", "2", "--run", "{run}"], "asked about finite numbers from -1e+06 to 1e+06, not nan"),
    (["ask", "2", "inf", "--run", "{run}"], "asked about finite numbers from -1e+06 to 1e+06, not inf"),
    (["ask", "1e308", "1e308", "--run", "{run}"], "finite numbers from -1e+06 to 1e+06, not 1e308"),
    (["ask", "two", "2", "--run", "{run}"], "'two' is not a number"),
    (["ask", "2", "2", "--run", "{run}", "--max-sum", "17"], "has no trained network with any hidden"),
    (["report"], "the following arguments are required: --run"),
    (["report", "--run", "{tmp}/nothing"], "is not a folder"),
    (["ask", "2", "2", "--run", "{tmp}"], "is not a run folder"),
    (["ask", "2", "2", "--out", "{tmp}"], "no complete addition run"),
    (["ask", "2", "2", "--run", "{run}", "--nodes", "16"], "has no trained network with 16 hidden"),
])
def test_bad_input_is_one_line_and_touches_no_run(tiny_run, tmp_path, command, args, message):
    run, _ = tiny_run
    (tmp_path / "afile").write_text("not a folder")
    before = digest(run.parent.parent.parent)
    proc = command("addition", *[a.format(tmp=tmp_path, run=run) for a in args])
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], proc.stderr
    assert digest(run.parent.parent.parent) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def damage(run, how):
    """Damage a copy of a run the way a crash or a full disk would."""
    if how == "unfinished":
        (run / "results.json").unlink()
    elif how == "no model":
        (run / "networks" / "n1_s16" / "model.keras").unlink()
    else:
        path = run / how
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize("how,args,message", [
    ("unfinished", ["ask", "2", "2"], "is not complete: finish it with `python -m addition grid --resume"),
    ("unfinished", ["report"], "is not complete"),
    ("results.json", ["ask", "2", "2"], "is damaged: results.json cannot be read"),
    ("results.json", ["report"], "is damaged: results.json cannot be read"),
    ("config.json", ["ask", "2", "2"], "is damaged: config.json cannot be read"),
    ("config.json", ["report"], "is damaged: config.json cannot be read"),
    ("config.json", ["--resume"], "is damaged: config.json cannot be read"),
    ("networks/n1_s16/model.keras", ["ask", "2", "2"], "is damaged: networks/n1_s16/model.keras cannot be read"),
    ("no model", ["ask", "2", "2"], "is damaged: networks/n1_s16/model.keras is missing"),
    ("analysis.npz", ["report"], "is damaged: analysis.npz cannot be read"),
])
def test_damaged_or_unfinished_runs_are_refused(tiny_run, tmp_path, command, how, args, message):
    run = shutil.copytree(tiny_run[0], tmp_path / "run")
    damage(run, how)
    before = digest(tmp_path)
    flag = [] if args == ["--resume"] else ["--run"]
    proc = command("addition", *args, *flag, run)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], proc.stderr
    assert "rerun it, or resume it" in lines[0] or how == "unfinished"
    assert digest(tmp_path) == before


def test_bench_prints_one_json_line():
    proc = cli("addition", "bench", "--epochs", "3", "--no-grid", check=0)
    (line,) = proc.stdout.strip().splitlines()
    out = json.loads(line)
    assert out["plain_s_per_epoch"] > 0 and out["ours_s_per_epoch"] > 0
    assert out["ratio"] == pytest.approx(out["plain_s_per_epoch"] / out["ours_s_per_epoch"], rel=0.01)


def test_this_files_tests_share_one_worker(request):
    """Under `make test` (pytest -n auto --dist loadgroup) the tests of a file that makes its runs once
    are sent to one worker: pytest-xdist marks their node ids with the group (a pytest it no longer
    works with would silently spread them, and each worker would make the runs again)."""
    if getattr(request.config.option, "loadgroup", False):
        assert request.node.nodeid.endswith("@" + __name__), request.node.nodeid


def test_the_kept_run_is_what_report_draws_from_it(tmp_path):
    """``report --run`` on a copy of ``docs/full/grid`` (as its card suggests) writes back the same
    bytes: the committed report and figures are the ones the current code draws from the run."""
    from conftest import REPO, file_bytes

    kept = REPO / "addition" / "docs" / "full" / "grid"
    copy = shutil.copytree(kept, tmp_path / "moved")
    run_main("addition", "report", "--run", copy, check=0)
    drawn, committed = file_bytes(copy), file_bytes(kept)
    assert sorted(drawn) == sorted(committed)
    assert [name for name in drawn if drawn[name] != committed[name]] == []
