import dataclasses
import json
import os
import re
import shutil

import numpy as np
import pytest

from conftest import REPO
from shared import UserError, report, runs, seeds
from shared.data import fetch, sha256
from shared.training import resume_state, time_to_go, truncate_history


def test_run_folders_are_never_reused(tmp_path):
    a = runs.create_run(tmp_path, "post", "exp", 1, {"profile": "tiny"})
    b = runs.create_run(tmp_path, "post", "exp", 1, {"profile": "tiny"})
    assert a != b and a.parent == b.parent == tmp_path / "post" / "exp"
    config = json.loads((a / "config.json").read_text())
    assert config["settings"] == {"profile": "tiny"} and config["seed"] == 1
    assert {"python", "numpy", "keras"} <= set(config["versions"])
    assert "git_commit" in config and config["backend"]
    assert a.name.endswith("-seed1")


def test_open_run_rejects_what_is_not_a_run(tmp_path):
    with pytest.raises(UserError, match="not a folder"):
        runs.open_run(tmp_path / "missing", "post")
    with pytest.raises(UserError, match="no config.json"):
        runs.open_run(tmp_path, "post")
    run = runs.create_run(tmp_path, "other", "exp", 0, {})
    with pytest.raises(UserError, match="run of other/exp, not of post"):
        runs.open_run(run, "post")
    assert runs.open_run(run, "other", "exp")[1]["post"] == "other"


def test_unwritable_out_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UserError, match="cannot write run folders under --out"):
        runs.check_writable(blocker / "runs")


def test_write_json_replaces_whole_files(tmp_path):
    path = tmp_path / "r.json"
    runs.write_json(path, {"a": 1})
    runs.write_json(path, {"a": 2})
    assert json.loads(path.read_text()) == {"a": 2}
    assert os.listdir(tmp_path) == ["r.json"]  # no temporary file left behind
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # readable as any other file


def test_fetch_downloads_with_checksum_and_fails_clearly(tmp_path, monkeypatch):
    source = tmp_path / "source.txt"
    source.write_text("hello data\n")
    monkeypatch.setenv("REPRO_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("REPRO_OFFLINE", raising=False)  # file:// URLs only: no network
    got = fetch("books/a.txt", source.as_uri(), sha256(source))
    assert got == tmp_path / "data" / "books" / "a.txt" and got.read_text() == "hello data\n"
    with pytest.raises(UserError, match="does not match its checksum"):
        fetch("books/b.txt", source.as_uri(), "0" * 64)
    assert not (tmp_path / "data" / "books" / "b.txt").exists()
    with pytest.raises(UserError, match="is missing at .* could not be downloaded") as err:
        fetch("books/c.txt", (tmp_path / "nowhere.txt").as_uri())
    assert "\n" not in str(err.value) and "REPRO_DATA" in str(err.value)
    assert sorted(os.listdir(tmp_path / "data" / "books")) == ["a.txt"]  # no partial files


def test_history_truncation_and_resume_state(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("epoch,loss,val_loss\n0,5,4\n1,4,3\n2,3,3.5\n3,2,3.2\n4,1,2.9\n")
    rows = truncate_history(str(path), 4)
    assert [r["epoch"] for r in rows] == ["0", "1", "2", "3"]
    assert path.read_text().count("\n") == 5
    assert resume_state(rows) == (3.0, 1, 2)
    assert resume_state([]) == (None, 0, 0)


def test_claims_compare_and_table():
    claims = [
        report.Claim("a", "§1", "x is 2", "2", lambda r: report.Outcome(str(r["x"]), report.verdict(r["x"] == 2))),
        report.Claim("b", "§2", "y | z", "3", lambda r: report.Outcome(str(r["y"]), report.AGREES)),
        report.Claim("c", "§3", "long", "4", lambda r: report.Outcome("4", report.AGREES), needs_full=True),
    ]
    rows = report.compare(claims, {"x": 3}, "quick")
    assert [r["verdict"] for r in rows] == [report.DIFFERS, report.NEEDS_FULL, report.NEEDS_FULL]
    rows = report.compare(claims, {"x": 2, "y": 1}, "full")
    assert [r["verdict"] for r in rows] == [report.AGREES] * 3
    table = report.claims_table(rows)
    assert "y \\| z" in table and table.count("\n") == 4
    assert report.tally_line(rows) == "3 agrees"


def test_index_links_runs(tmp_path):
    from shared.index import build

    run = runs.create_run(tmp_path, "post", "exp", 0, {"profile": "tiny"})
    (run / "figures").mkdir()
    (run / "figures" / "f.png").write_bytes(b"png")
    (run / "report.md").write_text("# report")
    out, n = build(tmp_path)
    page = out.read_text()
    assert n == 1 and "figures/f.png" in page and "report.md" in page and "unfinished" in page


def test_offline_fetch_fails_at_once_with_the_source(tmp_path, monkeypatch):
    monkeypatch.setenv("REPRO_DATA", str(tmp_path))
    monkeypatch.setenv("REPRO_OFFLINE", "1")
    with pytest.raises(UserError, match=r"x/y.txt is missing at .*: put the file there .* http://example"):
        fetch("x/y.txt", "http://example.invalid/y.txt")
    assert list(tmp_path.iterdir()) == []


# --- settings as dataclasses, and the options made from them -------------------------------------

from dataclasses import dataclass, replace  # noqa: E402
from typing import Literal  # noqa: E402

from shared import cli, config as settings_mod, runtime  # noqa: E402


@dataclass(frozen=True)
class Toy:
    hidden_nodes: int = 2
    """Nodes in the hidden layer."""
    rate: float = 0.1
    """Learning rate."""
    sizes: tuple[int, ...] = (4, 8)
    """Sizes to try."""
    limit: int | None = None
    """At most this many (None: all)."""
    kind: Literal["a", "b"] = "a"
    """Which kind."""
    fast: bool = False
    """Go fast."""

    def check(self):
        if self.hidden_nodes < 1:
            raise UserError("--hidden-nodes must be at least 1")


TOYS = {"full": Toy(), "tiny": replace(Toy(), sizes=(4,))}


def toy_args(*argv):
    return cli.settings_parser("toy", "a toy", Toy, TOYS).parse_args(list(argv))


def test_field_docstrings_become_help():
    docs = settings_mod.field_docs(Toy)
    assert docs["hidden_nodes"] == "Nodes in the hidden layer." and docs["fast"] == "Go fast."
    text = cli.settings_parser("toy", "a toy", Toy, TOYS).format_help()
    assert "--hidden-nodes" in text and "Nodes in the hidden layer. (the post: 2)" in text


def test_options_override_the_profile_and_keep_one_type():
    profile, s = cli.settings_from(toy_args("--profile", "tiny", "--rate", "0.5", "--sizes", "16", "4",
                                            "--limit", "3", "--kind", "b", "--fast"), Toy, TOYS)
    assert profile == "tiny"
    assert s == Toy(rate=0.5, sizes=(16, 4), limit=3, kind="b", fast=True)
    assert settings_mod.from_dict(Toy, settings_mod.to_dict(s)) == s


def test_bad_settings_are_one_line():
    with pytest.raises(UserError, match="--hidden-nodes must be at least 1"):
        cli.settings_from(toy_args("--profile", "full", "--hidden-nodes", "0"), Toy, TOYS)
    with pytest.raises(UserError, match="unknown profile 'huge'"):
        cli.settings_from(toy_args("--profile", "huge"), Toy, TOYS)
    for bad in (["--rate", "nan"], ["--rate", "inf"], ["--hidden-nodes", "2.5"], ["--kind", "c"]):
        with pytest.raises(UserError):
            toy_args(*bad)
    with pytest.raises(UserError, match="cannot be given with --resume"):
        cli.settings_from(toy_args("--resume", "somewhere", "--profile", "full"), Toy, TOYS)
    with pytest.raises(UserError, match="--rate cannot be given with --resume"):
        cli.settings_from(toy_args("--resume", "somewhere", "--rate", "0.2"), Toy, TOYS)
    with pytest.raises(UserError, match="not settings of Toy"):
        settings_mod.from_dict(Toy, {"hidden": 3})


@pytest.mark.parametrize("text", ["-1", str(2 ** 32), "1.5", "x"])
def test_seeds_outside_what_numpy_takes_are_refused(text):
    with pytest.raises(UserError, match="seed"):
        toy_args("--seed", text)
    assert toy_args("--seed", str(2 ** 32 - 1)).seed == 2 ** 32 - 1


def test_dispatch_runs_the_default_or_the_named_command():
    seen = []
    commands = {"train": lambda rest: seen.append(("train", rest)) or 0,
                "ask": lambda rest: seen.append(("ask", rest)) or 0}
    cli.dispatch("p", commands, "train", ["--seed", "1"])
    cli.dispatch("p", commands, "train", ["ask", "2", "2"])
    assert seen == [("train", ["--seed", "1"]), ("ask", ["2", "2"])]
    with pytest.raises(UserError, match="unknown command 'tell'"):
        cli.dispatch("p", commands, "train", ["tell"])
    with pytest.raises(UserError, match="give a command"):
        cli.dispatch("p", commands, None, [])


def test_named_seed_streams_differ_from_each_other_and_from_epoch_streams():
    import numpy as np

    a, b = runtime.rng(7, "fixed noise").random(4), runtime.rng(7, "real sample").random(4)
    assert not np.allclose(a, b)
    assert np.array_equal(a, runtime.rng(7, "fixed noise").random(4))
    for epoch in range(64):
        assert not np.allclose(a, np.random.default_rng([7, epoch]).random(4))


# --- the run lifecycle --------------------------------------------------------------------------

def test_a_run_is_complete_only_when_results_json_parses(tmp_path):
    run = runs.create_run(tmp_path, "post", "exp", 0, Toy(), profile="tiny")
    config = runs.read_json(run / "config.json")
    assert config["profile"] == "tiny" and config["settings"]["sizes"] == [4, 8]
    assert not runs.is_complete(run) and runs.latest_run(tmp_path, "post", "exp") is None
    with pytest.raises(UserError, match="is not complete"):
        runs.load(run, "post", "exp")
    (run / "results.json").write_text('{"loss": 0.')
    assert not runs.is_complete(run) and runs.latest_run(tmp_path, "post", "exp") is None
    with pytest.raises(UserError, match=r"is damaged: results.json cannot be read"):
        runs.load(run, "post", "exp")
    (run / "results.json").write_text('{"loss": 0.5}')
    assert runs.is_complete(run) and runs.latest_run(tmp_path, "post", "exp") == run
    assert runs.load(run, "post", "exp")[2] == {"loss": 0.5}
    (run / "config.json").write_text("{")
    with pytest.raises(UserError, match="is damaged: config.json"):
        runs.open_run(run, "post")


def test_resume_refuses_a_complete_run_and_finish_writes_one_layout(tmp_path, capsys):
    run = runs.Run(runs.create_run(tmp_path, "post", "exp", 0, Toy(), profile="tiny"), {})
    run.config = runs.read_json(run.path / "config.json")
    rows = [{"key": "k", "ours": "1", "verdict": "agrees"}]
    with run:
        assert (run.path / ".lock").is_file()
        run.finish({"loss": 0.5}, rows, "# report\n", {"train_seconds": 3.0})
    assert not (run.path / ".lock").exists()
    assert runs.read_json(run.path / "results.json") == {"loss": 0.5, "claims": {"k": {"ours": "1", "verdict": "agrees"}}}
    timings = runs.read_json(run.path / "timings.json")
    assert timings["train_seconds"] == 3.0 and "finish_seconds" in timings
    assert (run.path / "report.md").read_text() == "# report\n"
    assert runs.resume(run.path, "post", "exp") is None
    assert "already complete" in capsys.readouterr().out


def test_a_run_in_use_is_locked_and_a_stale_lock_is_taken_over(tmp_path):
    import subprocess
    import sys

    folder = runs.create_run(tmp_path, "post", "exp", 0, {})
    with runs.Lock(folder):
        with pytest.raises(UserError, match=f"in use by process \\({os.getpid()}"):
            runs.Lock(folder).acquire()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    import socket

    (folder / ".lock").write_text(f"{dead} {socket.gethostname()}\n")
    with runs.Lock(folder):  # the process that held it has ended
        assert (folder / ".lock").read_text().split()[0] == str(os.getpid())
    assert not (folder / ".lock").exists()


def test_atomic_path_leaves_nothing_when_the_writer_fails(tmp_path):
    target = tmp_path / "figure.png"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with runs.atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("disk full")
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["figure.png"]
    with runs.atomic_path(target) as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new" and oct(target.stat().st_mode & 0o777) != "0o600"


def test_index_refuses_a_file_with_one_line(tmp_path):
    from conftest import cli as run_cli

    (tmp_path / "afile").write_text("x")
    proc = run_cli("shared.index", tmp_path / "afile")
    assert proc.returncode == 2 and proc.stderr.strip().count("\n") == 0
    assert proc.stderr.startswith("error: ") and "is a file" in proc.stderr
    proc = run_cli("shared.index", tmp_path / "afile" / "sub")
    assert proc.returncode == 2 and proc.stderr.startswith("error: cannot write")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_settings_made_in_python_are_recorded_as_the_profile_they_equal():
    assert settings_mod.profile_name(TOYS, Toy()) == "full"
    assert settings_mod.profile_name(TOYS, replace(Toy(), sizes=(4,))) == "tiny"
    assert settings_mod.profile_name(TOYS, replace(Toy(), rate=0.3)) is None
    assert settings_mod.profile_name(TOYS, replace(Toy(), rate=0.3), "custom") == "custom"


def test_timings_count_the_epochs_of_a_killed_session(tmp_path):
    # A first session records epochs 1-2 and is killed before it can report its own seconds;
    # a resumed one trains epoch 3 and finishes. The run's training time still counts all three.
    import time

    runs.record_epoch_times(tmp_path, 1, [10.0], [1.0])
    runs.record_epoch_times(tmp_path, 2, [12.0], [1.0])
    runs.record_epoch_times(tmp_path, 3, [11.0], [0.0])
    timings = runs.update_timings(tmp_path, time.perf_counter(), train_seconds=11.5)
    assert timings["train_seconds"] == pytest.approx(35.0)
    assert timings["seconds_per_epoch"] == pytest.approx(35.0 / 3)
    assert sorted(json.loads((tmp_path / "epoch_times.json").read_text()), key=int) == ["1", "2", "3"]


def test_help_of_a_post_with_a_default_command_lists_the_others(capsys):
    # `python -m lyrics --help` used to show only the default command's options.
    def one(rest):
        parser = cli.ArgumentParser(prog="toy one")
        parser.parse_args(rest)
        return 0

    commands = {"one": one, "two": lambda rest: 0}
    with pytest.raises(SystemExit) as stop:
        cli.dispatch("toy", commands, "one", ["--help"])
    out = capsys.readouterr().out
    assert stop.value.code == 0
    assert "commands: one (the default), two" in out and "usage: toy one" in out
    assert cli.dispatch("toy", {"one": one, "two": lambda rest: 0}, None, ["-h"]) == 0
    assert "commands: one, two" in capsys.readouterr().out


COMMANDS = ["addition", "mnist_adversarial", "joyce_lstm", "dcgan", "lyrics", "shared.studio", "shared.index"]


@pytest.mark.parametrize("backend", ["torch", "nonsense", "numpy"])
def test_a_backend_the_suite_does_not_run_on_is_one_line_for_every_command(backend, tmp_path):
    import subprocess
    import sys

    repo = str(REPO)
    for command in COMMANDS:
        proc = subprocess.run([sys.executable, "-m", command, "--out", str(tmp_path / "runs")], cwd=tmp_path,
                              env=dict(os.environ, KERAS_BACKEND=backend, PYTHONPATH=repo),
                              capture_output=True, text=True, timeout=120)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2 and len(lines) == 1, (command, proc.stderr[-1000:])
        assert lines[0] == (f"error: KERAS_BACKEND={backend}: this suite runs on tensorflow (the default) "
                            "or jax; unset KERAS_BACKEND, or set KERAS_BACKEND=jax"), command
    assert list(tmp_path.iterdir()) == []


def test_a_backend_that_is_not_installed_is_one_line(tmp_path):
    import subprocess
    import sys

    repo = str(REPO)
    (tmp_path / "no_jax").mkdir()  # a machine without JAX: its import is blocked
    (tmp_path / "no_jax" / "sitecustomize.py").write_text("import sys\nsys.modules['jax'] = None\n")
    env = dict(os.environ, KERAS_BACKEND="jax", PYTHONPATH=os.pathsep.join([str(tmp_path / "no_jax"), repo]))
    for command in ("joyce_lstm", "shared.studio"):
        proc = subprocess.run([sys.executable, "-m", command], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2 and proc.stderr.strip() == (
            "error: KERAS_BACKEND=jax, but jax is not installed: install it (`make install` installs both), "
            "or set KERAS_BACKEND=tensorflow"), (command, proc.stderr[-1000:])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["no_jax"]


def test_the_package_docstring_lists_every_module():
    import pkgutil

    import shared

    names = {m.name for m in pkgutil.iter_modules(shared.__path__)}
    assert names >= {"report", "report_html", "runs", "studio"}
    assert not [n for n in names if f"``{n}``" not in shared.__doc__], shared.__doc__


def test_post_is_the_package_name_wherever_it_is_defined():
    """One word, one meaning: ``POST`` is a post's package (the blog's title is its blog.TITLE)."""
    import ast
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    found = []
    for path in sorted(repo.glob("*/*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "POST" for t in node.targets):
                found.append((path.parent.name, ast.literal_eval(node.value) if isinstance(node.value, ast.Constant) else None))
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple) and \
                    any(getattr(t, "id", None) == "POST" for t in node.targets[0].elts):
                found.append((path.parent.name, ast.literal_eval(node.value)[0]))
    assert len(found) >= 10
    assert [(package, value) for package, value in found if value != package] == []


def _tiny_model(seed):
    from shared import runtime

    runtime.setup(seed=seed)
    import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, name="output")])
    model.compile(optimizer="adam", loss="mse")
    model.optimizer.build(model.trainable_variables)
    return model


def _restored(folder):
    """A fresh model that an EpochBackup of ``folder`` restored, as fit's start does; and the backup."""
    from shared.training import EpochBackup

    fresh = _tiny_model(3)
    restore = EpochBackup(folder)
    restore.set_model(fresh)
    restore.on_train_begin()
    return fresh, restore


def _resumes_at_epoch_2_with(folder, weight):
    """Restored: two epochs done, the output weights they ended with; the next backup leaves only its own files."""
    fresh, restore = _restored(folder)
    assert fresh._initial_epoch == 2
    np.testing.assert_array_equal(fresh.get_layer("output").get_weights()[0], [[weight], [weight]])
    restore.on_epoch_end(2)
    assert sorted(p.name for p in folder.iterdir()) == ["epoch3.weights.h5", "training_metadata.json"]


def test_a_backup_killed_halfway_restores_the_last_complete_epoch(tmp_path):
    from shared.training import EpochBackup

    model = _tiny_model(2)
    backup = EpochBackup(tmp_path, every=1)
    backup.set_model(model)
    for epoch in range(2):
        model.get_layer("output").set_weights([np.full((2, 1), float(epoch)), np.zeros(1)])
        backup.on_epoch_end(epoch)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["epoch2.weights.h5", "training_metadata.json"]
    # Killed while writing epoch 3's weights: half a file, and the metadata still says 2.
    (tmp_path / "epoch3.weights.h5").write_bytes((tmp_path / "epoch2.weights.h5").read_bytes()[:3000])
    _resumes_at_epoch_2_with(tmp_path, 1.0)  # and the next backup removes the half-written file


def test_a_backup_in_keras_own_layout_still_resumes_and_then_moves_to_the_new_one(tmp_path):
    import keras

    model = _tiny_model(2)
    model.get_layer("output").set_weights([np.full((2, 1), 5.0), np.zeros(1)])
    old = keras.callbacks.BackupAndRestore(str(tmp_path), double_checkpoint=True, delete_checkpoint=False)
    old.set_model(model)
    for epoch in range(2):
        old.on_epoch_end(epoch)
    assert (tmp_path / "latest.weights.h5").exists() and (tmp_path / "latest.weights.h5.bkp").exists()
    _resumes_at_epoch_2_with(tmp_path, 5.0)


def test_weights_without_an_epoch_count_are_not_loaded(tmp_path):
    """The first backup, cut short before its metadata: training starts from its own beginning."""
    model = _tiny_model(2)
    model.save_weights(tmp_path / "epoch1.weights.h5")
    before = _tiny_model(3).get_layer("output").get_weights()[0]
    fresh, _ = _restored(tmp_path)
    assert fresh._initial_epoch is None or fresh._initial_epoch == 0
    np.testing.assert_array_equal(fresh.get_layer("output").get_weights()[0], before)


@pytest.mark.parametrize("damage, message", [
    ("metadata", "backup/training_metadata.json cannot be read"),
    ("count", "backup/training_metadata.json has no epoch count"),
    ("missing", "backup/epoch2.weights.h5 is missing"),
    ("truncated", "backup/epoch2.weights.h5 cannot be read"),
])
def test_a_damaged_backup_is_said_in_one_line_before_anything_trains(tmp_path, damage, message):
    from shared.training import EpochBackup, Resume

    model = _tiny_model(2)
    folder = tmp_path / "net"
    backup = EpochBackup(folder / "backup")
    backup.set_model(model)
    for epoch in range(2):
        backup.on_epoch_end(epoch)
    Resume(folder)  # whole: no complaint
    weights, metadata = folder / "backup" / "epoch2.weights.h5", folder / "backup" / "training_metadata.json"
    if damage == "metadata":
        metadata.write_text('{"epoch": ')
    elif damage == "count":
        metadata.write_text('{"batch": 0}')
    elif damage == "missing":
        weights.unlink()
    else:
        weights.write_bytes(weights.read_bytes()[:100])
    with pytest.raises(UserError) as caught:
        Resume(folder, tmp_path)
    assert f"{tmp_path} is damaged: net/{message}" in str(caught.value) and "\n" not in str(caught.value)


# The seed study, with an experiment of its own: each seed's "run" draws one number, as fast as a
# run folder can be written, so that the study's bookkeeping (order, resuming, shares) is what is tested.
@dataclasses.dataclass(frozen=True)
class Draw:
    scale: float = 1.0

    def check(self):
        if self.scale <= 0:
            raise UserError("--scale must be above 0")


DRAW_CLAIMS = [
    report.Claim("high", "§ one", "the number is above one half", "> 0.5",
                 lambda r: report.Outcome(f"{r['x']:.2f}", report.verdict(r["x"] > 0.5), value=r["x"])),
    report.Claim("scale", "§ two", "the scale is one", "1", seeded=False,
                 check=lambda r: report.Outcome(str(r["scale"]), report.verdict(r["scale"] == 1))),
    report.Claim("huge", "§ three", "the number is huge", "huge", needs_full=True,
                 check=lambda r: report.Outcome(f"{r['x']:.2f}", report.verdict(r["x"] > 10), value=r["x"])),
]


def test_a_seed_study_gives_each_claim_as_a_share_of_seeds_and_resumes_inside_a_seed(tmp_path):
    made, stopped_in, data = [], set(), {"source": ["standin", None]}  # what a run here learns from

    def draw(settings, out, seed, profile, resume):
        run = runs.resume(resume, "drawpost", "draw") if resume else \
            runs.start("drawpost", "draw", settings, seed, out, profile, extra={"data_source": data["source"]})
        made.append((seed, bool(resume)))
        with run:
            if seed == 2 and not resume and out not in stopped_in:
                stopped_in.add(out)
                raise KeyboardInterrupt  # the first time seed 2 runs in a study: the study stops inside it
            x = float(np.random.default_rng(seed).random() * settings.scale)
            run.finish({"x": x, "scale": settings.scale}, [], "report")
        return run.path

    plan = seeds.Plan("drawpost", "draw", Draw, {"tiny": Draw(), "full": Draw()}, DRAW_CLAIMS, draw)
    with pytest.raises(KeyboardInterrupt):
        seeds.study(plan, Draw(), 4, first_seed=1, out=tmp_path, profile="tiny")
    study = next((tmp_path / "drawpost" / "seeds").iterdir())
    assert sorted(p.name for p in (study / "seeds").glob("seed*.json")) == ["seed1.json"]
    assert json.loads((study / "seeds" / "seconds.json").read_text())["seconds"] > 0  # the time so far
    assert not runs.is_complete(study)
    assert seeds.resume({"draw": plan}, study) == study
    assert made == [(1, False), (2, False), (2, True), (3, False), (4, False)]  # seed 1 is not run again
    results = json.loads((study / "results.json").read_text())
    spent = json.loads((study / "seeds" / "seconds.json").read_text())["seconds"]
    assert json.loads((study / "timings.json").read_text())["train_seconds"] >= spent  # both sessions
    xs = [float(np.random.default_rng(s).random()) for s in (1, 2, 3, 4)]
    high, scale, huge = results["per_claim"]
    assert results["seeds"] == [1, 2, 3, 4] and high["key"] == "high"
    assert high["agrees"] == sum(x > 0.5 for x in xs) and high["tested"] == 4
    assert high["median"] == pytest.approx(np.median(xs)) and high["min"] == min(xs)
    assert seeds.share(high) == f"agrees in {high['agrees']} of 4 seeds"
    assert seeds.share(scale) == "does not vary with the seed (agrees)"
    assert seeds.share(huge) == "not tested at this profile"  # a tiny study cannot test a full claim
    text = (study / "report.md").read_text()
    assert f"agrees in {high['agrees']} of 4 seeds" in text and (study / "figures" / "seeds.png").stat().st_size
    made.clear()  # a second study at the same settings takes the seeds the first one finished
    beside = seeds.study(plan, Draw(), 3, first_seed=3, out=tmp_path, profile="tiny")
    assert made == [(5, False)] and json.loads((beside / "seeds" / "seed3.json").read_text())["x"] == xs[2]
    made.clear()  # at other settings, another profile or another backend, they are not its seeds
    seeds.study(plan, Draw(scale=2), 1, first_seed=3, out=tmp_path, profile="tiny")
    seeds.study(plan, Draw(), 1, first_seed=3, out=tmp_path, profile="full")
    for config in (tmp_path / "drawpost" / "seeds").glob("*/drawpost/draw/*-seed4/config.json"):
        config.write_text(json.dumps({**json.loads(config.read_text()), "backend": "jax"}))
    seeds.study(plan, Draw(), 1, first_seed=4, out=tmp_path, profile="tiny")
    assert made == [(3, False), (3, False), (4, False)]
    made.clear()  # nor where a run here would learn from other data (the real set, not the stand-in)
    seeds.study(dataclasses.replace(plan, source=lambda settings: ("standin", None)), Draw(), 1, first_seed=3,
                out=tmp_path, profile="tiny")
    seeds.study(dataclasses.replace(plan, source=lambda settings: ("cartoonset", "/data/cartoonset10k")), Draw(),
                1, first_seed=3, out=tmp_path, profile="tiny")
    assert made == [(3, False)]
    made.clear()  # a study stopped inside a seed, then resumed after the data changed: that seed is made anew
    standin, cartoonset = (dataclasses.replace(plan, source=lambda settings: ("standin", None)),
                           dataclasses.replace(plan, source=lambda settings: ("cartoonset", "/data/cartoonset10k")))
    with pytest.raises(KeyboardInterrupt):
        seeds.study(standin, Draw(), 1, first_seed=2, out=tmp_path / "changed", profile="tiny")
    stopped = next((tmp_path / "changed" / "drawpost" / "seeds").iterdir())
    data["source"] = ["cartoonset", "/data/cartoonset10k"]
    seeds.resume({"draw": cartoonset}, stopped)
    assert made == [(2, False), (2, False)] and runs.is_complete(stopped)
    learnt = [json.loads(p.read_text())["data_source"] for p in sorted(stopped.glob("drawpost/draw/*/config.json"))]
    assert learnt == [["standin", None], ["cartoonset", "/data/cartoonset10k"]]  # the new run, from the new data
    with pytest.raises(UserError, match="--seeds must be at least 1"):
        seeds.study(plan, Draw(), 0, out=tmp_path)
    with pytest.raises(UserError, match="--scale must be above 0"):
        seeds.study(plan, Draw(scale=0), 2, out=tmp_path)


def test_a_full_study_takes_the_kept_run_as_its_seed_0_and_says_so_only_then(tmp_path, monkeypatch):
    monkeypatch.setattr(runs, "REPO", tmp_path / "repo")
    made = []

    def draw(settings, out, seed, profile, resume):
        run = runs.start("drawpost", "draw", settings, seed, out, profile)
        made.append(seed)
        with run:
            run.finish({"x": float(np.random.default_rng(seed).random()), "scale": settings.scale}, [], "report")
        return run.path

    plan = seeds.Plan("drawpost", "draw", Draw, {"full": Draw()}, DRAW_CLAIMS, draw)
    alone = seeds.study(plan, Draw(), 2, out=tmp_path / "a", profile="full")
    assert made == [0, 1] and "kept full run" not in (alone / "report.md").read_text()
    seed0 = next((alone / "drawpost" / "draw").glob("*-seed0"))
    shutil.copytree(seed0, tmp_path / "repo" / "drawpost" / "docs" / "full" / "draw")  # kept with the suite
    made.clear()
    study = seeds.study(plan, Draw(), 2, out=tmp_path / "b", profile="full")
    assert made == [1] and "Seed 0 is the suite's kept full run" in (study / "report.md").read_text()


def test_every_committed_report_shows_only_figures_that_are_beside_it():
    """The reports of the kept runs and seed studies (read on GitHub and in the studio's Runs tab)
    link no figure their folder lacks."""
    import re

    reports = sorted(REPO.glob("*/docs/*/*/report.md"))
    assert len(reports) > 10
    for report_md in reports:
        for link in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", report_md.read_text(encoding="utf-8")):
            assert (report_md.parent / link).is_file(), f"{report_md.relative_to(REPO)}: {link}"


def test_each_committed_seed_study_says_seed_0_is_the_kept_run_exactly_where_it_is():
    """A committed study's report names its seed 0 the kept full run where that seed's results are
    the kept run's, byte for byte, and nowhere else."""
    studies = sorted(REPO.glob("*/docs/seeds/*/report.md"))
    assert studies
    for report_md in studies:
        study = report_md.parent
        kept = REPO / study.parents[2].name / "docs" / "full" / study.name / "results.json"
        seed0 = study / "seeds" / "seed0.json"
        is_kept = kept.is_file() and seed0.is_file() and kept.read_bytes() == seed0.read_bytes()
        says = "Seed 0 is the suite's kept full run" in report_md.read_text(encoding="utf-8")
        assert says == is_kept, study


def test_keep_copies_a_complete_run_for_inference_and_float16_halves_a_network(tmp_path, monkeypatch):
    """``python -m shared.keep``: the run's files under <post>/docs/full/<experiment>/, its networks
    saved again without optimizer state (one in float16 on request), what training needs left out."""
    import keras

    from shared import keep

    monkeypatch.setattr(runs, "REPO", tmp_path / "repo")
    run = tmp_path / "run"
    (run / "backup").mkdir(parents=True)
    (run / "checkpoints").mkdir()
    (run / "backup" / "state.json").write_text("{}")
    (run / "checkpoints" / "epoch_1.weights.h5").write_bytes(b"weights")
    (run / "config.json").write_text(json.dumps({"post": "drawpost", "experiment": "draw", "seed": 0}))
    keras.utils.set_random_seed(0)
    net = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                            keras.layers.BatchNormalization(), keras.layers.Dense(4, activation="tanh")])
    net.compile("adam", "mse")
    net.fit(np.ones((32, 8)), np.zeros((32, 4)), epochs=1, verbose=0)  # optimizer state to leave behind
    for name in ("generator", "critic"):
        net.save(run / f"{name}.keras")
    net.save_weights(run / "model.weights.h5")  # a network a post's code rebuilds, with its Adam state
    with pytest.raises(UserError, match="is not a complete run"):
        keep.keep(run)
    (run / "results.json").write_text("{}")
    with pytest.raises(UserError, match="--float16 generator names no network of the run"):
        keep.keep(run, float16=["generator"])
    kept = keep.keep(run, drop=["checkpoints"], float16=["generator.keras"])
    assert kept == tmp_path / "repo" / "drawpost" / "docs" / "full" / "draw"
    assert sorted(p.name for p in kept.iterdir()) == ["config.json", "critic.keras", "generator.keras",
                                                     "model.weights.h5", "results.json"]
    x = np.random.default_rng(0).standard_normal((5, 8)).astype("float32")
    half = keras.saving.load_model(kept / "generator.keras", safe_mode=True, compile=False)
    whole = keras.saving.load_model(kept / "critic.keras", safe_mode=True, compile=False)
    assert {str(w.dtype) for w in half.get_weights()} == {"float16"}
    assert (kept / "critic.keras").stat().st_size < (run / "critic.keras").stat().st_size  # no optimizer state
    assert np.abs(np.asarray(half(x), "float32") - np.asarray(net(x))).max() < 5e-3  # rounded, not changed
    np.testing.assert_array_equal(np.asarray(whole(x)), np.asarray(net(x)))
    import h5py

    with h5py.File(run / "model.weights.h5") as trained, h5py.File(kept / "model.weights.h5") as inference:
        assert "optimizer" in trained and sorted(inference) == sorted(set(trained) - {"optimizer"})
    rebuilt = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                                keras.layers.BatchNormalization(), keras.layers.Dense(4, activation="tanh")])
    rebuilt.load_weights(kept / "model.weights.h5")
    np.testing.assert_array_equal(np.asarray(rebuilt(x)), np.asarray(net(x)))
    with pytest.raises(UserError, match="exists: give --replace"):
        keep.keep(run)
    wrapped = keras.Sequential([keras.Input((5, 3)), keras.layers.Bidirectional(keras.layers.GRU(4))])
    with pytest.raises(UserError, match=r"cannot be kept in float16: backward_gru\w*, forward_gru\w* would stay"):
        keep.half_precision(wrapped)  # a wrapper's inner layers keep their dtype: refused, not half done


def test_the_time_to_go_is_this_sessions_pace_times_the_epochs_left():
    assert time_to_go(750, 2, 50, 18) == ", ≈ 3 h 20 min to epoch 50"  # 32 epochs of 375 s
    assert time_to_go(150, 1, 100, 60) == ", ≈ 1 h 40 min to epoch 100"
    assert time_to_go(100, 4, 10, 4) == ", ≈ 2 min to epoch 10"
    assert time_to_go(30, 4, 10, 4) == ", ≈ 45 s to epoch 10"
    assert time_to_go(2, 1, 2, 1) == ", ≈ 2 s to epoch 2"
    assert time_to_go(40, 4, 10, 10) == ""  # the last epoch: nothing to go
    assert time_to_go(0.0, 0, 10, 0) == ""


def test_a_progress_line_says_its_seconds_are_the_sessions_so_far(capsys):
    from shared.training import ProgressLog

    progress = ProgressLog("post", 100, every=1, monitor="loss")
    progress.on_train_begin()
    for epoch, loss in ((40, 5.0), (41, 4.5)):  # a resumed session: its first epoch is the 41st
        progress.on_epoch_begin(epoch)
        progress.on_epoch_end(epoch, {"loss": loss})
    lines = capsys.readouterr().err.splitlines()
    assert re.fullmatch(r"\[post\] epoch 42/100 loss 4\.5 \(best 4\.5\) \d+ s so far, ≈ \d+ s to epoch 100", lines[-1])


@pytest.mark.parametrize("signum, code", [("SIGTERM", 143), ("SIGINT", 130)])
def test_a_signal_lost_in_cpp_code_still_stops_fit_after_the_next_batch(tmp_path, capsys, signum, code):
    """Under JAX a step's results are waited for in C++ code, where the exception of a Ctrl-C or
    SIGTERM that comes then is lost. Here a callback loses it the same way at the third batch:
    fit stops after the fourth, and the run exits as an interrupted one does."""
    import signal

    import keras

    from shared.cli import guarded
    from shared.runs import Run
    from shared.training import Resume

    batches = []

    class LosesTheSignal(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            batches.append(batch)

        def on_train_batch_end(self, batch, logs=None):
            if len(batches) == 3:
                try:
                    signal.raise_signal(getattr(signal, signum))
                except KeyboardInterrupt:
                    pass  # as XLA's wait does

    run = Run(tmp_path, {"post": "post", "experiment": "experiment", "seed": 0})

    def trains(argv):
        with run:
            model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
            model.compile("sgd", "mse")
            resume = Resume(tmp_path)
            model.fit(np.zeros((64, 2)), np.zeros((64, 1)), batch_size=8, epochs=2, verbose=0,
                      callbacks=resume.callbacks([LosesTheSignal()]))

    ctrl_c = signal.signal(signal.SIGINT, signal.default_int_handler)  # Python's own, as in a terminal
    try:
        with pytest.raises(SystemExit) as stopped:
            guarded(trains)([])
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # given back
    finally:
        signal.signal(signal.SIGINT, ctrl_c)
    assert stopped.value.code == code
    assert batches == [0, 1, 2, 3]
    assert f"interrupted; continue with: python -m post experiment --resume {tmp_path}" in capsys.readouterr().err


def test_a_signal_that_comes_inside_numpy_stops_a_run_as_ctrl_c_does(tmp_path, capsys):
    """SIGTERM while a C function runs surfaces as a SystemError whose context is the interruption:
    still exit 143 and the command that resumes the run; any other SystemError is not hidden."""
    from shared.cli import Terminated, guarded
    from shared.runs import Run

    run = Run(tmp_path, {"post": "post", "experiment": "experiment", "seed": 0})

    def stopped_inside_numpy(argv):
        with run:
            try:
                raise Terminated()
            except Terminated:
                raise SystemError("<built-in method __array__> returned a result with an exception set")

    with pytest.raises(SystemExit) as stopped:
        guarded(stopped_inside_numpy)([])
    assert stopped.value.code == 143
    assert f"interrupted; continue with: python -m post experiment --resume {tmp_path}" in capsys.readouterr().err
    assert not (tmp_path / ".lock").exists()

    def broken(argv):
        raise SystemError("a C function failed")

    with pytest.raises(SystemError, match="a C function failed"):
        guarded(broken)([])
