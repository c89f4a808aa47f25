"""joyce_lstm end to end at the tiny profile, as a user runs it."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, cli, kill_when

DATA = Path(os.environ.get("REPRO_DATA", "/nonexistent"))
HAVE_JOYCE = (DATA / "joyce" / "ulysses.txt").is_file() and (DATA / "joyce" / "dubliners.txt").is_file()
pytestmark = pytest.mark.skipif(not HAVE_JOYCE, reason="the Joyce texts are not under REPRO_DATA")


def only_run(out):
    (run,) = (Path(out) / "joyce_lstm" / "train").iterdir()
    return run


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    out = tmp_path_factory.mktemp("jruns")
    proc = cli("joyce_lstm", "--profile", "tiny", "--out", out, "--seed", "2", check=0)
    return only_run(out), proc


def test_tiny_run_writes_the_posts_outputs(tiny):
    run, proc = tiny
    for name in ("config.json", "vocabulary.json", "history.csv", "results.json", "timings.json",
                 "report.md", "checkpoints/epoch_01.keras", "checkpoints/epoch_02.keras", "checkpoints/vocabulary.json",
                 "samples/epoch_01.txt", "samples/epoch_02.json", "figures/loss.png",
                 "figures/sentence_lengths.png", "figures/word_share.png"):
        assert (run / name).is_file(), name
    assert list((run / "logs").rglob("events.out.tfevents.*")), "no TensorBoard log"
    assert "----- diversity: 1.2" in proc.stdout and "She waved" in proc.stdout
    results = json.loads((run / "results.json").read_text())
    assert results["corpus"]["chars"] == 117 and len(results["loss"]) == 2
    assert set(results["samples"]["2"]) == {"0.2", "0.5", "1.0", "1.2"}
    assert all(len(s) == 12 for s in results["samples"]["1"].values())
    assert results["claims"]["nine_lines"]["verdict"] == "agrees"
    assert results["claims"]["keras_10"]["verdict"] == "needs full"
    report = (run / "report.md").read_text()
    assert "| sentences below 100 characters | 86 % |" in report and "She waved" in report
    vocab = json.loads((run / "vocabulary.json").read_text())
    assert vocab["size"] == 117 and "’" in vocab["chars"]


def test_sample_is_reproducible_and_uses_any_checkpoint(tiny):
    run, _ = tiny
    args = ["joyce_lstm", "sample", "--run", run, "--seed-text", "Stately, plump", "--length", "30",
            "--random-seed", "7"]
    a, b = cli(*args, check=0), cli(*args, check=0)
    assert a.stdout == b.stdout and a.stdout.startswith("Stately, plump")
    assert len(a.stdout.rstrip("\n")) >= len("Stately, plump") + 29
    first = cli(*args, "--checkpoint", "1", check=0)
    assert "epoch 1," in first.stderr and "epoch 2," in a.stderr
    assert a.stderr.strip().splitlines() == ["epoch 2, diversity 0.5, random seed 7"]  # no start-up chatter


def test_bad_sample_input_is_one_clear_line(tiny, tmp_path):
    run, _ = tiny
    for args, message in [
        (["--seed-text", "Stately €uro ☃"], "characters the network never saw: '€', '☃'"),
        (["--diversity", "0"], "--diversity must be above 0"),
        (["--checkpoint", "9"], "has no checkpoint of epoch 9: it has epochs 1–2"),
        (["--length", "0"], "--length must be at least 1"),
        (["--seed-text", ""], "--seed-text is empty"),
    ]:
        proc = cli("joyce_lstm", "sample", "--run", run, *args)
        assert proc.returncode == 2, args
        assert proc.stderr.strip().splitlines() == [proc.stderr.strip()], proc.stderr
        assert message in proc.stderr, proc.stderr
    proc = cli("joyce_lstm", "sample", "--run", tmp_path)
    assert proc.returncode == 2 and "is not a run folder" in proc.stderr


@pytest.mark.parametrize("args,message", [
    (["--profile", "huge"], "unknown profile 'huge'"),
    (["--layers", "0"], "--layers must be between 1 and 8"),
    (["--epochs", "0"], "--epochs must be at least 1"),
    (["--chars", "50"], "--chars must be at least 102"),
    (["--pipeline", "fast"], "invalid choice: 'fast'"),
    (["--resume", "{tmp}"], "is not a run folder"),
    (["write"], "unknown command 'write'"),
    (["report", "--run", "{tmp}/none"], "is not a folder"),
])
def test_bad_training_input_is_one_line_and_writes_nothing(tmp_path, args, message):
    out = tmp_path / "runs"
    proc = cli("joyce_lstm", *[a.format(tmp=tmp_path) for a in args], *(["--out", out] if args[0] != "report" else []))
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert message in proc.stderr
    assert not out.exists()


@pytest.mark.parametrize("content,message", [
    ("", "no Project Gutenberg START/END markers"),
    ("*** START OF THE PROJECT GUTENBERG EBOOK ULYSSES ***\n\n\n*** END OF THE PROJECT GUTENBERG EBOOK ULYSSES ***\n",
     "the corpus is empty"),
])
def test_an_empty_corpus_is_refused(tmp_path, content, message):
    data = tmp_path / "data" / "joyce"
    data.mkdir(parents=True)
    (data / "ulysses.txt").write_text(content)
    (data / "dubliners.txt").write_text(content)
    env = dict(os.environ, REPRO_DATA=str(tmp_path / "data"), PYTHONUNBUFFERED="1")
    proc = subprocess.run([sys.executable, "-m", "joyce_lstm", "--profile", "tiny", "--out", tmp_path / "runs"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and proc.stderr.strip().startswith("error:"), proc.stderr
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "runs").exists()


def test_missing_books_say_where_to_get_them(tmp_path):
    env = dict(os.environ, REPRO_DATA=str(tmp_path), REPRO_OFFLINE="1")
    proc = subprocess.run([sys.executable, "-m", "joyce_lstm", "corpus"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and "gutenberg.org" in proc.stderr and "REPRO_DATA" in proc.stderr


def test_interrupted_run_resumes_to_the_same_results(tmp_path):
    args = ["--profile", "tiny", "--epochs", "4", "--seed", "3", "--quiet"]
    cli("joyce_lstm", *args, "--out", tmp_path / "whole", check=0)
    whole = only_run(tmp_path / "whole")

    cut = kill_when(["joyce_lstm", *args, "--out", tmp_path / "cut"], tmp_path / "cut",
                    "joyce_lstm/train/*/backup/training_metadata.json", 2, up=1)
    assert cut is not None, "the run finished before it could be interrupted"
    assert not (cut / "results.json").exists()
    resumed = cli("joyce_lstm", "--resume", cut, check=0)
    assert "resuming after epoch" in resumed.stderr
    assert (cut / "results.json").read_bytes() == (whole / "results.json").read_bytes()
    assert (cut / "samples" / "epoch_04.txt").read_text() == (whole / "samples" / "epoch_04.txt").read_text()
    again = cli("joyce_lstm", "--resume", cut, check=0)
    assert "already complete" in again.stdout


def test_original_pipeline_and_stacked_layers(tmp_path):
    cli("joyce_lstm", "--profile", "tiny", "--pipeline", "original", "--layers", "2", "--epochs", "1",
        "--quiet", "--out", tmp_path, check=0)
    run = only_run(tmp_path)
    config = json.loads((run / "config.json").read_text())
    assert config["settings"]["pipeline"] == "original" and config["model"]["layers"] == 2
    assert config["model"]["parameters"] == 16 * 4 * (117 + 16 + 1) + 4 * 16 * (16 + 16 + 1) + 17 * 117
    assert "2 × LSTM(16)" in (run / "report.md").read_text()


def test_nine_lines_command():
    proc = cli("joyce_lstm", "nine-lines", check=0)
    lines = proc.stdout.splitlines()
    assert lines[0] == "[0.99993704]"
    assert "| Keras (Dense(1, sigmoid), SGD) | [0.99993704] |" in proc.stdout
