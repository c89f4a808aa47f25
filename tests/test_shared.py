import json
import os

import pytest

from shared import UserError, report, runs
from shared.data import fetch, sha256
from shared.training import resume_state, truncate_history


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
