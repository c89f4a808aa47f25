"""dcgan end to end at the tiny profile, as a user runs it."""
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import cli, file_bytes, kill_when, run_main

pytestmark = pytest.mark.xdist_group(__name__)  # its tiny run is made once for the file


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
    proc = cli("dcgan", "generate", "--run", run, "--n", "4", "--random-seed", "2", "--attr", "hair_color=3",
               "--interpolate", "--output", tmp_path / "four.png", check=0)
    assert (tmp_path / "four.png").is_file() and (tmp_path / "four_interpolation.gif").is_file()
    import imageio.v3 as iio

    assert iio.imread(tmp_path / "four_interpolation.gif", index=None).shape[0] == 48
    again = run_main("dcgan", "generate", "--run", run, "--n", "4", "--random-seed", "2", "--attr", "hair_color=3",
                     "--output", tmp_path / "again.png", check=0)
    assert (tmp_path / "four.png").read_bytes() == (tmp_path / "again.png").read_bytes()
    assert proc.returncode == again.returncode == 0


@pytest.mark.parametrize("args,message", [
    (["--attr", "hair_colour=3"], "unknown attribute 'hair_colour': this run is conditioned on hair_color, eye_color"),
    (["--attr", "hair_color=10"], "--attr hair_color=10 is out of range: hair_color has variants 0 to 9"),
    (["--attr", "hair_color"], "should read NAME=VALUE"),
    (["--n", "0"], "--n must be between 1 and 1024"),
])
def test_bad_generate_input(cartoon, command, args, message):
    run, _ = cartoon
    proc = command("dcgan", "generate", "--run", run, *args)
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
    ("file", ["avatars", "--n", "2", "--dir", "{d}/file"], "is a file: give a new or empty folder"),
    ("file", ["ellipses", "--variant", "bw", "--dir", "{d}/file/sub"], "cannot write to --dir"),
    ("empty", ["ellipses", "--variant", "bw", "--dir", "/proc/dcgan-test"], "cannot write to --dir"),
    ("empty", ["bw-ellipses", "--seed", "-1"], "a seed is between 0 and 4294967295, not -1"),
    ("empty", ["bw-ellipses", "--seed", "4294967296"], "a seed is between 0 and 4294967295"),
    ("empty", ["avatars", "--seed", "-3", "--dir", "{d}/new"], "a seed is between 0 and 4294967295, not -3"),
    ("empty", ["generate", "--run", "{d}", "--random-seed", "-2"], "a seed is between 0 and 4294967295, not -2"),
    ("empty", ["bw-ellipses", "--size", "30"], "needs a multiple of 4"),
    ("empty", ["bw-ellipses", "--condition", "hair_color"], "unrecognized arguments: --condition"),
    ("empty", ["all", "--resume", "{d}"], "--resume takes one run"),
    ("empty", ["seeds", "--profile", "tiny", "--seeds", "0"], "--seeds must be at least 1"),
    ("empty", ["seeds", "faces"], "no seed study of 'faces': choose one of first-attempt, bw-ellipses"),
])
def test_bad_input_is_one_line_and_writes_no_run(tmp_path, command, setup, args, message):
    d = tmp_path / "images"
    d.mkdir()
    if setup == "corrupt":
        write_png(d / "fine.png", np.zeros((8, 8, 3), np.uint8))
        (d / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\ntruncated")
    if setup == "good":
        write_png(d / "a.png", np.zeros((8, 8, 3), np.uint8))
        (d / "a.csv").write_text('"hair_color", 1, 10\n')
    if setup == "file":
        (d / "file").write_text("a file, not a folder")
    out = tmp_path / "runs"
    extra = ["--out", out] if args[0] in ("cartoon", "bw-ellipses", "seeds") else []
    before = tree(tmp_path)
    proc = command("dcgan", *[a.format(d=d) for a in args], *extra)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and proc.stderr.startswith("error: "), proc.stderr
    assert message in proc.stderr
    assert not out.exists() or not any(out.rglob("config.json"))
    assert tree(tmp_path) == before
    assert not Path("/proc/dcgan-test").exists()


def test_interrupted_run_resumes_to_what_an_uninterrupted_run_gives(tmp_path):
    args = ["dcgan", "bw-ellipses", "--profile", "tiny", "--epochs", "6", "--images", "256", "--seed", "2"]
    cut = kill_when([*args, "--out", tmp_path / "cut"], tmp_path / "cut",
                    "dcgan/bw-ellipses/*/backup/training_metadata.json", 2, up=1)
    assert cut is not None, "the run finished before it could be interrupted"
    assert not (cut / "results.json").exists()
    done_before = len(list((cut / "epochs").glob("epoch_*.png")))
    unfinished = run_main("dcgan", "generate", "--run", cut)  # an unfinished run is not used as a finished one
    assert unfinished.returncode == 2 and "is not complete" in unfinished.stderr
    assert len(unfinished.stderr.strip().splitlines()) == 1
    refused = run_main("dcgan", "bw-ellipses", "--resume", cut, "--profile", "tiny")
    assert refused.returncode == 2 and "--profile cannot be given with --resume" in refused.stderr
    resumed = cli("dcgan", "bw-ellipses", "--resume", cut, check=0)
    assert "resuming after epoch" in resumed.stderr
    results = json.loads((cut / "results.json").read_text())
    assert [h["epoch"] for h in results["history"]] == [1, 2, 3, 4, 5, 6]
    assert len(list((cut / "epochs").glob("epoch_*.png"))) == 6 >= done_before
    assert (cut / "training.gif").is_file() and not (cut / "backup").exists()
    # Its training time is every part's: each epoch's seconds were written as the epoch ended.
    times = json.loads((cut / "epoch_times.json").read_text())
    assert sorted(times, key=int) == ["1", "2", "3", "4", "5", "6"]
    train_seconds = json.loads((cut / "timings.json").read_text())["train_seconds"]
    assert train_seconds == pytest.approx(sum(t["train"] + t["sample"] for t in times.values()))
    assert f"Training took {train_seconds:.0f} s" in (cut / "report.md").read_text()
    again = run_main("dcgan", "bw-ellipses", "--resume", cut, check=0)
    assert "already complete" in again.stdout
    # The same seed without the interruption: the same bytes.
    cli(*args, "--out", tmp_path / "whole", check=0)
    whole = only_run(tmp_path / "whole", "bw-ellipses")
    for name in ("results.json", "history.csv", "epochs/epoch_006.png", "epochs/epoch_001.png"):
        assert (cut / name).read_bytes() == (whole / name).read_bytes(), name


def test_settings_given_on_the_command_line_land_in_config_json(tmp_path):
    cli("dcgan", "bw-ellipses", "--profile", "tiny", "--epochs", "1", "--images", "32", "--network", "author",
        "--learning-rate", "0.0005", "--real-label", "0.8", "--checkpoint-every", "3", "--seed", "5",
        "--out", tmp_path, check=0)
    run = only_run(tmp_path, "bw-ellipses")
    config = json.loads((run / "config.json").read_text())
    assert config["profile"] == "tiny" and config["seed"] == 5 and config["experiment"] == "bw-ellipses"
    s = config["settings"]
    assert (s["epochs"], s["images"], s["network"], s["learning_rate"], s["real_label"]) == (1, 32, "author", 5e-4, 0.8)
    assert (s["size"], s["batch_size"], s["dataset"], s["channels"], s["checkpoint_every"]) == (16, 32, "bw", 1, 3)
    from dcgan.models import author_counts

    parameters = json.loads((run / "results.json").read_text())["parameters"]
    assert (parameters["generator"], parameters["discriminator"]) == author_counts(16, 1)
    assert not list((run / "checkpoints").iterdir())  # none in 1 epoch when every 3


def test_the_play_api_draws_and_walks(cartoon):
    from dcgan import play

    run, _ = cartoon
    avatars = play.load(run)
    assert avatars.conditional and avatars.attributes == {"hair_color": 10, "eye_color": 5}
    four = avatars.draw(4, random_seed=2, attributes={"hair_color": 3})
    assert four.shape == (4, 16, 16, 3) and four.dtype == np.uint8
    np.testing.assert_array_equal(four, avatars.draw(4, random_seed=2, attributes={"hair_color": 3}))
    assert not np.array_equal(four, avatars.draw(4, random_seed=3, attributes={"hair_color": 3}))
    walk = avatars.walk(2, 5, [0, 0.5, 1])
    assert walk.shape == (3, 16, 16, 3) and walk.dtype == np.uint8
    np.testing.assert_array_equal(walk[0], avatars.draw(1, random_seed=2)[0])
    np.testing.assert_array_equal(avatars.walk(2, 5, 0)[0], walk[0])
    assert avatars.grid(four, columns=2).shape == (2 * 18 + 2, 2 * 18 + 2, 3)
    from shared import UserError

    with pytest.raises(UserError, match="hair_color=10 is out of range"):
        avatars.draw(2, attributes={"hair_color": 10})


def damaged_copy(run, tmp_path, name, keep=20):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(run, copy)
    data = (copy / name).read_bytes()
    (copy / name).write_bytes(data[:keep])
    return copy


@pytest.mark.parametrize("name,args", [
    ("results.json", ["report"]), ("results.json", ["generate"]), ("config.json", ["generate"]),
    ("generator.keras", ["generate"]), ("attributes.json", ["generate"]), ("history.csv", ["report"]),
])
def test_a_damaged_run_is_reported_as_damaged(cartoon, tmp_path, command, name, args):
    copy = damaged_copy(cartoon[0], tmp_path, name, keep=0 if name == "history.csv" else 20)
    if name == "history.csv":
        (copy / name).unlink()
    before = tree(tmp_path)
    proc = command("dcgan", *args, "--run", copy)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert f"{copy} is damaged: {name}" in proc.stderr and "Traceback" not in proc.stderr
    assert tree(tmp_path) == before


def tree(root):
    return sorted((str(p.relative_to(root)), p.stat().st_size) for p in Path(root).rglob("*"))


def test_avatars_command_writes_a_set_and_refuses_a_full_folder(tmp_path):
    cli("dcgan", "avatars", "--n", "5", "--size", "32", "--dir", tmp_path / "set", check=0)
    assert len(list((tmp_path / "set").glob("*.png"))) == 5
    proc = run_main("dcgan", "avatars", "--n", "5", "--dir", tmp_path / "set")
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


@pytest.mark.parametrize("where", ["folder", "unwritable", "suffix"])
def test_generate_refuses_an_output_it_cannot_write(cartoon, tmp_path, command, where):
    run, _ = cartoon
    (tmp_path / "taken.png").mkdir()
    output = {"folder": tmp_path / "taken.png", "unwritable": "/proc/dcgan-test.png",
              "suffix": tmp_path / "x.jpg"}[where]
    before, run_before = tree(tmp_path), tree(run)
    proc = command("dcgan", "generate", "--run", run, "--output", output)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert {"folder": "is a folder", "unwritable": "cannot write", "suffix": "must end in .png"}[where] in proc.stderr
    assert tree(tmp_path) == before and tree(run) == run_before


def test_a_damaged_backup_is_reported_on_resume(cartoon, tmp_path):
    import shutil

    copy = tmp_path / "unfinished"
    shutil.copytree(cartoon[0], copy)
    (copy / "results.json").unlink()
    (copy / "backup").mkdir()
    (copy / "backup" / "training_metadata.json").write_text('{"epoch": 1, "batch": 0}')
    (copy / "backup" / "latest.weights.h5").write_bytes((copy / "generator.keras").read_bytes()[:100])
    before = tree(tmp_path)
    proc = run_main("dcgan", "cartoon", "--resume", copy)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert proc.stderr.startswith("error: ") and f"{copy} is damaged: backup/latest.weights.h5" in proc.stderr
    assert tree(tmp_path) == before


KEPT = Path(__file__).resolve().parent.parent / "dcgan" / "docs" / "full"
KEPT_GENERATORS = sorted(path.parent.name for path in KEPT.glob("*/generator.keras"))


def test_the_suite_keeps_the_generators_it_says_it_keeps():
    assert KEPT_GENERATORS == ["bw-ellipses", "cartoon"]


@pytest.mark.parametrize("experiment", KEPT_GENERATORS)
def test_a_kept_generator_is_the_one_that_drew_its_runs_last_grid(experiment):
    """The generator kept from a full run (seed 0, no optimizer state, no discriminator) loads with
    Keras' safe mode and turns the run's 16 fixed latent vectors into the run's last epoch grid:
    pixel for pixel where it was kept as trained, within 2 levels of 255 where it was kept in
    float16 (its card says so)."""
    import keras
    from PIL import Image

    from dcgan import media, play
    from dcgan.train import fixed_noise

    run = KEPT / experiment
    config, results = (json.loads((run / name).read_text()) for name in ("config.json", "results.json"))
    assert (config["profile"], config["seed"], config["experiment"]) == ("full", 0, experiment)
    generator = keras.saving.load_model(run / "generator.keras", safe_mode=True, compile=False)
    assert generator.count_params() == results["parameters"]["generator"]
    assert not (run / "discriminator.keras").exists() and not (run / "checkpoints").exists()
    samples = np.asarray(generator(fixed_noise(config["seed"]), training=False), dtype=np.float32)
    drawn = np.asarray(media.upscale(media.grid(samples)))
    last = np.asarray(Image.open(run / "epochs" / f"epoch_{config['settings']['epochs']:03d}.png"))
    if generator.weights[0].dtype == "float16":  # rounded weights: a level or two off, here and there
        assert np.abs(drawn.astype(int) - last.astype(int)).max() <= 2
    else:
        np.testing.assert_array_equal(drawn, last)  # the same pixels, every one
    size, channels = config["settings"]["size"], config["settings"]["channels"]
    assert play.load(run).draw(4, random_seed=1).shape == (4, size, size, channels)


@pytest.mark.parametrize("experiment", sorted(path.name for path in KEPT.iterdir() if path.is_dir()))
def test_report_on_a_kept_run_writes_back_what_is_kept(experiment, tmp_path):
    """``report --run`` on a copy of a kept run draws the same report, figures and results, and leaves
    the run's timings.json as it is (its seconds are the run's, not the redraw's). Where the avatars'
    attributes.json was not kept, the one section drawn from it is left out, and only that."""
    kept = KEPT / experiment
    copy = shutil.copytree(kept, tmp_path / experiment)
    run_main("dcgan", "report", "--run", copy, check=0)
    drawn, committed = file_bytes(copy), file_bytes(kept)
    assert sorted(drawn) == sorted(committed)
    assert [name for name in drawn if name != "report.md" and drawn[name] != committed[name]] == []
    report = committed["report.md"].decode("utf-8")
    if "attributes.json" not in committed:
        report = re.sub(r"\n## The images' attributes\n\n(\|.*\n)+", "", report)
    assert drawn["report.md"].decode("utf-8") == report
