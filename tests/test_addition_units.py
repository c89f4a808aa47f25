import math

import numpy as np
import pytest

from addition.config import FULL, PROFILES, QUICK, TINY, Config, of_run
from addition.data import accuracy, data_seed, input_limit, make_pairs, max_sum, net_name, rounded
from addition.play import Adders, check_number, forward
from shared import UserError
from shared.cli import settings_from, settings_parser


@pytest.mark.parametrize("bits,limit,total", [(4, 8, 16), (8, 128, 256), (16, 32768, 65536)])
def test_number_ranges_per_bits(bits, limit, total):
    assert input_limit(bits) == limit and max_sum(bits) == total
    x, y = make_pairs(20000, bits, np.random.default_rng(0))
    assert x.min() == 0 and x.max() == limit - 1  # both ends are drawn
    assert y.max() < total
    np.testing.assert_array_equal(y[:, 0], x.sum(1))
    assert x.dtype == np.float32 and y.shape == (20000, 1)


def test_accuracy_rule_rounds_to_nearest():
    # The post: 2 + 2 = 4.4 counts as right, 4.6 does not.
    assert accuracy([4.4], [4]) == 1.0
    assert accuracy([4.6], [4]) == 0.0
    assert accuracy([3.5, 3.49, 4.49, 5.2], [4, 4, 4, 4]) == 0.5
    np.testing.assert_array_equal(rounded([0.5, 1.5, 2.5, -0.4]), [1, 2, 3, 0])


def test_validation_split_is_the_last_fifth():
    from addition.data import split

    x = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    (xt, yt), (xv, yv) = split(x, y, 0.2)
    np.testing.assert_array_equal(yt, np.arange(8))
    np.testing.assert_array_equal(yv, [8, 9])


def test_seeds_are_per_network_and_data_per_max_sum():
    from addition.data import network_seed

    assert network_seed(0, 2, 4) != network_seed(0, 4, 4) != network_seed(1, 2, 4)
    a = make_pairs(5, 8, data_seed(0, 8, "train"))[0]
    b = make_pairs(5, 8, data_seed(0, 8, "train"))[0]
    c = make_pairs(5, 8, data_seed(0, 8, "test"))[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("nodes", [1, 2, 4, 8, 16])
def test_parameter_counts_and_no_biases(nodes):
    from shared import runtime

    runtime.setup()
    from addition.models import build

    model = build(nodes)
    assert model.count_params() == 3 * nodes  # 2n into the hidden layer, n out of it
    assert all(len(layer.weights) == 1 for layer in model.layers)  # kernels only
    assert model.get_layer("hidden").activation.__name__ == "sigmoid"
    assert model.get_layer("output").activation.__name__ == "linear"


def test_forward_matches_the_keras_model():
    from shared import runtime

    runtime.setup(seed=1)
    import keras

    from addition.models import build, weights

    model = build(4)
    hidden, out = forward(*weights(model), 2, 2)
    keras_out = float(keras.ops.convert_to_numpy(model(np.array([[2.0, 2.0]], "float32")))[0, 0])
    assert hidden.shape == (4,) and np.all((hidden > 0) & (hidden < 1))
    assert out == pytest.approx(keras_out, rel=1e-5)


def test_epoch_batches_cover_the_data_once_in_a_new_order_each_epoch():
    from shared import runtime

    runtime.setup()
    from addition.fast_path import epochs_dataset

    x = np.arange(100, dtype="float32").reshape(50, 2)
    y = x.sum(1, keepdims=True)
    batches = list(epochs_dataset(x, y, 16, seed=7, first_epoch=0).take(8).as_numpy_iterator())
    assert [len(b[0]) for b in batches] == [16, 16, 16, 2] * 2  # remainder batch kept
    first = np.concatenate([b[0] for b in batches[:4]])
    second = np.concatenate([b[0] for b in batches[4:]])
    for epoch in (first, second):
        np.testing.assert_array_equal(np.sort(epoch[:, 0]), x[:, 0])
    assert not np.array_equal(first, second)
    for bx, by in batches:
        np.testing.assert_array_equal(bx.sum(1, keepdims=True), by)  # pairs stay with their sums
    # Epoch 1 is the same whether training starts at epoch 0 or resumes at epoch 1.
    resumed = list(epochs_dataset(x, y, 16, seed=7, first_epoch=1).take(4).as_numpy_iterator())
    np.testing.assert_array_equal(np.concatenate([b[0] for b in resumed]), second)


def test_profiles_are_the_post_and_smaller_versions_of_it():
    assert FULL == Config() and PROFILES == {"full": FULL, "quick": QUICK, "tiny": TINY}
    assert FULL.nodes == (1, 2, 4, 8, 16) and FULL.bits == (4, 8, 16)
    assert (FULL.pairs, FULL.validation_split, FULL.max_epochs, FULL.patience, FULL.batch_size,
            FULL.test_pairs) == (10000, 0.2, 1000, 5, 32, 10000)  # the post's settings
    assert QUICK.max_epochs == 150 and QUICK.nodes == FULL.nodes and QUICK.pairs == FULL.pairs
    assert TINY.nodes == (1, 2) and TINY.bits == (4, 8) and TINY.max_epochs == 3
    for profile in PROFILES.values():
        profile.check()


def test_every_setting_is_an_option_that_lands_in_the_settings():
    parser = settings_parser("prog", "", Config, PROFILES)
    args = parser.parse_args(["--profile", "tiny", "--nodes", "4", "1", "--patience", "7",
                              "--validation-split", "0.25", "--batch-size", "16"])
    profile, settings = settings_from(args, Config, PROFILES)
    assert profile == "tiny"
    assert settings == Config(nodes=(1, 4), bits=(4, 8), pairs=640, validation_split=0.25, max_epochs=3,
                               patience=7, batch_size=16, test_pairs=1000, log_every=1, backup_every=1)
    # A run's config.json holds the settings as a dict; they come back the same.
    import dataclasses
    import json

    stored = json.loads(json.dumps({"settings": dataclasses.asdict(settings)}))
    assert of_run(stored) == settings
    assert of_run({"settings": {**stored["settings"], "profile": "tiny"}}) == settings  # older runs
    with pytest.raises(UserError, match="--profile cannot be given with --resume"):
        settings_from(parser.parse_args(["--resume", "x", "--profile", "tiny"]), Config, PROFILES)
    with pytest.raises(UserError, match="--patience cannot be given with --resume"):
        settings_from(parser.parse_args(["--resume", "x", "--patience", "3"]), Config, PROFILES)


@pytest.mark.parametrize("change,message", [
    ({"nodes": (3, 2)}, "--nodes 3 is outside the post's grid: choose from 1, 2, 4, 8, 16"),
    ({"bits": (5, 4)}, "--bits 5 is outside the post's grid"),
    ({"max_epochs": 0}, "--max-epochs must be at least 1"),
    ({"patience": 0}, "--patience must be at least 1"),
    ({"batch_size": 0}, "--batch-size must be at least 1"),
    ({"validation_split": 1.0}, "--validation-split 1.0 leaves no pairs"),
    ({"validation_split": 0.001, "pairs": 10}, "leaves no pairs to train or to validate on among 10"),
])
def test_check_refuses_settings_outside_the_post(change, message):
    with pytest.raises(UserError, match=message):
        Config(**change).check()


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1e308", "1000001", "two"])
def test_ask_takes_finite_numbers_within_a_million(text):
    with pytest.raises(UserError):
        check_number(text)
    assert check_number("-1e6") == -1e6 and check_number("2") == 2.0


def test_adders_answer_with_the_networks_arithmetic():
    # The post's 2-node network: one positive and one negative output weight.
    w_in = np.array([[0.1, -0.1], [0.1, -0.1]])
    w_out = np.array([22.7, -23.5])
    adders = Adders("run", {(2, 16): (w_in, w_out), (1, 256): (np.array([[0.01], [0.01]]), np.array([150.0]))})
    assert adders.networks == [(2, 16), (1, 256)]
    (answer,) = adders.ask(2, 2, nodes=2)
    hidden = 1 / (1 + np.exp(-0.4)), 1 / (1 + np.exp(0.4))
    assert answer["hidden"] == pytest.approx(hidden)
    assert answer["prediction"] == pytest.approx(22.7 * hidden[0] - 23.5 * hidden[1])
    assert answer["rounded"] == math.floor(answer["prediction"] + 0.5)
    assert answer["right"] == (answer["rounded"] == 4) and answer["inside_range"]
    assert answer["w_in"] == w_in.tolist() and answer["w_out"] == w_out.tolist()
    (far,) = adders.ask(3, 200, max_sum=16)
    assert not far["inside_range"]  # inputs of max sum 16 were drawn from [0, 8)
    assert [a["max_sum"] for a in adders.ask(1, 1)] == [16, 256]
    with pytest.raises(UserError, match="has no trained network with 4 hidden nodes"):
        adders.ask(2, 2, nodes=4)
    with pytest.raises(UserError):
        adders.ask(float("nan"), 2)


def test_network_names():
    assert net_name(2, 4) == "n2_s16" and net_name(16, 16) == "n16_s65536"


def test_the_kept_networks_are_the_full_runs_for_inference_and_play_opens_them_by_default():
    """``docs/full/grid`` keeps the full run's 15 networks without optimizer state; each scores on
    the run's own test pairs exactly what the run recorded, and ``play.load()`` opens them."""
    import json

    from conftest import REPO
    from shared import runtime

    runtime.setup()
    from addition import play
    from addition.analysis import predict
    from addition.models import load

    kept = REPO / "addition" / "docs" / "full" / "grid"
    config = json.loads((kept / "config.json").read_text())
    results = json.loads((kept / "results.json").read_text())["networks"]
    settings = of_run(config)
    assert config["profile"] == "full" and len(results) == 15
    for bits in settings.bits:
        x, y = make_pairs(settings.test_pairs, bits, data_seed(config["seed"], bits, "test"))
        for nodes in settings.nodes:
            model = load(kept, nodes, bits)
            assert getattr(model, "optimizer", None) is None  # kept for inference only
            assert accuracy(predict(model, x), y) == results[net_name(nodes, bits)]["accuracy"]
    adders = play.load()
    assert adders.networks == [(n, 2 ** b) for b in settings.bits for n in settings.nodes]
    (two,) = adders.ask(2, 2, nodes=2, max_sum=16)
    assert two["prediction"] == pytest.approx(json.loads((kept / "results.json").read_text())
                                              ["two_plus_two"]["n2_s16"]["prediction"], abs=1e-5)
