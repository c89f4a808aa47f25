"""mnist_adversarial end to end at the tiny profile, as a user runs it."""
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import cli, run_main
from shared import UserError

HAVE_MNIST = (Path(os.environ.get("REPRO_DATA", "/nonexistent")) / "mnist" / "mnist.npz").is_file()
needs_mnist = pytest.mark.skipif(not HAVE_MNIST, reason="MNIST is not under REPRO_DATA")
pytestmark = pytest.mark.xdist_group(__name__)  # its tiny runs are made once for the file


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
    for experiment, way in (("genetic", cli), ("descent", run_main)):  # a new interpreter, and this one
        way("mnist_adversarial", experiment, "--profile", "tiny", "--seed", "4", "--networks", nets,
            "--out", tmp_path, check=0)
        again = only_run(tmp_path / "mnist_adversarial" / experiment)
        first = only_run(mnist_runs / experiment)
        assert (again / "results.json").read_bytes() == (first / "results.json").read_bytes()


@needs_mnist
@pytest.mark.parametrize("args,message", [
    (["shapes", "--out", "{tmp}"], "unknown command 'shapes'"),
    (["--out", "{tmp}"], "give a command: one of networks, pca"),
    (["genetic", "--digits", "12", "--out", "{tmp}"], "unknown digit 12: digits are 0 to 9"),
    (["pca", "--profile", "huge", "--out", "{tmp}"], "unknown profile 'huge'"),
    (["genetic", "--networks", "{tmp}"], "is not a run folder"),
    (["descent", "--out", "{tmp}"], "no trained networks under"),
    (["all", "--resume", "{tmp}"], "--resume takes one experiment's run folder"),
    (["networks", "--seed", "-1", "--out", "{tmp}"], "a seed is between 0 and 4294967295, not -1"),
    (["pca", "--seed", "4294967296", "--out", "{tmp}"], "a seed is between 0 and 4294967295"),
    (["bench", "--seed", "-3", "--out", "{tmp}"], "a seed is between 0 and 4294967295"),
    (["networks", "--epochs", "0", "--out", "{tmp}"], "--epochs must be above 0"),
    (["genetic", "--ga-tol", "nan", "--out", "{tmp}"], "--ga-tol takes a finite number"),
    (["pca", "--resume", "{tmp}", "--profile", "tiny"], "--profile cannot be given with --resume"),
    (["pca", "--resume", "{tmp}", "--ga-tol", "0.1"], "--ga-tol cannot be given with --resume"),
    (["classify", "{tmp}/none.png", "--out", "{tmp}"], "no image at"),
    (["seeds", "transfer", "--out", "{tmp}"], "no seed study of 'transfer': choose one of networks, descent"),
    (["seeds", "genetic", "--seeds", "0", "--out", "{tmp}"], "--seeds must be at least 1"),
])
def test_bad_input_is_one_line(tmp_path, command, args, message):
    proc = command("mnist_adversarial", *[a.format(tmp=tmp_path) for a in args])
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


def tree(folder):
    """Every file under ``folder`` with its bytes and modification time."""
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def one_error_line(proc, message):
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
    assert message in lines[0], lines[0]
    assert "Traceback" not in proc.stderr


@needs_mnist
def test_a_setting_on_the_command_line_lands_in_config_json(mnist_runs, tmp_path):
    nets = only_run(mnist_runs / "networks")
    cli("mnist_adversarial", "pca", "--profile", "tiny", "--pca-train", "1500", "--digits", "3", "--seed", "7",
        "--networks", nets, "--out", tmp_path, check=0)
    run = only_run(tmp_path / "mnist_adversarial" / "pca")
    config = json.loads((run / "config.json").read_text())
    assert config["profile"] == "tiny" and config["seed"] == 7
    assert config["settings"]["pca_train"] == 1500 and config["settings"]["digits"] == [3]
    assert config["settings"]["descent_steps"] == 5  # the rest from the tiny profile
    results = json.loads((run / "results.json").read_text())
    assert set(results["claims"]) == {"pca_70"}


@needs_mnist
@pytest.mark.parametrize("experiment", ["pca", "genetic"])
def test_resuming_a_complete_run_changes_nothing(mnist_runs, experiment):
    run = only_run(mnist_runs / experiment)
    before = tree(run)
    proc = run_main("mnist_adversarial", experiment, "--resume", run, check=0)
    assert "already complete" in proc.stdout
    assert tree(run) == before and not (run / ".lock").exists()


@needs_mnist
def test_an_interrupted_run_resumes_to_the_same_results(mnist_runs, tmp_path):
    first = only_run(mnist_runs / "descent")
    copy = tmp_path / "descent-run"
    shutil.copytree(first, copy)
    (copy / "results.json").unlink()  # as if stopped before the end
    (copy / "report.md").unlink()
    proc = cli("mnist_adversarial", "descent", "--resume", copy, check=0)
    assert "resuming" in proc.stderr
    assert (copy / "results.json").read_bytes() == (first / "results.json").read_bytes()


def damaged_networks(mnist_runs, tmp_path, damage):
    """A copy of the tiny networks run, damaged by ``damage(run)``, under tmp_path/nets."""
    copy = tmp_path / "nets" / "mnist_adversarial" / "networks" / "run"
    shutil.copytree(only_run(mnist_runs / "networks"), copy)
    damage(copy)
    return copy


def truncate(path):
    path.write_bytes(path.read_bytes()[:len(path.read_bytes()) // 2])


DAMAGES = {
    "results": (lambda run: truncate(run / "results.json"), "is damaged: results.json cannot be read"),
    "config": (lambda run: truncate(run / "config.json"), "is damaged: config.json cannot be read"),
    "model": (lambda run: truncate(run / "nets" / "cnn" / "model.keras"),
              "is damaged: nets/cnn/model.keras cannot be read"),
    "no model": (lambda run: (run / "nets" / "mlp30" / "model.keras").unlink(),
                 "is damaged: nets/mlp30/model.keras is missing"),
    "unfinished": (lambda run: (run / "results.json").unlink(), "is not complete: finish it with"),
}


@needs_mnist
@pytest.mark.parametrize("name,damage", [("pca", d) for d in DAMAGES] + [
    ("classify", "model"), ("classify", "unfinished"), ("bench", "results"), ("bench", "no model")])
def test_a_damaged_or_unfinished_networks_run_is_refused(mnist_runs, tmp_path, command, name, damage):
    damage, message = DAMAGES[damage]
    nets = damaged_networks(mnist_runs, tmp_path, damage)
    out = tmp_path / "out"
    out.mkdir()
    image = tmp_path / "digit.png"
    write_png(image, np.zeros((28, 28)))
    before = tree(tmp_path)
    args = {"pca": ["pca", "--profile", "tiny"], "classify": ["classify", image],
            "bench": ["bench", "--count", "1", "--serial", "1"]}[name]
    proc = command("mnist_adversarial", *args, "--networks", nets, "--out", out)
    one_error_line(proc, message)
    assert tree(tmp_path) == before


@needs_mnist
def test_the_newest_networks_are_found_only_among_complete_runs(mnist_runs, tmp_path):
    damaged_networks(mnist_runs, tmp_path, lambda run: truncate(run / "results.json"))
    before = tree(tmp_path)
    proc = run_main("mnist_adversarial", "descent", "--profile", "tiny", "--out", tmp_path / "nets")
    one_error_line(proc, "no trained networks under")
    assert tree(tmp_path) == before


@pytest.mark.parametrize("content,message", [(b"", "it is empty"), (b"not a zip file", "not an MNIST file")])
def test_an_unreadable_mnist_file_is_one_line(tmp_path, monkeypatch, content, message):
    (tmp_path / "data" / "mnist").mkdir(parents=True)
    (tmp_path / "data" / "mnist" / "mnist.npz").write_bytes(content)
    monkeypatch.setenv("REPRO_DATA", str(tmp_path / "data"))
    proc = cli("mnist_adversarial", "networks", "--profile", "tiny", "--out", tmp_path / "runs")
    one_error_line(proc, message)
    assert "mnist.npz" in proc.stderr and not (tmp_path / "runs").exists()


@needs_mnist
def test_missing_data_is_found_before_the_run_folder_is_made(mnist_runs, tmp_path, monkeypatch):
    monkeypatch.setenv("REPRO_DATA", str(tmp_path / "empty"))
    nets = only_run(mnist_runs / "networks")
    proc = cli("mnist_adversarial", "genetic", "--profile", "tiny", "--networks", nets, "--out", tmp_path / "runs")
    one_error_line(proc, "MNIST is missing")
    assert not (tmp_path / "runs").exists()


def write_png(path, image):
    from PIL import Image

    Image.fromarray((np.asarray(image) * 255).astype("uint8")).save(path)


@needs_mnist
def test_play_classifies_a_digit_with_and_without_centring(mnist_runs, tmp_path):
    from mnist_adversarial import play
    from mnist_adversarial.data import load

    nets = play.load(only_run(mnist_runs / "networks"))
    assert nets.names == ["mlp100", "mlp30", "cnn"]
    assert set(nets.results) >= {"mlp100", "mlp30", "cnn"}
    _, (xte, yte) = load(limit_test=200)
    outputs = nets.classify(xte[0].reshape(28, 28))
    assert set(outputs) == {"mlp100", "mlp30", "cnn"}
    assert all(len(v) == 10 and all(isinstance(p, float) and 0 <= p <= 1 for p in v) for v in outputs.values())
    assert abs(sum(outputs["cnn"]) - 1) < 1e-4  # softmax; the sigmoid networks need not sum to 1
    hits = sum(int(np.argmax(nets.classify(x.reshape(28, 28))["cnn"])) == y for x, y in zip(xte[:100], yte[:100]))
    assert hits >= 50  # a tiny run, but far above chance
    from mnist_adversarial.drawn import glyph
    from mnist_adversarial.data import stretch_to_edges

    edges = stretch_to_edges(glyph("2"))
    assert nets.classify(edges, centre=True) != nets.classify(edges)
    with pytest.raises(play.ImageError, match="28 × 28"):
        nets.classify(np.zeros(10))
    with pytest.raises(UserError, match="is not complete"):
        nets_dir = tmp_path / "unfinished"
        shutil.copytree(only_run(mnist_runs / "networks"), nets_dir)
        (nets_dir / "results.json").unlink()
        play.load(nets_dir)
    image = tmp_path / "two.png"
    write_png(image, 1 - edges)  # dark ink on paper, as one draws
    proc = run_main("mnist_adversarial", "classify", image, "--centre", "--out", mnist_runs.parent, check=0)
    assert [line.split(":")[0] for line in proc.stdout.splitlines()] == ["mlp100", "mlp30", "cnn"]
    expected = play.summary(nets.classify(play.read_image(image), centre=True))
    assert proc.stdout.strip() == expected


@needs_mnist
@pytest.mark.parametrize("experiment,damage,message", [
    ("pca", lambda run: truncate(run / "config.json"), "is damaged: config.json cannot be read"),
    ("genetic", lambda run: (run / "results.json").write_text('{"mlp'), "is damaged: finishing the run again"),
    ("descent", lambda run: None, "is a run of mnist_adversarial/pca, not of mnist_adversarial/descent"),
])
def test_resume_reads_the_run_it_is_given(mnist_runs, tmp_path, command, experiment, damage, message):
    copy = tmp_path / "run"
    shutil.copytree(only_run(mnist_runs / ("pca" if experiment == "descent" else experiment)), copy)
    damage(copy)
    before = tree(tmp_path)
    proc = command("mnist_adversarial", experiment, "--resume", copy)
    if experiment == "genetic":  # a results.json cut short is no finished run: it is finished again
        assert proc.returncode == 0 and message in proc.stderr, proc.stderr
        first = only_run(mnist_runs / "genetic") / "results.json"
        assert (copy / "results.json").read_bytes() == first.read_bytes()
        return
    one_error_line(proc, message)
    assert tree(tmp_path) == before
