"""The addition command end to end, at the tiny profile, as a user runs it."""
import hashlib
import json

import pytest

from conftest import cli, kill_when


def read(path):
    return json.loads(path.read_text())


def test_tiny_run_writes_every_file(tiny_run):
    run, proc = tiny_run
    config = read(run / "config.json")
    assert config["settings"]["profile"] == "tiny" and config["seed"] == 3
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
    assert set(read(run / "timings.json")) >= {"train_seconds", "networks"}
    assert "accuracy on fresh pairs" in proc.stdout and str(run) in proc.stdout


def test_ask_shows_the_arithmetic(tiny_run):
    run, _ = tiny_run
    proc = cli("addition", "ask", "2", "2", "--run", run, "--nodes", "2", "--max-sum", "16", check=0)
    assert "h2 = sigmoid(2 ×" in proc.stdout and "2 + 2 =" in proc.stdout
    proc = cli("addition", "ask", "3", "200", "--run", run, check=0)
    assert proc.stdout.count("hidden nodes, max sum") == 4
    assert "outside the training range" in proc.stdout


def test_report_redraws_from_saved_results(tiny_run):
    run, _ = tiny_run
    before = (run / "report.md").read_text()
    (run / "figures" / "val_loss.png").unlink()
    cli("addition", "report", "--run", run, check=0)
    assert (run / "figures" / "val_loss.png").is_file()
    assert (run / "report.md").read_text() == before


def test_same_seed_same_results(tiny_run, tmp_path):
    run, _ = tiny_run
    cli("addition", "--profile", "tiny", "--out", tmp_path, "--seed", "3", "--workers", "1", check=0)
    (again,) = (tmp_path / "addition" / "grid").iterdir()
    assert (again / "results.json").read_bytes() == (run / "results.json").read_bytes()


def test_interrupted_run_resumes_to_the_same_results(tmp_path):
    args = ["--profile", "tiny", "--nodes", "1", "2", "--bits", "4", "--max-epochs", "150",
            "--workers", "1", "--seed", "5"]
    cli("addition", *args, "--out", tmp_path / "whole", check=0)
    (whole,) = (tmp_path / "whole" / "addition" / "grid").iterdir()

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
    again = cli("addition", "--resume", interrupted, check=0)
    assert "already complete" in again.stdout


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
    (["--nodes", "x"], "invalid int value"),
    (["ask", "2", "2", "--run", "{tmp}"], "is not a run folder"),
    (["ask", "2", "2", "--out", "{tmp}"], "no complete addition run"),
    (["ask", "2", "2", "--run", "{run}", "--nodes", "16"], "has no trained network with 16 hidden"),
])
def test_bad_input_is_one_line_and_touches_no_run(tiny_run, tmp_path, args, message):
    run, _ = tiny_run
    (tmp_path / "afile").write_text("not a folder")
    before = digest(run.parent.parent.parent)
    proc = cli("addition", *[a.format(tmp=tmp_path, run=run) for a in args])
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], proc.stderr
    assert digest(run.parent.parent.parent) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_bench_prints_one_json_line():
    proc = cli("addition", "bench", "--epochs", "3", "--no-grid", check=0)
    (line,) = proc.stdout.strip().splitlines()
    out = json.loads(line)
    assert out["plain_s_per_epoch"] > 0 and out["ours_s_per_epoch"] > 0
    assert out["ratio"] == pytest.approx(out["plain_s_per_epoch"] / out["ours_s_per_epoch"], rel=0.01)
