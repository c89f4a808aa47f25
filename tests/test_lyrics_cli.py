"""``python -m lyrics`` as a user runs it: train both models, generate, resume, refuse bad input."""
import json
import os
from pathlib import Path

import pytest

from conftest import cli, kill_when, make_tiny_bert
from lyrics import songs

DATA = Path(os.environ.get("REPRO_DATA", "/nonexistent"))
pytestmark = pytest.mark.skipif(not (DATA / songs.BALLADS[0]).is_file(),
                                reason="the ballads are not under REPRO_DATA")


def only_run(out, model):
    (run,) = (Path(out) / "lyrics" / model).iterdir()
    return run


@pytest.fixture(scope="module")
def one(tmp_path_factory):
    out = tmp_path_factory.mktemp("lyrics_one")
    proc = cli("lyrics", "train", "one", "--profile", "tiny", "--out", out, "--seed", "1", check=0)
    return only_run(out, "one"), proc


@pytest.fixture(scope="module")
def bert(tmp_path_factory):
    return make_tiny_bert(tmp_path_factory.mktemp("bert") / "tiny-bert")


@pytest.fixture(scope="module")
def two(tmp_path_factory, bert):
    out = tmp_path_factory.mktemp("lyrics_two")
    proc = cli("lyrics", "train", "two", "--profile", "tiny", "--encoder", bert, "--out", out, check=0)
    return only_run(out, "two"), proc


def test_model_one_writes_its_run(one):
    run, proc = one
    for name in ("config.json", "tokenizer.json", "checkpoints/tokenizer.json", "history.csv",
                 "checkpoints/epoch-001.weights.h5", "checkpoints/epoch-002.weights.h5", "model.weights.h5",
                 "samples/epoch-001.txt", "samples/epoch-002.txt", "results.json", "report.md",
                 "figures/line_lengths.png", "figures/curves.png", "figures/repetition.png", "embedding_init.npy"):
        assert (run / name).is_file(), name
    config = json.loads((run / "config.json").read_text())
    assert config["embedding"]["source"] == "word2vec"
    assert config["corpus"]["sequence_length"] == config["corpus"]["median_line_length"] * 4 + 3
    history = (run / "history.csv").read_text().splitlines()
    assert history[0].split(",")[:3] == ["epoch", "accuracy", "loss"] and len(history) == 3
    results = json.loads((run / "results.json").read_text())
    assert len(results["samples"]) == 6 and results["samples"][0]["lyrics"].startswith("hello world")
    assert "after epoch 2" in proc.stdout and "Gene Lyrica One" in (run / "report.md").read_text()
    report = (run / "report.md").read_text()
    assert "started from word2vec, not GloVe" in report and "The Oxford Book of Ballads (public domain)" in report


def test_generate_same_seed_same_lyrics(one):
    run, _ = one
    args = ("lyrics", "generate", "--run", run, "--length", "15", "--randomness", "0.8")
    a = cli(*args, "--random-seed", "1", check=0).stdout
    b = cli(*args, "--random-seed", "1", check=0).stdout
    c = cli(*args, "--random-seed", "2", check=0).stdout
    assert a == b and a != c and a.startswith("hello world")
    assert a.strip() != "hello world"
    argmax = cli("lyrics", "generate", "--run", run, "--length", "5", "--randomness", "0",
                 "--text", "True Thomas", "--checkpoint", "1", check=0)
    assert argmax.stdout.startswith("true thomas") and argmax.stderr.strip() == ""


def test_model_two_trains_on_a_tiny_bert_and_generates(two):
    run, proc = two
    config = json.loads((run / "config.json").read_text())
    assert config["encoder"]["kind"] == "bert" and config["encoder"]["width"] == 8
    assert (run / "results.json").is_file() and "Gene Lyrica Two" in (run / "report.md").read_text()
    results = json.loads((run / "results.json").read_text())
    assert set(results["claims"]) == {"repeats", "runs", "distinct"}
    out = cli("lyrics", "generate", "--run", run, "--text", "hello zebra world", "--length", "6",
              "--random-seed", "5", check=0).stdout
    assert out.startswith("hello zebra world")  # the encoder reads words outside the vocabulary
    assert out == cli("lyrics", "generate", "--run", run, "--text", "hello zebra world", "--length", "6",
                      "--random-seed", "5", check=0).stdout


def test_resume_after_a_kill_gives_the_same_run(tmp_path):
    args = ["lyrics", "train", "one", "--profile", "tiny", "--epochs", "3", "--quiet", "--seed", "4"]
    cli(*args, "--out", tmp_path / "whole", check=0)
    whole = only_run(tmp_path / "whole", "one")
    cut = kill_when([*args, "--out", tmp_path / "cut"], tmp_path / "cut",
                    "lyrics/one/*/backup/training_metadata.json", 1, up=1)
    assert cut is not None, "the run finished before it could be interrupted"
    assert not (cut / "results.json").exists()
    resumed = cli("lyrics", "train", "--resume", cut, check=0)
    assert "resuming after epoch" in resumed.stderr
    assert (cut / "results.json").read_bytes() == (whole / "results.json").read_bytes()
    assert cli("lyrics", "--resume", cut, check=0).stdout.count("already complete") == 1


def test_songs_command_exports_the_ballads_as_a_songs_csv(tmp_path):
    proc = cli("lyrics", "songs", "--export", tmp_path / "ballads.csv", "--figure", tmp_path / "lines.png",
               check=0)
    assert "| songs | 176 |" in proc.stdout and "| sequence length | 31 |" in proc.stdout
    assert (tmp_path / "lines.png").stat().st_size > 10_000
    back = songs.load_csv(tmp_path / "ballads.csv", ["Traditional"])
    assert len(back) == 176 and back[0]["song"] == "Thomas the Rhymer"


def test_training_from_a_csv_with_artists(tmp_path):
    csv = tmp_path / "s.csv"
    songs.write_csv([{"artist": "Band", "song": f"s{i}", "text": "la la love\nyou and me\n" * 3}
                     for i in range(3)] + [{"artist": "Other", "song": "x", "text": "no no"}], csv)
    cli("lyrics", "train", "one", "--profile", "tiny", "--csv", csv, "--artists", "Band", "--char-level",
        "--epochs", "1", "--quiet", "--out", tmp_path / "runs", check=0)
    config = json.loads((only_run(tmp_path / "runs", "one") / "config.json").read_text())
    assert config["corpus"]["songs"] == 2 and config["settings"]["level"] == "char"
    assert config["embedding"]["source"] == "random" and config["corpus_source"]["artists"] == ["Band"]


@pytest.mark.parametrize("args, message", [
    (["train"], "say which model"),
    (["train", "one", "--artists", "X"], "give --csv too"),
    (["train", "one", "--csv", "/no/such.csv"], "no such file"),
    (["train", "one", "--encoder", "minilm"], "are for model two"),
    (["train", "two", "--embedding", "random"], "is for model one"),
    (["train", "one", "--char-level", "--embedding", "word2vec"], "do not apply to characters"),
    (["train", "one", "--profile", "huge"], "unknown profile"),
    (["train", "two", "--profile", "tiny", "--encoder", "/no/such/folder"], "not 'minilm', 'use' or a folder"),
    (["generate", "--run", "/no/such/run"], "is not a folder"),
    (["sing"], "unknown command"),
])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, args, message):
    proc = cli("lyrics", *args, "--out", tmp_path / "runs", check=2) if args[0] == "train" else \
        cli("lyrics", *args, check=2)
    assert message in proc.stderr and proc.stderr.strip().count("\n") == 0, proc.stderr
    assert not (tmp_path / "runs" / "lyrics").exists()


def test_csv_errors_reach_the_user(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("band,lyrics\nX,la\n")
    proc = cli("lyrics", "train", "one", "--csv", bad, "--out", tmp_path / "runs", check=2)
    assert "needs the columns 'artist' and 'text'" in proc.stderr
    good = tmp_path / "good.csv"
    good.write_text("artist,text\nQueen,la la\n")
    proc = cli("lyrics", "train", "one", "--csv", good, "--artists", "Queen,Nobody", "--out", tmp_path / "runs",
               check=2)
    assert "artist 'Nobody' is not in" in proc.stderr
    assert not (tmp_path / "runs" / "lyrics").exists()


def test_generate_refuses_bad_settings(one):
    run, _ = one
    assert "between 0 and 10" in cli("lyrics", "generate", "--run", run, "--randomness", "-1", check=2).stderr
    assert "at least 1" in cli("lyrics", "generate", "--run", run, "--length", "0", check=2).stderr
    assert "no checkpoint of epoch 9" in cli("lyrics", "generate", "--run", run, "--checkpoint", "9",
                                             check=2).stderr
    assert "no words" in cli("lyrics", "generate", "--run", run, "--text", "?!", check=2).stderr
