"""dcgan's parts: the data, the stand-in avatars, the networks, one training step, the measures."""
import io
import tarfile

import numpy as np
import pytest

from dcgan import avatars, data, measures
from shared import UserError


def test_ellipse_variants_on_pixels():
    outline = data.ellipses(20, 32, "outline", seed=1)
    bw = data.ellipses(20, 32, "bw", seed=1)
    colour = data.ellipses(20, 32, "colour", seed=1)
    assert outline.shape == (20, 32, 32, 3) and bw.shape == (20, 32, 32, 1) and colour.shape == (20, 32, 32, 3)
    # corners are background: white for the first attempt, black for the others
    for img in outline:
        assert (img[0, 0] == 255).all() and (img[16, 16] == 255).all()  # unfilled: the centre is background too
        assert (img != 255).any(axis=-1).mean() < 0.3  # a thin outline
    assert set(np.unique(bw)) == {0, 255} and (bw[:, 16, 16] == 255).all() and (bw[:, 0, 0] == 0).all()
    centre = colour[:, 16, 16]
    assert (colour[:, 0, 0] == 0).all() and (centre > 0).any(axis=-1).all()
    assert len({tuple(c) for c in centre}) > 15  # random colours
    filled = (bw[..., 0] > 0).mean(axis=(1, 2))
    assert filled.min() > np.pi / 16 * 0.8 and filled.max() < np.pi / 4 * 1.05  # radii in [w/4, w/2)
    np.testing.assert_array_equal(data.ellipses(20, 32, "colour", seed=1), colour)
    assert not np.array_equal(data.ellipses(20, 32, "colour", seed=2), colour)
    with pytest.raises(UserError, match="unknown ellipse variant 'dots'"):
        data.ellipses(2, 32, "dots")


def test_scaling_to_tanh_range_and_back():
    x = np.array([0, 127, 128, 255], dtype=np.uint8)
    u = data.to_tanh_range(x)
    assert u.min() == -1.0 and u.max() == 1.0
    np.testing.assert_array_equal(data.from_tanh_range(u), x)
    np.testing.assert_allclose(measures.to_unit_range(u), x / 255, atol=1e-6)


def png_bytes(array):
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(array).save(buf, format="PNG")
    return buf.getvalue()


def make_cartoon_archive(path, n=3):
    """A small Cartoon-Set-like .tgz: RGBA PNGs with a transparent background, one CSV each."""
    with tarfile.open(path, "w:gz") as tar:
        for i in range(n):
            rgba = np.zeros((50, 50, 4), np.uint8)
            rgba[10:40, 10:40] = (200, 30 * i, 10, 255)
            files = {f"cartoonset10k/cs{i}.png": png_bytes(rgba),
                     f"cartoonset10k/cs{i}.csv": f'"eye_color", {i}, 5\n"hair", {2 * i}, 111\n'.encode()}
            for name, blob in files.items():
                info = tarfile.TarInfo(name)
                info.size = len(blob)
                tar.addfile(info, io.BytesIO(blob))
    return path


def test_cartoon_loader_reads_an_archive(tmp_path):
    images, names, attrs = data.load_images(make_cartoon_archive(tmp_path / "set.tgz"), 20)
    assert images.shape == (3, 20, 20, 3) and images.dtype == np.uint8
    assert names == ["cartoonset10k/cs0", "cartoonset10k/cs1", "cartoonset10k/cs2"]
    assert (images[:, 0, 0] == 255).all()  # transparency became white
    assert tuple(images[2, 10, 10]) == (200, 60, 10)
    assert attrs["eye_color"][0].tolist() == [0, 1, 2] and attrs["eye_color"][1] == 5
    assert attrs["hair"][1] == 111
    assert data.attribute_table(attrs)[0][0] == "eye_color"


def test_loader_refuses_folders_without_images_and_corrupt_pngs(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("no images")
    with pytest.raises(UserError, match="holds no PNG images"):
        data.load_images(tmp_path / "empty", 16)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.png").write_bytes(png_bytes(np.zeros((8, 8, 3), np.uint8)))
    (bad / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    with pytest.raises(UserError, match=r"b\.png is not a readable image"):
        data.load_images(bad, 16)
    with pytest.raises(UserError, match="does not exist"):
        data.load_images(tmp_path / "nowhere", 16)


def test_standin_avatars_have_the_cartoon_set_format(tmp_path):
    avatars.write_set(tmp_path, 12, seed=3, size=64)
    assert len(list(tmp_path.glob("*.png"))) == 12 and len(list(tmp_path.glob("*.csv"))) == 12
    rows = (tmp_path / "cs_00004.csv").read_text().splitlines()
    assert rows[0].startswith('"face_shape",') and len(rows) == len(avatars.ATTRIBUTES)
    images, _, attrs = data.load_images(tmp_path, 32)
    assert images.shape == (12, 32, 32, 3) and set(attrs) == set(avatars.ATTRIBUTES)
    assert "STAND-IN" in avatars.__doc__ and "stand-in" in (tmp_path / "README.txt").read_text()
    combos = avatars.draw_attributes(10_000, seed=0)
    assert len({tuple(c.values()) for c in combos}) == 10_000
    assert len({img.tobytes() for img in images}) == 12


def test_parameter_counts_match_the_architectures():
    from shared import runtime

    runtime.setup()
    from dcgan import models

    g, d = models.build("tutorial", 28, 1)
    assert (g.count_params(), d.count_params()) == (2_330_944, 212_865)  # the TensorFlow tutorial's own
    assert g.output_shape == (None, 28, 28, 1)
    for size in (32, 64):
        g, d = models.build("author", size, 3)
        assert (g.count_params(), d.count_params()) == models.author_counts(size, 3) == models.counts("author", size, 3)
        assert g.output_shape == (None, size, size, 3)
    assert models.author_counts(64, 3) == (18_920_323, 1_047_169)
    g, d = models.build("author", 32, 3, n_classes=15)
    assert g.input_shape == [(None, 100), (None, 15)] and d.input_shape == [(None, 32, 32, 3), (None, 15)]


@pytest.mark.parametrize("train_g,train_d", [(True, False), (False, True)])
def test_one_step_moves_only_the_network_that_steps(train_g, train_d):
    from shared import runtime

    runtime.setup(seed=0)
    import keras

    from dcgan import models
    from dcgan.gan import DCGAN
    from dcgan.gan import GANBatches

    g, d = models.build("tutorial", 16, 1)
    gan = DCGAN(g, d, train_g=train_g, train_d=train_d)
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-3), d_optimizer=keras.optimizers.Adam(1e-3))
    before_g = [w.copy() for w in g.get_weights()]
    before_d = [w.copy() for w in d.get_weights()]
    images = np.random.default_rng(0).integers(0, 256, (8, 16, 16, 1), dtype=np.uint8)
    history = gan.fit(GANBatches(images, None, 8, seed=0), epochs=1, verbose=0).history
    assert len(history["g_loss"]) == 1
    assert np.isfinite(history["g_loss"][0]) and np.isfinite(history["d_loss"][0])
    trainable_g = {id(v) for v in g.trainable_variables}
    moved_g = any(not np.array_equal(a, v.numpy()) for a, v in zip(before_g, g.weights) if id(v) in trainable_g)
    same_d = all(np.array_equal(a, b) for a, b in zip(before_d, d.get_weights()))
    assert moved_g == train_g
    if train_d:
        assert not same_d
    else:
        assert same_d  # the discriminator has no batch statistics: nothing moved at all


def test_the_backup_holds_both_optimizers(tmp_path):
    from shared import runtime

    runtime.setup(seed=0)
    from dcgan import config
    from dcgan.gan import GANBatches
    from dcgan.train import make_gan

    settings = config.profile("bw-ellipses", "tiny")
    gan = make_gan(settings)
    images = np.random.default_rng(0).integers(0, 256, (32, 16, 16, 1), dtype=np.uint8)
    gan.fit(GANBatches(images, None, 32, seed=0), epochs=1, verbose=0)
    gan.save_weights(tmp_path / "both.weights.h5")
    again = make_gan(settings)
    again.load_weights(tmp_path / "both.weights.h5")
    for name in ("g_optimizer", "d_optimizer"):
        saved, loaded = getattr(gan, name).variables, getattr(again, name).variables
        assert int(loaded[0].numpy()) == 1  # the step count: one step was taken
        assert all(np.array_equal(a.numpy(), b.numpy()) for a, b in zip(saved, loaded))


def test_batches_are_keyed_by_seed_epoch_and_batch():
    from dcgan.gan import GANBatches

    images = np.arange(10, dtype=np.uint8).reshape(10, 1, 1, 1)
    a, b = GANBatches(images, None, 4, seed=3), GANBatches(images, None, 4, seed=3)
    b.set_epoch(1)
    b.set_epoch(0)
    first = [a[i] for i in range(len(a))]
    assert len(a) == 3 and [len(x["images"]) for x in first] == [4, 4, 2]
    assert sorted(np.concatenate([x["images"] for x in first]).ravel().tolist()) == sorted(
        data.to_tanh_range(images).ravel().tolist())
    for i in (2, 0, 1):  # in any order: each batch is drawn from its own stream
        np.testing.assert_array_equal(b[i]["noise"], first[i]["noise"])
        np.testing.assert_array_equal(b[i]["images"], first[i]["images"])
    a.set_epoch(1)
    assert not np.array_equal(a[0]["noise"], first[0]["noise"])


def test_discriminator_loss_smooths_real_labels():
    from shared import runtime

    runtime.setup()
    from keras import ops

    from dcgan.gan import discriminator_loss

    big = ops.convert_to_tensor(np.full((4, 1), 30.0, "float32"))
    low = ops.convert_to_tensor(np.full((4, 1), -30.0, "float32"))
    # a perfectly sure discriminator pays for certainty when reals are labelled 0.9
    assert float(discriminator_loss(big, low, 1.0)) < 1e-6
    assert float(discriminator_loss(big, low, 0.9)) == pytest.approx(0.1 * 30, rel=1e-3)


def test_measures():
    bw = data.to_tanh_range(data.ellipses(8, 32, "bw", seed=2))
    assert measures.mean_ellipse_iou(bw, 0.0) > 0.9
    noise = np.random.default_rng(0).uniform(-1, 1, (8, 32, 32, 1))
    assert measures.mean_ellipse_iou(noise, 0.0) < 0.6
    same = np.repeat(bw[:1], 8, axis=0)
    assert measures.diversity(same) == 0.0 and measures.diversity(bw) > 0.1
    assert measures.brightness(np.ones((2, 4, 4, 3))) == 1.0
    assert measures.nearest_real(bw[:2], bw) == 0.0
    assert measures.change(bw, bw) == 0.0


def test_settings_one_instance_per_section_and_profile():
    import dataclasses

    from dcgan import config

    assert list(config.EXPERIMENTS) == ["first-attempt", "bw-ellipses", "colour-ellipses", "cartoon"]
    bw = config.profile("bw-ellipses", "full")
    assert (bw.network, bw.learning_rate, bw.beta_1, bw.batch_size, bw.real_label) == ("tutorial", 1e-4, 0.9, 256, 1.0)
    assert (bw.dataset, bw.channels, bw.background, bw.size, bw.images, bw.epochs) == ("bw", 1, 0.0, 28, 10_000, 50)
    cartoon = config.profile("cartoon", "full")
    assert (cartoon.network, cartoon.learning_rate, cartoon.beta_1, cartoon.real_label) == ("author", 2e-4, 0.5, 0.9)
    assert config.profile("colour-ellipses", "quick").epochs == 4 and config.profile("first-attempt", "quick").size == 32
    tiny = config.profile("cartoon", "tiny")
    assert (tiny.size, tiny.images, tiny.batch_size, tiny.epochs) == (16, 64, 32, 2)
    everything = config.for_all("tiny", {"epochs": 3, "condition": ("hair_color",)})
    assert all(s.epochs == 3 for s in everything.values())
    assert everything["cartoon"].condition == ("hair_color",) and everything["bw-ellipses"].condition == ()
    for bad, message in (({"size": 20}, "needs a multiple of 16"), ({"images": 8}, "at least 16"),
                         ({"real_label": 1.5}, "--real-label")):
        with pytest.raises(UserError, match=message):
            dataclasses.replace(cartoon, **bad).check()
    with pytest.raises(UserError, match="--data and --condition are for the avatars"):
        dataclasses.replace(bw, condition=("hair_color",)).check()
    with pytest.raises(UserError, match="unknown profile 'huge'"):
        config.profile("cartoon", "huge")


def test_a_gif_above_its_size_keeps_every_other_frame_and_the_last(tmp_path):
    import imageio.v3 as iio

    from dcgan import media

    frames = [np.random.default_rng(i).integers(0, 256, (64, 64, 3), dtype=np.uint8) for i in range(9)]
    whole = media.gif(frames, tmp_path / "whole.gif")
    assert len(iio.imread(whole, index=None)) == 9
    limit = whole.stat().st_size * 2 // 3
    small = media.gif(frames, tmp_path / "small.gif", max_bytes=limit)
    kept = iio.imread(small, index=None)
    assert len(kept) in (5, 3) and small.stat().st_size <= limit  # 9 → 0, 2, 4, 6, 8 → 0, 4, 8
    np.testing.assert_array_equal(kept[-1], iio.imread(whole, index=None)[-1])  # the last epoch stays
