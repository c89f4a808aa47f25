import numpy as np
import pytest

from addition.data import accuracy, data_seed, input_limit, make_pairs, max_sum, rounded
from addition.train import network_seed, split


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
    x = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    (xt, yt), (xv, yv) = split(x, y, 0.2)
    np.testing.assert_array_equal(yt, np.arange(8))
    np.testing.assert_array_equal(yv, [8, 9])


def test_seeds_are_per_network_and_data_per_max_sum():
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

    from addition.models import build, forward, weights

    model = build(4)
    hidden, out = forward(*weights(model), 2, 2)
    keras_out = float(keras.ops.convert_to_numpy(model(np.array([[2.0, 2.0]], "float32")))[0, 0])
    assert hidden.shape == (4,) and np.all((hidden > 0) & (hidden < 1))
    assert out == pytest.approx(keras_out, rel=1e-5)


def test_epoch_batches_cover_the_data_once_in_a_new_order_each_epoch():
    from shared import runtime

    runtime.setup()
    from addition.train import epoch_dataset

    x = np.arange(100, dtype="float32").reshape(50, 2)
    y = x.sum(1, keepdims=True)
    batches = list(epoch_dataset(x, y, 16, seed=7, first_epoch=0).take(8).as_numpy_iterator())
    assert [len(b[0]) for b in batches] == [16, 16, 16, 2] * 2  # remainder batch kept
    first = np.concatenate([b[0] for b in batches[:4]])
    second = np.concatenate([b[0] for b in batches[4:]])
    for epoch in (first, second):
        np.testing.assert_array_equal(np.sort(epoch[:, 0]), x[:, 0])
    assert not np.array_equal(first, second)
    for bx, by in batches:
        np.testing.assert_array_equal(bx.sum(1, keepdims=True), by)  # pairs stay with their sums
    # Epoch 1 is the same whether training starts at epoch 0 or resumes at epoch 1.
    resumed = list(epoch_dataset(x, y, 16, seed=7, first_epoch=1).take(4).as_numpy_iterator())
    np.testing.assert_array_equal(np.concatenate([b[0] for b in resumed]), second)
