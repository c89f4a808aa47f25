"""``python -m lyrics`` as a user runs it: train both models, generate, resume, refuse bad input."""
import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import cli, kill_when, make_tiny_bert, run_main
from lyrics import play, songs
from shared import UserError

DATA = Path(os.environ.get("REPRO_DATA", "/nonexistent"))
pytestmark = [pytest.mark.skipif(not (DATA / songs.BALLADS[0]).is_file(), reason="the ballads are not under REPRO_DATA"),
              pytest.mark.xdist_group(__name__)]  # its tiny runs are made once for the file


def only_run(out, model):
    (run,) = (Path(out) / "lyrics" / model).iterdir()
    return run


@pytest.fixture(scope="module")
def one(tmp_path_factory):
    out = tmp_path_factory.mktemp("lyrics_one")
    proc = cli("lyrics", "one", "--profile", "tiny", "--songs", "3", "--held-out", "1", "--out", out, "--seed", "1",
               check=0)
    return only_run(out, "one"), proc


@pytest.fixture(scope="module")
def bert(tmp_path_factory):
    return make_tiny_bert(tmp_path_factory.mktemp("bert") / "tiny-bert")


@pytest.fixture(scope="module")
def two(tmp_path_factory, bert):
    out = tmp_path_factory.mktemp("lyrics_two")
    proc = cli("lyrics", "two", "--profile", "tiny", "--encoder", bert, "--out", out, check=0)
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
    assert history[0].split(",") == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"] and len(history) == 3
    results = json.loads((run / "results.json").read_text())
    assert len(results["samples"]) == 6 and results["samples"][0]["lyrics"].startswith("hello world")
    assert len(results["val_loss"]) == 2 and config["corpus"]["held_out"]["songs"] == 1  # the third ballad
    assert "after epoch 2" in proc.stdout and "Gene Lyrica One" in (run / "report.md").read_text()
    report = (run / "report.md").read_text()
    assert "started from word2vec, not GloVe" in report and "The Oxford Book of Ballads (public domain)" in report
    assert "The held-out loss (`val_loss`, dashed)" in report
    assert config["profile"] == "tiny" and "Profile **tiny**" in report
    assert not (run / "backup").exists()  # BackupAndRestore's folder goes when training is over


def test_generate_same_seed_same_lyrics(one):
    run, _ = one
    args = ("lyrics", "generate", "--run", run, "--length", "15", "--randomness", "0.8")
    a = cli(*args, "--random-seed", "1", check=0).stdout
    b = run_main(*args, "--random-seed", "1", check=0).stdout  # in this process: the same lyrics
    c = run_main(*args, "--random-seed", "2", check=0).stdout
    assert a == b and a != c and a.startswith("hello world")
    assert a.strip() != "hello world"
    argmax = run_main("lyrics", "generate", "--run", run, "--length", "5", "--randomness", "0",
                      "--seed-text", "True Thomas", "--checkpoint", "1", check=0)
    assert argmax.stdout.startswith("true thomas") and argmax.stderr.strip() == ""


def test_model_two_trains_on_a_tiny_bert_and_generates(two):
    run, proc = two
    config = json.loads((run / "config.json").read_text())
    assert config["encoder"]["kind"] == "bert" and config["encoder"]["width"] == 8
    assert (run / "results.json").is_file() and "Gene Lyrica Two" in (run / "report.md").read_text()
    results = json.loads((run / "results.json").read_text())
    assert set(results["claims"]) == {"repeats", "runs", "distinct"}
    out = cli("lyrics", "generate", "--run", run, "--seed-text", "hello zebra world", "--length", "6",
              "--random-seed", "5", check=0).stdout
    assert out.startswith("hello zebra world")  # the encoder reads words outside the vocabulary
    assert out == run_main("lyrics", "generate", "--run", run, "--seed-text", "hello zebra world", "--length", "6",
                           "--random-seed", "5", check=0).stdout


def test_resume_after_a_kill_gives_the_same_run(one, tmp_path):
    whole, _ = one  # the same settings, uninterrupted
    args = ["lyrics", "one", "--profile", "tiny", "--songs", "3", "--held-out", "1", "--seed", "1", "--quiet"]
    cut = kill_when([*args, "--out", tmp_path / "cut"], tmp_path / "cut",
                    "lyrics/one/*/backup/training_metadata.json", 1, up=1)
    assert cut is not None, "the run finished before it could be interrupted"
    assert not (cut / "results.json").exists()
    resumed = cli("lyrics", "one", "--resume", cut, check=0)
    assert "resuming after epoch" in resumed.stderr
    assert (cut / "results.json").read_bytes() == (whole / "results.json").read_bytes()
    assert run_main("lyrics", "--resume", cut, check=0).stdout.count("already complete") == 1


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
    cli("lyrics", "one", "--profile", "tiny", "--corpus", csv, "--artists", "Band", "--level", "char",
        "--epochs", "1", "--max-repeats", "3", "--sample-length", "7", "--transforms", "--quiet",
        "--out", tmp_path / "runs", check=0)
    config = json.loads((only_run(tmp_path / "runs", "one") / "config.json").read_text())
    assert config["corpus"]["songs"] == 2 and config["settings"]["level"] == "char"
    assert config["embedding"]["source"] == "random" and config["corpus_source"]["artists"] == ["Band"]
    # every setting given on the command line is in config.json; the others are the profile's
    s = config["settings"]
    assert (s["corpus"], s["artists"], s["epochs"], s["max_repeats"], s["sample_length"], s["transforms"]) == (
        str(csv.resolve()), ["Band"], 1, 3, 7, True)
    assert (s["units"], s["songs"], s["embedding"], config["profile"]) == (8, 2, "random", "tiny")


@pytest.mark.parametrize("args, message", [
    (["train"], "unknown command 'train'"),
    (["three"], "unknown command 'three'"),
    (["one", "--artists", "X"], "give --corpus SONGS.csv too"),
    (["one", "--corpus", "/no/such.csv"], "no such file"),
    (["one", "--encoder", "minilm"], "unrecognized arguments: --encoder"),
    (["two", "--embedding", "random"], "unrecognized arguments: --embedding"),
    (["one", "--level", "char", "--embedding", "word2vec"], "do not apply to characters"),
    (["one", "--profile", "huge"], "unknown profile"),
    (["one", "--epochs", "0"], "--epochs must be at least 1"),
    (["one", "--randomness", "2.5"], "--randomness is between 0 and 2"),
    (["one", "--seed", "-1"], "a seed is between 0 and 4294967295"),
    (["two", "--seed", str(2 ** 32)], "a seed is between 0 and 4294967295"),
    (["one", "--resume", "/no/such/run", "--profile", "tiny"], "--profile cannot be given with --resume"),
    (["two", "--resume", "/no/such/run", "--max-repeats", "3"], "--max-repeats cannot be given with --resume"),
    (["two", "--profile", "tiny", "--encoder", "/no/such/folder"], "not 'minilm', 'use' or a folder"),
    (["generate", "--run", "/no/such/run"], "is not a folder"),
    (["generate", "--run", "/no/such/run", "--random-seed", "-3"], "a seed is between"),
    (["report", "--run", "/no/such/run"], "is not a folder"),
    (["songs", "--level", "syllable"], "invalid choice"),
    (["sing"], "unknown command"),
    (["seeds", "three"], "no seed study of 'three': choose one of one, two"),
    (["seeds", "--seeds", "0"], "--seeds must be at least 1"),
])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, command, args, message):
    proc = command("lyrics", *args, "--out", tmp_path / "runs", check=2) if args[0] in ("one", "two", "seeds") else \
        command("lyrics", *args, check=2)
    assert message in proc.stderr and proc.stderr.strip().count("\n") == 0, proc.stderr
    assert not (tmp_path / "runs").exists()


def test_csv_errors_reach_the_user(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("band,lyrics\nX,la\n")
    proc = run_main("lyrics", "one", "--corpus", bad, "--out", tmp_path / "runs", check=2)
    assert "needs the columns 'artist' and 'text'" in proc.stderr
    good = tmp_path / "good.csv"
    good.write_text("artist,text\nQueen,la la\n")
    proc = run_main("lyrics", "one", "--corpus", good, "--artists", "Queen", "Nobody", "--out", tmp_path / "runs",
                    check=2)
    assert "artist 'Nobody' is not in" in proc.stderr
    assert not (tmp_path / "runs" / "lyrics").exists()


def test_generate_refuses_bad_settings(one):
    run, _ = one
    for randomness in ("-1", "2.5"):
        assert "between 0 and 2" in run_main("lyrics", "generate", "--run", run, "--randomness", randomness,
                                             check=2).stderr
    for length in ("0", "1001"):
        assert "from 1 to 1000" in run_main("lyrics", "generate", "--run", run, "--length", length, check=2).stderr
    assert "no checkpoint of epoch 9" in run_main("lyrics", "generate", "--run", run, "--checkpoint", "9",
                                                  check=2).stderr
    assert "no words" in run_main("lyrics", "generate", "--run", run, "--seed-text", "?!", check=2).stderr


def tree(folder):
    """Every file under ``folder`` with its size and modification time: to see that nothing changed."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def test_play_api_loads_a_finished_run_once_and_writes_lyrics(one):
    run, _ = one
    lyricist = play.load(run)
    assert lyricist.experiment == "one" and lyricist.epoch == 2
    text = lyricist.generate("hello world", length=15, randomness=0.8, random_seed=1)
    assert text == lyricist.generate(seed_text="hello world", length=15, randomness=0.8, random_seed=1)
    assert text != lyricist.generate("hello world", length=15, randomness=0.8, random_seed=2)
    assert isinstance(text, str) and text.startswith("hello world") and len(text.split()) > 2
    # the command line prints exactly what the API returns
    printed = run_main("lyrics", "generate", "--run", run, "--length", "15", "--randomness", "0.8",
                       "--random-seed", "1", check=0).stdout
    assert printed == text + "\n"
    assert lyricist.unknown_words("hello world zzzz") == ["hello", "world", "zzzz"]
    for bad in ({"length": 0}, {"length": 1001}, {"randomness": 2.5}, {"randomness": -0.1}, {"random_seed": -1}):
        with pytest.raises(UserError):
            lyricist.generate("hello world", **bad)
    assert play.load(run, checkpoint=1).epoch == 1
    with pytest.raises(UserError, match="no checkpoint of epoch 7"):
        play.load(run, checkpoint=7)


def test_resume_refuses_a_profile_or_settings_and_leaves_the_run_alone(one):
    run, _ = one
    before = tree(run)
    for extra in (["--profile", "quick"], ["--epochs", "5"]):
        proc = run_main("lyrics", "one", "--resume", run, *extra, check=2)
        assert "cannot be given with --resume" in proc.stderr and proc.stderr.strip().count("\n") == 0
    assert "is a run of lyrics/one, not of lyrics/two" in run_main("lyrics", "two", "--resume", run, check=2).stderr
    assert tree(run) == before


def test_report_writes_a_finished_run_again_the_same(one, tmp_path):
    run, _ = one
    copy = shutil.copytree(run, tmp_path / run.name)
    proc = run_main("lyrics", "report", "--run", copy, check=0)
    assert proc.stdout.strip() == str(copy / "report.md")
    for name in ("results.json", "timings.json"):  # timings: the run's seconds, not the redraw's
        assert (copy / name).read_bytes() == (run / name).read_bytes()
    assert not (copy / ".lock").exists()


@pytest.mark.parametrize("damage, message", [
    ("tokenizer.json missing", "tokenizer.json is missing"),
    ("tokenizer.json truncated", "tokenizer.json cannot be read"),
    ("results.json truncated", "results.json cannot be read"),
    ("config.json truncated", "config.json cannot be read"),
    ("model.weights.h5 truncated", "model.weights.h5 cannot be read"),
    ("model.weights.h5 missing", "model.weights.h5 is missing"),
])
def test_a_damaged_run_is_said_to_be_damaged(one, tmp_path, command, damage, message):
    run, _ = one
    copy = shutil.copytree(run, tmp_path / run.name)
    name, how = damage.split()
    if how == "missing":
        (copy / name).unlink()
    else:
        data = (copy / name).read_bytes()
        (copy / name).write_bytes(data[:len(data) // 2])
    before = tree(copy)
    commands = [["generate", "--run", copy, "--length", "3"], ["report", "--run", copy]]
    for args in commands:
        proc = command("lyrics", *args, check=2)
        assert f"{copy} is damaged: {message}" in proc.stderr, proc.stderr
        assert "rerun it, or resume it" in proc.stderr and proc.stderr.strip().count("\n") == 0
    assert tree(copy) == before


def test_an_unfinished_run_is_not_used_as_a_finished_one(one, tmp_path):
    run, _ = one
    copy = shutil.copytree(run, tmp_path / run.name)
    (copy / "results.json").unlink()
    for args in (["generate", "--run", copy], ["report", "--run", copy]):
        proc = run_main("lyrics", *args, check=2)
        assert f"{copy} is not complete" in proc.stderr and proc.stderr.strip().count("\n") == 0
    with pytest.raises(UserError, match="is not complete"):
        play.load(copy)


@pytest.mark.parametrize("content", ["", "zyzzyva " + " ".join(["0.5"] * 50) + "\n"])
def test_a_glove_file_without_the_songs_words_is_refused_before_anything_is_written(tmp_path, command, content):
    glove = tmp_path / "glove.txt"
    glove.write_text(content)
    proc = command("lyrics", "one", "--profile", "tiny", "--embedding", glove, "--out", tmp_path / "runs", check=2)
    assert "has none of the songs'" in proc.stderr and proc.stderr.strip().count("\n") == 0, proc.stderr
    assert ("(it is empty)" in proc.stderr) == (content == "")
    assert not (tmp_path / "runs").exists()


def test_an_encoder_folder_that_does_not_load_is_refused_before_anything_is_written(tmp_path):
    folder = tmp_path / "not-bert"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    proc = run_main("lyrics", "two", "--profile", "tiny", "--encoder", folder, "--out", tmp_path / "runs", check=2)
    assert "cannot load a BERT-family encoder" in proc.stderr and proc.stderr.strip().count("\n") == 0, proc.stderr
    assert not (tmp_path / "runs").exists()


def test_songs_checks_where_it_writes_before_any_work(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    cases = [(["--export", tmp_path], "is a folder"), (["--figure", tmp_path], "is a folder"),
             (["--export", tmp_path / "no" / "s.csv"], "does not exist"),
             (["--figure", tmp_path / "no" / "f.png"], "does not exist")]
    if not os.access(locked, os.W_OK):  # root may write anywhere
        cases += [(["--export", locked / "s.csv"], "cannot write"), (["--figure", locked / "f.png"], "cannot write")]
    for args, message in cases:
        proc = run_main("lyrics", "songs", *args, check=2)
        assert message in proc.stderr and proc.stderr.strip().count("\n") == 0, proc.stderr
        assert proc.stdout == ""  # nothing printed before the refusal
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locked"] and not any(locked.iterdir())


def test_a_resumed_two_with_a_frozen_encoder_reads_the_vectors_it_encoded(bert, tmp_path):
    """Two with its encoder frozen encodes its text windows once, into ``encoded/``: a session that
    resumes the run reads them instead of encoding again (minutes on every ballad), trains as an
    uninterrupted run does, and ``encoded/`` goes when training is over."""
    args = ["lyrics", "two", "--profile", "tiny", "--encoder", bert, "--freeze-encoder", "--epochs", "3", "--quiet"]
    whole = cli(*args, "--out", tmp_path / "whole", check=0)
    assert "encoded them once with the frozen encoder" in whole.stderr
    cut = kill_when([*args, "--out", tmp_path / "cut"], tmp_path / "cut",
                    "lyrics/two/*/backup/training_metadata.json", 1, up=1)
    assert cut is not None, "the run finished before it could be interrupted"
    assert (cut / "encoded" / "train.npy").is_file()
    resumed = cli("lyrics", "two", "--resume", cut, check=0)
    assert "read train.npy, computed by an earlier session" in resumed.stderr
    assert "encoded them once" not in resumed.stderr
    whole_run = only_run(tmp_path / "whole", "two")
    assert (cut / "results.json").read_bytes() == (whole_run / "results.json").read_bytes()
    assert not (cut / "encoded").exists() and not (whole_run / "encoded").exists()


def test_a_seed_study_of_two_encodes_its_windows_once_for_every_seed(bert, tmp_path):
    """A frozen encoder makes the same sentence vectors in every seed: the study's first seed
    encodes them into the study's ``encoded/``, the second reads them there, and the folder
    goes when the study is over."""
    proc = cli("lyrics", "seeds", "two", "--profile", "tiny", "--encoder", bert, "--freeze-encoder",
               "--epochs", "1", "--seeds", "2", "--out", tmp_path, check=0)
    assert proc.stderr.count("encoded them once with the frozen encoder") == 1, proc.stderr
    assert proc.stderr.count("read train-") == 1 and "computed by an earlier run" in proc.stderr, proc.stderr
    study = only_run(tmp_path, "seeds")
    assert (study / "report.md").is_file() and not (study / "encoded").exists()
    assert not list(study.glob("lyrics/two/*/encoded"))
