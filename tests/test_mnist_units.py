import numpy as np
import pytest

from mnist_adversarial import genetic, image_stats


def test_crossover_takes_each_pixel_from_one_parent():
    rng = np.random.default_rng(0)
    p1, p2 = np.zeros((4, 784), "float32"), np.ones((4, 784), "float32")
    mask = rng.random((4, 784)) < 0.5
    child = genetic.crossover(p1, p2, mask)
    np.testing.assert_array_equal(child, np.where(mask, 0.0, 1.0))
    assert 0.4 < child.mean() < 0.6  # both parents contribute


def test_parents_are_distinct_and_cover_the_selection():
    first, second = genetic.pick_parents(np.random.default_rng(1), (20000,), 10)
    assert (first != second).all()
    assert set(first) == set(second) == set(range(10))
    pairs = np.bincount(first * 10 + second, minlength=100).reshape(10, 10)
    assert np.all(np.diag(pairs) == 0) and pairs[~np.eye(10, dtype=bool)].min() > 100


def test_mutation_rate_as_specified():
    np.testing.assert_allclose(genetic.mutation_rate(np.array([0.0, 1.0, -20.0, 80.0])),
                               [0.0, 0.01, 0.2, 0.5])
    assert genetic.mutation_rate(np.array([10.0]), mutate_factor=2.0)[0] == pytest.approx(0.2)


def test_histogram_draws_stay_in_their_bins():
    rng = np.random.default_rng(2)
    only_first = genetic.cumulative([1.0] + [0.0] * 9)
    v = genetic.histogram_draw(only_first, rng.random(1000), rng.random(1000))
    assert v.min() >= 0 and v.max() < 0.1
    half = genetic.cumulative([0.5] + [0.0] * 8 + [0.5])
    v = genetic.histogram_draw(half, rng.random(20000), rng.random(20000))
    assert ((v < 0.1) | (v >= 0.9)).all() and 0.45 < (v < 0.1).mean() < 0.55
    per_draw = genetic.histogram_draw(np.stack([only_first, genetic.cumulative([0] * 9 + [1])]),
                                      np.array([0.3, 0.3]), np.array([0.5, 0.5]))
    np.testing.assert_allclose(per_draw, [0.05, 0.95])


def test_cost_is_the_sum_of_absolute_differences():
    out = np.array([[0.1, 0.7, 0.2, 0, 0, 0, 0, 0, 0, 0.0]])
    assert genetic.abs_cost(out, np.array([1]))[0] == pytest.approx(0.1 + 0.3 + 0.2)


def fake_network(x):
    """Output j is the mean of pixel block j: an image is a 'digit' where its block is bright."""
    blocks = x[:, :780].reshape(len(x), 10, 78).mean(-1)
    return np.clip(blocks, 0, 1)


def test_evolution_reaches_the_tolerance_and_clips():
    rng = np.random.default_rng(3)
    cum = genetic.cumulative([0.1] * 10)
    r = genetic.evolve(fake_network, np.array([3, 7]), np.stack([cum, cum]),
                       genetic.GAParameters(n_total=50, n_selected=5, max_iter=400, tol=3.0), rng)
    assert r["converged"].all() and (r["costs"] < 3.0).all()
    assert r["images"].min() >= 0 and r["images"].max() <= 1
    out = fake_network(r["images"])
    assert out[0].argmax() == 3 and out[1].argmax() == 7
    assert (r["generations"] > 0).all()


def test_statistics_on_a_hand_computed_image():
    img = np.zeros((28, 28), "float32")
    img[:, ::2] = 1.0  # vertical stripes: neighbours along x always differ
    gx, gy = image_stats.variogram(img.reshape(1, 784), lags=3)
    np.testing.assert_allclose(gx[0], [1.0, 0.0, 1.0])
    np.testing.assert_allclose(gy[0], [0.0, 0.0, 0.0])
    px, _ = image_stats.variogram(img.reshape(1, 784), lags=3, as_posted=True)
    np.testing.assert_allclose(px[0], [1.0, 1.0, 1.0])  # the Rcpp's lag 1 for every k
    h = image_stats.histogram(np.array([0.0, 0.05, 0.1, 0.15, 1.0, 0.95, 0.55, 0.0]))
    np.testing.assert_allclose(h, np.array([4, 1, 0, 0, 0, 1, 0, 0, 0, 2]) / 8)
    cost = image_stats.variogram_cost(img.reshape(1, 784), np.array([[1.0, 0, 1]]), np.array([[0.5, 0, 0]]))
    assert cost[0] == pytest.approx(0.5 / 3)


def test_networks_architecture_and_regularisation():
    from shared import runtime

    runtime.setup()
    import keras

    from mnist_adversarial.models import build, nielsen_cost

    settings = {"n_train": 50000, "lmbda": 5.0, "eta": 0.1}
    m = build("mlp100", **settings)
    assert m.count_params() == 784 * 100 + 100 + 100 * 10 + 10
    assert [l.activation.__name__ for l in m.layers] == ["sigmoid", "sigmoid"]
    assert m.layers[0].kernel_regularizer.l2 == pytest.approx(5.0 / (2 * 50000))
    assert m.layers[0].bias_regularizer is None
    assert isinstance(m.optimizer, keras.optimizers.SGD)
    assert float(m.optimizer.learning_rate) == pytest.approx(0.1)
    assert build("mlp30", **settings).count_params() == 784 * 30 + 30 + 30 * 10 + 10
    y = np.array([[0, 1.0]])
    a = np.array([[0.2, 0.6]], "float32")
    expected = -(np.log(0.8) + np.log(0.6))
    assert float(keras.ops.convert_to_numpy(nielsen_cost(y, a))[0]) == pytest.approx(expected, rel=1e-5)
    assert build("cnn", **settings).output_shape == (None, 10)


def test_settings_become_options_and_are_checked():
    from mnist_adversarial.__main__ import experiment_parser
    from mnist_adversarial.config import FULL, PROFILES, Config
    from shared import UserError
    from shared.cli import settings_from

    args = experiment_parser("genetic").parse_args(["--profile", "tiny", "--ga-tol", "0.01", "--digits", "7", "2",
                                                    "--as-posted", "--ga-networks", "cnn"])
    profile, settings = settings_from(args, Config, PROFILES)
    assert profile == "tiny" and settings.ga_tol == 0.01 and settings.digits == (2, 7)
    assert settings.as_posted and settings.ga_networks == ("cnn",)
    assert settings.ga_max_iter == PROFILES["tiny"].ga_max_iter != FULL.ga_max_iter
    for bad, message in ((["--digits", "12"], "unknown digit 12"), (["--ga-networks", "vgg"], "vgg"),
                         (["--n-train", "60000"], "--n-train"), (["--ga-selected", "1"], "--ga-selected"),
                         (["--descent-rate", "0"], "--descent-rate")):
        with pytest.raises(UserError, match=message):
            settings_from(experiment_parser("genetic").parse_args(bad), Config, PROFILES)
    with pytest.raises(UserError, match="--profile cannot be given with --resume"):
        settings_from(experiment_parser("pca").parse_args(["--resume", "x", "--profile", "tiny"]),
                      Config, PROFILES)


def drawn_to_the_edges():
    """A thick '7' whose ink touches all four edges of the 28 × 28 frame."""
    img = np.zeros((28, 28), "float32")
    img[0:4, :] = 1.0
    for row in range(4, 28):
        col = 27 - row * 27 // 27
        img[row, max(0, col - 3):col + 1] = 1.0
    return img


def test_centre_like_mnist_fits_20_by_20_with_the_mass_in_the_middle():
    from mnist_adversarial.data import centre_like_mnist

    img = drawn_to_the_edges()
    rows, cols = np.nonzero(img > 0.05)
    assert rows.min() == 0 and rows.max() == 27 and cols.min() == 0 and cols.max() == 27
    out = centre_like_mnist(img)
    assert out.shape == (28, 28) and out.dtype == np.float32 and 0 <= out.min() and out.max() <= 1
    rows, cols = np.nonzero(out > 0.05)
    assert rows.max() - rows.min() + 1 <= 20 and cols.max() - cols.min() + 1 <= 20
    r, c = np.indices(out.shape)
    assert abs((r * out).sum() / out.sum() - 13.5) <= 1 and abs((c * out).sum() / out.sum() - 13.5) <= 1
    wide = np.zeros((28, 28), "float32")
    wide[10:14, :] = 1.0  # a bar: its aspect is kept, so it stays 20 wide and thin
    out = centre_like_mnist(wide)
    rows, cols = np.nonzero(out > 0.05)
    assert cols.max() - cols.min() + 1 == 20 and rows.max() - rows.min() + 1 <= 5
    assert not centre_like_mnist(np.zeros((28, 28))).any()


def test_an_image_is_checked_before_the_networks_see_it():
    from mnist_adversarial.play import ImageError, check_image

    assert check_image(np.full((28, 28), 0.5)).shape == (1, 784)
    for bad, message in ((np.zeros((28, 27)), "28 × 28"), (np.full((28, 28), np.nan), "finite"),
                         (np.full((28, 28), 255.0), r"\[0, 1\]"), ("ink", "array of numbers")):
        with pytest.raises(ImageError, match=message):
            check_image(bad)
    with pytest.raises(ValueError):  # what a notebook or web page catches
        check_image(-np.ones((28, 28)))


def test_the_kept_networks_are_the_full_runs_and_play_opens_them_by_default():
    """``docs/full/networks`` keeps the full run's three networks for inference; each scores on the MNIST
    test images exactly what the run recorded, and ``play.load()`` with no run folder opens them."""
    import json

    from conftest import REPO
    from shared import runtime

    runtime.setup()
    from mnist_adversarial import play
    from mnist_adversarial.data import load

    kept = REPO / "mnist_adversarial" / "docs" / "full" / "networks"
    results = json.loads((kept / "results.json").read_text())
    classifiers = play.load()
    assert classifiers.path == kept and classifiers.names == ["mlp100", "mlp30", "cnn"]
    _, (x_test, y_test) = load()
    for name, model in classifiers.models.items():
        assert getattr(model, "optimizer", None) is None  # kept for inference only
        predicted = np.argmax(model.predict(x_test, batch_size=1000, verbose=0), axis=1)
        assert float(np.mean(predicted == y_test)) == results[name]["test_accuracy"]


def test_mnist_is_read_once_per_file_and_shared_read_only(tmp_path, monkeypatch):
    """``data.load`` gives every step of a run the same arrays, which nobody can change, and reads
    the file again once it is replaced."""
    from mnist_adversarial.data import load

    def write(value, n=3):
        (tmp_path / "mnist").mkdir(exist_ok=True)
        images = np.full((n, 28, 28), value, np.uint8)
        np.savez(tmp_path / "mnist" / "mnist.npz", x_train=images, y_train=np.arange(n, dtype=np.uint8),
                 x_test=images[:2], y_test=np.arange(2, dtype=np.uint8))

    monkeypatch.setenv("REPRO_DATA", str(tmp_path))
    write(51)
    (x, y), (x_test, _) = load()
    assert x.shape == (3, 784) and x.dtype == np.float32 and x_test.shape == (2, 784) and y.dtype == np.int64
    assert (x == np.float32(51 / 255)).all()  # as dividing in float64 and rounding gives
    assert load()[0][0] is x and load(limit_test=1)[1][0].shape == (1, 784)
    with pytest.raises(ValueError, match="read-only"):
        x[0, 0] = 1.0
    write(255, n=4)  # another size: a file replaced within the clock's tick is still told apart
    assert load()[0][0].shape == (4, 784) and (load()[0][0] == 1.0).all()  # the new file, not the old arrays
