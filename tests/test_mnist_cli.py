"""mnist_adversarial end to end at the tiny profile, as a user runs it."""
import json
import os
from pathlib import Path

import pytest

from conftest import cli

HAVE_MNIST = (Path(os.environ.get("REPRO_DATA", "/nonexistent")) / "mnist" / "mnist.npz").is_file()
needs_mnist = pytest.mark.skipif(not HAVE_MNIST, reason="MNIST is not under REPRO_DATA")


@pytest.fixture(scope="module")
def mnist_runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("mruns")
    cli("mnist_adversarial", "all", "--profile", "tiny", "--out", out, "--seed", "4", check=0)
    return out / "mnist_adversarial"


def only_run(folder):
    (run,) = [p for p in folder.iterdir() if p.is_dir()]
    return run


@needs_mnist
def test_every_experiment_writes_its_files(mnist_runs):
    figures = {"networks": ["validation_accuracy.png"], "pca": ["eigen_digits.png", "pca_accuracy.png"],
               "descent": ["descent_cnn.png", "descent_mlp100.png"],
               "genetic": ["genetic_cnn.png", "genetic_mlp100.png"], "mean": ["mean_mlp100.png"],
               "stats": ["digit_stats.png", "stats_twos.png"],
               "drawn": ["drawn.png", "stretched_test_digits.png"], "transfer": []}
    for experiment, expected in figures.items():
        run = only_run(mnist_runs / experiment)
        assert sorted(p.name for p in (run / "figures").glob("*.png")) == expected, experiment
        results = json.loads((run / "results.json").read_text())
        assert results and (run / "report.md").read_text().startswith("# My artificial")
        config = json.loads((run / "config.json").read_text())
        if experiment != "networks":
            assert config["networks"] == str(only_run(mnist_runs / "networks"))
    nets = only_run(mnist_runs / "networks")
    for name in ("mlp100", "mlp30", "cnn"):
        assert (nets / "nets" / name / "model.keras").is_file()
    genetic = json.loads((only_run(mnist_runs / "genetic") / "results.json").read_text())
    assert len(genetic["mlp100"]["confidence"]) == 10 and "cnn" in genetic
    drawn = json.loads((only_run(mnist_runs / "drawn") / "results.json").read_text())
    assert set(drawn["drawn"]) >= {"2, drawn to the edges", "2, small, background scrambled"}
    transfer = json.loads((only_run(mnist_runs / "transfer") / "results.json").read_text())
    assert set(transfer["mlp100"]["scored_by"]) == {"mlp100", "mlp30", "cnn"}


@needs_mnist
def test_same_seed_same_results(mnist_runs, tmp_path):
    nets = only_run(mnist_runs / "networks")
    for experiment in ("genetic", "descent"):
        cli("mnist_adversarial", experiment, "--profile", "tiny", "--seed", "4", "--networks", nets,
            "--out", tmp_path, check=0)
        again = only_run(tmp_path / "mnist_adversarial" / experiment)
        first = only_run(mnist_runs / experiment)
        assert (again / "results.json").read_bytes() == (first / "results.json").read_bytes()


@needs_mnist
@pytest.mark.parametrize("args,message", [
    (["shapes", "--out", "{tmp}"], "unknown experiment 'shapes'"),
    (["genetic", "--digits", "12", "--out", "{tmp}"], "unknown digit 12: digits are 0 to 9"),
    (["pca", "--profile", "huge", "--out", "{tmp}"], "unknown profile 'huge'"),
    (["genetic", "--networks", "{tmp}"], "is not a run folder"),
    (["descent", "--out", "{tmp}"], "no trained networks under"),
    (["all", "--resume", "{tmp}"], "--resume takes one experiment's run folder"),
])
def test_bad_input_is_one_line(tmp_path, args, message):
    proc = cli("mnist_adversarial", *[a.format(tmp=tmp_path) for a in args])
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and message in lines[0], proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_missing_data_offline_is_one_line(tmp_path):
    env_data = os.environ.get("REPRO_DATA")
    os.environ["REPRO_DATA"] = str(tmp_path / "empty")
    try:
        proc = cli("mnist_adversarial", "networks", "--profile", "tiny", "--out", tmp_path / "runs")
    finally:
        if env_data is None:
            del os.environ["REPRO_DATA"]
        else:
            os.environ["REPRO_DATA"] = env_data
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1
    assert "MNIST is missing" in lines[0] and "mnist.npz" in lines[0]
    assert not (tmp_path / "runs" / "mnist_adversarial").exists()
