"""dcgan end to end at the tiny profile, as a user runs it."""
import json
from pathlib import Path

import numpy as np
import pytest

from conftest import cli, kill_when


def only_run(out, experiment):
    (run,) = (Path(out) / "dcgan" / experiment).iterdir()
    return run


@pytest.fixture(scope="module")
def cartoon(tmp_path_factory):
    out = tmp_path_factory.mktemp("druns")
    proc = cli("dcgan", "cartoon", "--profile", "tiny", "--out", out, "--condition", "hair_color", "eye_color",
               "--seed", "1", check=0)
    return only_run(out, "cartoon"), proc


def test_tiny_cartoon_run_writes_grids_gif_and_report(cartoon):
    run, proc = cartoon
    assert "STAND-IN" in proc.stderr
    for name in ("config.json", "history.csv", "results.json", "report.md", "training.gif", "training.mp4",
                 "generator.keras", "discriminator.keras", "attributes.json", "epochs/epoch_001.png",
                 "epochs/epoch_002.png", "figures/losses.png", "figures/measures.png", "figures/real_examples.png",
                 "checkpoints/epoch_001_generator.keras"):
        assert (run / name).is_file(), name
    assert not (run / "backup").exists()
    import imageio.v3 as iio

    gif = iio.imread(run / "training.gif", index=None)
    assert gif.shape[0] == 2  # one frame per epoch
    results = json.loads((run / "results.json").read_text())
    assert [h["epoch"] for h in results["history"]] == [1, 2]
    assert results["images"] == 64
    assert results["history"][0]["change"] is None and results["history"][1]["change"] >= 0
    assert "procedural STAND-IN avatars" in (run / "report.md").read_text()
    config = json.loads((run / "config.json").read_text())
    assert config["settings"]["condition"] == ["hair_color", "eye_color"]
    assert config["data_source"][0] == "standin"


def test_generate_with_attributes_and_interpolation(cartoon, tmp_path):
    run, _ = cartoon
    proc = cli("dcgan", "generate", "--run", run, "--n", "4", "--seed", "2", "--attr", "hair_color=3",
               "--interpolate", "--output", tmp_path / "four.png", check=0)
    assert (tmp_path / "four.png").is_file() and (tmp_path / "four_interpolation.gif").is_file()
    import imageio.v3 as iio

    assert iio.imread(tmp_path / "four_interpolation.gif", index=None).shape[0] == 48
    again = cli("dcgan", "generate", "--run", run, "--n", "4", "--seed", "2", "--attr", "hair_color=3",
                "--output", tmp_path / "again.png", check=0)
    assert (tmp_path / "four.png").read_bytes() == (tmp_path / "again.png").read_bytes()
    assert proc.returncode == again.returncode == 0


@pytest.mark.parametrize("args,message", [
    (["--attr", "hair_colour=3"], "unknown attribute 'hair_colour': this run is conditioned on hair_color, eye_color"),
    (["--attr", "hair_color=10"], "--attr hair_color=10 is out of range: hair_color has variants 0 to 9"),
    (["--attr", "hair_color"], "should read NAME=VALUE"),
    (["--n", "0"], "--n must be between 1 and 1024"),
])
def test_bad_generate_input(cartoon, args, message):
    run, _ = cartoon
    proc = cli("dcgan", "generate", "--run", run, *args)
    assert proc.returncode == 2 and proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert message in proc.stderr


def write_png(path, array):
    from PIL import Image

    Image.fromarray(array).save(path)


@pytest.mark.parametrize("setup,args,message", [
    ("empty", ["cartoon", "--data", "{d}"], "holds no PNG images"),
    ("corrupt", ["cartoon", "--data", "{d}"], "broken.png is not a readable image"),
    ("good", ["cartoon", "--data", "{d}", "--condition", "hair_colour"], "unknown attribute 'hair_colour'"),
    ("good", ["cartoon", "--condition", "wings"], "unknown attribute 'wings'"),
    ("empty", ["cartoon", "--data", "{d}/missing"], "does not exist"),
    ("empty", ["faces"], "unknown command 'faces'"),
    ("empty", ["ellipses", "--variant", "dots", "--dir", "{d}/new"], "unknown ellipse variant 'dots'"),
    ("empty", ["bw-ellipses", "--profile", "huge"], "unknown profile 'huge'"),
    ("empty", ["bw-ellipses", "--epochs", "0"], "--epochs must be at least 1"),
    ("empty", ["bw-ellipses", "--resume", "{d}"], "is not a run folder"),
    ("empty", ["generate", "--run", "{d}"], "is not a run folder"),
    ("empty", ["avatars", "--n", "0", "--dir", "{d}/new"], "--n must be between 1 and 1000000"),
])
def test_bad_input_is_one_line_and_writes_no_run(tmp_path, setup, args, message):
    d = tmp_path / "images"
    d.mkdir()
    if setup == "corrupt":
        write_png(d / "fine.png", np.zeros((8, 8, 3), np.uint8))
        (d / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\ntruncated")
    if setup == "good":
        write_png(d / "a.png", np.zeros((8, 8, 3), np.uint8))
        (d / "a.csv").write_text('"hair_color", 1, 10\n')
    out = tmp_path / "runs"
    extra = ["--out", out] if args[0] in ("cartoon", "bw-ellipses") else []
    proc = cli("dcgan", *[a.format(d=d) for a in args], *extra)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert message in proc.stderr
    assert not out.exists() or not any(out.rglob("config.json"))


def test_interrupted_run_resumes(tmp_path):
    args = ["dcgan", "bw-ellipses", "--profile", "tiny", "--epochs", "6", "--images", "256", "--seed", "2"]
    cut = kill_when([*args, "--out", tmp_path], tmp_path, "dcgan/bw-ellipses/*/backup/epoch_*/state.json", 2, up=2)
    assert cut is not None, "the run finished before it could be interrupted"
    assert not (cut / "results.json").exists()
    done_before = len(list((cut / "epochs").glob("epoch_*.png")))
    resumed = cli("dcgan", "bw-ellipses", "--resume", cut, check=0)
    assert "resuming after epoch" in resumed.stderr
    results = json.loads((cut / "results.json").read_text())
    assert [h["epoch"] for h in results["history"]] == [1, 2, 3, 4, 5, 6]
    assert len(list((cut / "epochs").glob("epoch_*.png"))) == 6 >= done_before
    assert (cut / "training.gif").is_file()
    again = cli("dcgan", "bw-ellipses", "--resume", cut, check=0)
    assert "already complete" in again.stdout


def test_avatars_command_writes_a_set_and_refuses_a_full_folder(tmp_path):
    cli("dcgan", "avatars", "--n", "5", "--size", "32", "--dir", tmp_path / "set", check=0)
    assert len(list((tmp_path / "set").glob("*.png"))) == 5
    proc = cli("dcgan", "avatars", "--n", "5", "--dir", tmp_path / "set")
    assert proc.returncode == 2 and "is not empty" in proc.stderr


def test_ellipses_command_writes_pngs_that_load(tmp_path):
    cli("dcgan", "ellipses", "--variant", "outline", "--n", "6", "--size", "24", "--dir", tmp_path / "e", check=0)
    from dcgan.data import load_images

    images, names, attrs = load_images(tmp_path / "e", 24)
    assert images.shape == (6, 24, 24, 3) and attrs == {} and (images[:, 0, 0] == 255).all()


def test_a_folder_smaller_than_asked_is_reported_as_it_is(tmp_path):
    cli("dcgan", "avatars", "--n", "20", "--size", "32", "--dir", tmp_path / "set", check=0)
    cli("dcgan", "cartoon", "--profile", "tiny", "--epochs", "1", "--data", tmp_path / "set", "--out", tmp_path / "runs",
        check=0)
    run = only_run(tmp_path / "runs", "cartoon")
    assert json.loads((run / "results.json").read_text())["images"] == 20
    assert "Data: images from " in (run / "report.md").read_text() and "20 images of 16×16×3" in (run / "report.md").read_text()
