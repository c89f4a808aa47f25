"""joyce_lstm end to end at the tiny profile, as a user runs it."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, cli, kill_when, run_main, stop_when
from shared import UserError

DATA = Path(os.environ.get("REPRO_DATA", "/nonexistent"))
HAVE_JOYCE = (DATA / "joyce" / "ulysses.txt").is_file() and (DATA / "joyce" / "dubliners.txt").is_file()
pytestmark = [pytest.mark.skipif(not HAVE_JOYCE, reason="the Joyce texts are not under REPRO_DATA"),
              pytest.mark.xdist_group(__name__)]  # its tiny run is made once for the file


def only_run(out):
    (run,) = (Path(out) / "joyce_lstm" / "train").iterdir()
    return run


def tree(folder):
    """Every file under ``folder`` with its size and modification time."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(Path(folder).rglob("*"))}


def one_error_line(proc, message):
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()], proc.stderr
    assert proc.stderr.startswith("error:") and "Traceback" not in proc.stderr, proc.stderr
    assert message in proc.stderr, proc.stderr


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    out = tmp_path_factory.mktemp("jruns")
    proc = cli("joyce_lstm", "--profile", "tiny", "--held-out", "the-dead", "--out", out, "--seed", "2", check=0)
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
    assert results["corpus"]["chars"] == 117 and len(results["loss"]) == 2 and len(results["val_loss"]) == 2
    assert set(results["samples"]["2"]) == {"0.2", "0.5", "1.0", "1.2"}
    assert all(len(s) == 12 for s in results["samples"]["1"].values())
    assert results["claims"]["nine_lines"]["verdict"] == "agrees"
    assert results["claims"]["keras_10"]["verdict"] == "needs full"
    report = (run / "report.md").read_text()
    assert "| sentences below 100 characters | 86 % |" in report and "She waved" in report
    assert "**Held out**: “The Dead”, Dubliners' last story (86,674 characters)" in report
    vocab = json.loads((run / "vocabulary.json").read_text())
    assert vocab["size"] == 117 and "’" in vocab["chars"]


def test_sample_is_reproducible_and_uses_any_checkpoint(tiny):
    run, _ = tiny
    args = ["joyce_lstm", "sample", "--run", run, "--seed-text", "Stately, plump", "--length", "30",
            "--random-seed", "7"]
    a, b = cli(*args, check=0), run_main(*args, check=0)  # a new interpreter, and this one
    assert a.stdout == b.stdout and a.stdout.startswith("Stately, plump")
    assert len(a.stdout.rstrip("\n")) >= len("Stately, plump") + 29
    first = run_main(*args, "--checkpoint", "1", check=0)
    assert "epoch 1," in first.stderr and "epoch 2," in a.stderr
    assert a.stderr.strip().splitlines() == ["epoch 2, diversity 0.5, random seed 7"]  # no start-up chatter


def test_bad_sample_input_is_one_clear_line(tiny, tmp_path):
    run, _ = tiny
    before = tree(run)
    for i, (args, message) in enumerate([
        (["--seed-text", "Stately €uro ☃"], "characters the network never saw: '€', '☃'"),
        (["--diversity", "0"], "diversity must be a finite number above 0, not 0.0"),
        (["--diversity", "-1"], "diversity must be a finite number above 0, not -1.0"),
        (["--diversity", "inf"], "diversity must be a finite number above 0, not inf"),
        (["--diversity", "nan"], "diversity must be a finite number above 0, not nan"),
        (["--checkpoint", "9"], "has no checkpoint of epoch 9: it has epochs 1–2"),
        (["--length", "0"], "length must be at least 1"),
        (["--seed-text", ""], "seed text is empty"),
        (["--random-seed", "-1"], "a seed is between 0 and 4294967295, not -1"),
        (["--random-seed", "4294967296"], "a seed is between 0 and 4294967295, not 4294967296"),
    ]):
        command = cli if i == 0 else run_main  # the first in a new interpreter, the rest in this one
        one_error_line(command("joyce_lstm", "sample", "--run", run, *args), message)
    proc = run_main("joyce_lstm", "sample", "--run", tmp_path)
    assert proc.returncode == 2 and "is not a run folder" in proc.stderr
    assert tree(run) == before


def test_play_api_loads_once_and_writes_character_by_character(tiny):
    from joyce_lstm import play

    run, _ = tiny
    writer = play.load(run)
    assert (writer.epochs, writer.epoch, writer.total_epochs, writer.complete) == ([1, 2], 2, 2, True)
    chars = writer.sample("Stately, plump", length=30, random_seed=7)
    first = next(chars)
    assert isinstance(first, str) and len(first) == 1
    text = first + "".join(chars)
    assert len(text) == 30 and writer.write("Stately, plump", length=30, random_seed=7) == text
    shown = run_main("joyce_lstm", "sample", "--run", run, "--seed-text", "Stately, plump", "--length", "30",
                "--random-seed", "7", check=0)
    assert shown.stdout == "Stately, plump" + text + "\n"
    assert writer.write("Stately, plump", diversity=1.2, length=30, random_seed=7) != text
    assert play.load(run, epoch=1).epoch == 1
    with pytest.raises(UserError, match="finite number above 0"):
        writer.sample("Stately", diversity=float("inf"))


def test_positions_measures_the_run_and_leaves_it_as_it_was(tiny, tmp_path):
    run, _ = tiny
    before = tree(run)
    proc = run_main("joyce_lstm", "positions", "--run", run, "--limit", "50", "--json", tmp_path / "p.json", check=0)
    figures = json.loads((tmp_path / "p.json").read_text())
    assert (figures["epoch"], figures["measured"], figures["windows"], set(figures["loss"])) == (
        2, 50, 1966, {"0", "1", "2"})
    assert f"shift 1: {figures['loss']['1']:.4f}" in proc.stdout
    one_error_line(run_main("joyce_lstm", "positions", "--run", run, "--limit", "0"), "--limit must be at least 1")
    assert tree(run) == before


def damage(run, tmp_path, how):
    """A copy of the run with one file damaged."""
    copy = Path(shutil.copytree(run, tmp_path / run.name))
    (copy / ".lock").unlink(missing_ok=True)
    how(copy)
    return copy


def truncate(name):
    def cut(run):
        data = (run / name).read_bytes()
        (run / name).write_bytes(data[:len(data) // 2])
    return cut


@pytest.mark.parametrize("how,name,names", [
    (truncate("results.json"), "results.json", ["sample", "report"]),
    (truncate("config.json"), "config.json", ["sample", "report"]),
    (lambda run: (run / "vocabulary.json").unlink(), "vocabulary.json", ["sample"]),
    (truncate("checkpoints/epoch_02.keras"), "checkpoints/epoch_02.keras", ["sample"]),
    (lambda run: (run / "samples" / "epoch_01.json").unlink(), "samples/epoch_01.json", ["report"]),
])
def test_a_damaged_run_is_said_to_be_damaged(tiny, tmp_path, command, how, name, names):
    run = damage(tiny[0], tmp_path, how)
    before = tree(run)
    for each in names:
        proc = command("joyce_lstm", each, "--run", run)
        one_error_line(proc, f"{run} is damaged: {name} ")
        assert "rerun it, or resume it" in proc.stderr
        assert tree(run) == before, each


def test_an_unfinished_run_is_sampled_from_its_last_epoch_and_says_so(tiny, tmp_path):
    run = damage(tiny[0], tmp_path, lambda run: (run / "results.json").unlink())
    proc = run_main("joyce_lstm", "sample", "--run", run, "--length", "5", check=0)
    assert proc.stderr.splitlines()[0] == f"{run} is not finished: sampling from epoch 2 of 2 (the last saved)"
    from joyce_lstm import play

    assert play.load(run).complete is False
    proc = run_main("joyce_lstm", "report", "--run", run)
    one_error_line(proc, f"{run} is not complete")


def test_report_redraws_a_finished_run_to_the_same_results(tiny, tmp_path):
    run = damage(tiny[0], tmp_path, lambda run: (run / "report.md").unlink())
    results, timings = ((run / name).read_bytes() for name in ("results.json", "timings.json"))
    proc = run_main("joyce_lstm", "report", "--run", run, check=0)
    assert proc.stdout.strip() == str(run / "report.md") and (run / "report.md").is_file()
    assert (run / "results.json").read_bytes() == results and not (run / ".lock").exists()
    assert (run / "timings.json").read_bytes() == timings  # the run's seconds, not the redraw's


def test_settings_on_the_command_line_land_in_config_json(tmp_path):
    cli("joyce_lstm", "--profile", "tiny", "--epochs", "1", "--units", "8", "--text-chars", "3000",
        "--sample-length", "5", "--diversities", "0.5", "1.5", "--seed", "4", "--quiet", "--out", tmp_path,
        check=0)
    run = only_run(tmp_path)
    config = json.loads((run / "config.json").read_text())
    assert config["profile"] == "tiny" and config["seed"] == 4
    assert {k: config["settings"][k] for k in ("epochs", "units", "text_chars", "sample_length", "diversities")} == {
        "epochs": 1, "units": 8, "text_chars": 3000, "sample_length": 5, "diversities": [0.5, 1.5]}
    assert config["training_text"]["chars"] == 3000 and config["model"]["units"] == 8
    samples = json.loads((run / "samples" / "epoch_01.json").read_text())
    assert set(samples["post"]) == {"0.5", "1.5"} and all(len(t) == 5 for t in samples["post"].values())


@pytest.mark.parametrize("args,message", [
    (["--profile", "huge"], "unknown profile 'huge'"),
    (["--layers", "0"], "--layers must be between 1 and 8"),
    (["--epochs", "0"], "--epochs must be at least 1"),
    (["--text-chars", "50"], "--text-chars must be at least 102"),
    (["--pipeline", "fast"], "invalid choice: 'fast'"),
    (["--diversities", "0.5", "inf"], "--diversities takes a finite number, not 'inf'"),
    (["--diversities", "0.5", "0"], "--diversities must all be above 0"),
    (["--books", "ulysses", "ulysses"], "--books takes each of ulysses, dubliners at most once"),
    (["--seed", "-1"], "a seed is between 0 and 4294967295, not -1"),
    (["--seed", "4294967296"], "a seed is between 0 and 4294967295, not 4294967296"),
    (["--resume", "{tmp}"], "is not a run folder"),
    (["--resume", "{tmp}", "--profile", "tiny"], "--profile cannot be given with --resume"),
    (["--resume", "{tmp}", "--epochs", "3"], "--epochs cannot be given with --resume"),
    (["write"], "unknown command 'write'"),
    (["report", "--run", "{tmp}/none"], "is not a folder"),
    (["bench", "--sequences", "5"], "--sequences must be between 1000 and 633105"),
    (["bench", "--models", "--steps", "0"], "--steps must be between 1 and 4947"),
    (["bench", "--models", "--rounds", "0"], "--rounds must be at least 1"),
    (["seeds", "--seeds", "0"], "--seeds must be at least 1"),
    (["seeds", "--resume", "{tmp}", "--seeds", "3"], "--resume takes the study as it was started"),
])
def test_bad_training_input_is_one_line_and_writes_nothing(tmp_path, command, args, message):
    out = tmp_path / "runs"
    proc = command("joyce_lstm", *[a.format(tmp=tmp_path) for a in args], *(["--out", out] if args[0] not in ("report", "bench") else []))
    one_error_line(proc, message)
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
    args = ["--profile", "tiny", "--epochs", "4", "--seed", "3", "--held-out", "the-dead", "--quiet"]
    cli("joyce_lstm", *args, "--out", tmp_path / "whole", check=0)
    whole = only_run(tmp_path / "whole")

    cut = kill_when(["joyce_lstm", *args, "--out", tmp_path / "cut"], tmp_path / "cut",
                    "joyce_lstm/train/*/backup/training_metadata.json", 2, up=1)
    assert cut is not None, "the run finished before it could be interrupted"
    assert not (cut / "results.json").exists()
    done = json.loads((cut / "backup" / "training_metadata.json").read_text())["epoch"]
    sampled = run_main("joyce_lstm", "sample", "--run", cut, "--length", "5", check=0)
    assert re.match(rf"{re.escape(str(cut))} is not finished: sampling from epoch {done} of 4 \(the last saved\)\n",
                    sampled.stderr), sampled.stderr
    resumed = cli("joyce_lstm", "--resume", cut, check=0)
    assert "resuming after epoch" in resumed.stderr
    assert (cut / "results.json").read_bytes() == (whole / "results.json").read_bytes()
    assert len(json.loads((cut / "results.json").read_text())["val_loss"]) == 4
    assert (cut / "samples" / "epoch_04.txt").read_text() == (whole / "samples" / "epoch_04.txt").read_text()
    again = run_main("joyce_lstm", "--resume", cut, check=0)
    assert "already complete" in again.stdout


def test_sigterm_stops_a_run_as_ctrl_c_does(tmp_path):
    """``kill`` or a batch system's stop (SIGTERM): the resume command, exit 143, the folder
    unlocked and unfinished; ``--resume`` then finishes it."""
    args = ["joyce_lstm", "--profile", "tiny", "--epochs", "4", "--seed", "3", "--quiet", "--out", tmp_path]
    cut, status, err = stop_when(args, tmp_path, "joyce_lstm/train/*/backup/training_metadata.json", 1, up=1,
                                 sig=signal.SIGTERM)
    assert cut is not None, "the run finished before it could be stopped"
    assert status == 143, err
    assert f"interrupted; continue with: python -m joyce_lstm train --resume {cut}" in err
    assert not (cut / ".lock").exists() and not (cut / "results.json").exists()
    resumed = cli("joyce_lstm", "--resume", cut, check=0)
    assert "resuming after epoch" in resumed.stderr and (cut / "results.json").exists()


def test_original_pipeline_and_stacked_layers(tmp_path):
    cli("joyce_lstm", "--profile", "tiny", "--pipeline", "original", "--layers", "2", "--epochs", "1",
        "--quiet", "--out", tmp_path, check=0)
    run = only_run(tmp_path)
    config = json.loads((run / "config.json").read_text())
    assert config["settings"]["pipeline"] == "original" and config["model"]["layers"] == 2
    assert config["model"]["parameters"] == 16 * 4 * (117 + 16 + 1) + 4 * 16 * (16 + 16 + 1) + 17 * 117
    assert "2 × LSTM(16)" in (run / "report.md").read_text()


def test_nine_lines_command():
    proc = run_main("joyce_lstm", "nine-lines", check=0)
    lines = proc.stdout.splitlines()
    assert lines[0] == "[0.99993704]"
    assert "| Keras (Dense(1, sigmoid), SGD) | [0.99993704] |" in proc.stdout


KEPT = REPO / "joyce_lstm" / "docs" / "full" / "train"  # the post's run at its full settings, kept with the suite


def test_the_kept_full_run_is_the_network_that_wrote_its_samples():
    """The network kept after the full run's 60 epochs draws, from the run's own random stream,
    the text the run wrote after its epoch 60; ``sample`` writes with it and leaves the folder as it was."""
    import dataclasses

    from joyce_lstm import corpus, play, train
    from joyce_lstm.config import FULL

    before = tree(KEPT)
    writer = play.load(KEPT)
    assert (writer.epoch, writer.epochs, writer.complete) == (60, [60], True)
    text, _ = corpus.load()
    drawn = train.epoch_samples(writer.model, writer.vocab, text, 60, dataclasses.replace(FULL, sample_length=40), 0)
    kept = json.loads((KEPT / "samples" / "epoch_60.json").read_text(encoding="utf-8"))
    assert drawn["start_index"] == kept["start_index"]
    assert drawn["random"] == {d: s[:40] for d, s in kept["random"].items()}

    args = ["joyce_lstm", "sample", "--run", KEPT, "--seed-text", "Stately, plump", "--length", "40", "--random-seed", "1"]
    first, second = run_main(*args, check=0), run_main(*args, check=0)
    assert first.stdout == second.stdout and first.stdout.startswith("Stately, plump")
    assert len(first.stdout.rstrip("\n")) == len("Stately, plump") + 40
    assert "epoch 60" in first.stderr
    assert tree(KEPT) == before
