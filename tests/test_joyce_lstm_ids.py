"""The LSTM over character ids is the post's LSTM over one-hot vectors: same weights, same function."""
import numpy as np
import pytest

from joyce_lstm import models, pipeline

N_CHARS, UNITS, BATCH, TIME = 11, 8, 6, 9


def twin_models(layers=1):
    """The post's one-hot model and the ids model, holding the same weights."""
    onehot = models.build(N_CHARS, UNITS, layers, inputs="onehot")
    ids = models.build(N_CHARS, UNITS, layers, inputs="ids")
    ids.set_weights(onehot.get_weights())
    return onehot, ids


def batch(seed=0):
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, N_CHARS, (BATCH, TIME)).astype("int32")
    y = np.eye(N_CHARS, dtype="float32")[rng.integers(0, N_CHARS, BATCH)]
    return ids, np.eye(N_CHARS, dtype="float32")[ids], y


def gradients(model, x, y):
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss = model.compute_loss(x=x, y=y, y_pred=model(x, training=True))
    return [tf.convert_to_tensor(g).numpy() for g in tape.gradient(loss, model.trainable_variables)]


@pytest.mark.parametrize("layers", [1, 2])
def test_same_weights_give_the_same_outputs_and_gradients(layers):
    onehot, ids_model = twin_models(layers)
    assert [v.path for v in ids_model.weights] == [v.path for v in onehot.weights]
    assert ids_model.count_params() == onehot.count_params() == models.parameter_count(N_CHARS, UNITS, layers)
    ids, x, y = batch()
    np.testing.assert_allclose(ids_model.predict_on_batch(ids), onehot.predict_on_batch(x), rtol=1e-6, atol=1e-7)
    grads_ids, grads_onehot = gradients(ids_model, ids, y), gradients(onehot, x, y)
    assert len(grads_ids) == len(grads_onehot) == 3 * layers + 2
    for g_ids, g_onehot in zip(grads_ids, grads_onehot):
        assert np.abs(g_onehot).max() > 0
        np.testing.assert_allclose(g_ids, g_onehot, rtol=1e-5, atol=1e-7)
    # One step of Nadam each: the same loss, the same new weights.
    loss_ids, loss_onehot = ids_model.train_on_batch(ids, y), onehot.train_on_batch(x, y)
    np.testing.assert_allclose(loss_ids, loss_onehot, rtol=1e-6)
    for w_ids, w_onehot in zip(ids_model.get_weights(), onehot.get_weights()):
        np.testing.assert_allclose(w_ids, w_onehot, rtol=1e-5, atol=1e-6)


def test_a_different_kernel_row_changes_the_output():
    """The lookup reads the kernel: a check that the comparison above could fail."""
    onehot, ids_model = twin_models()
    ids, x, _ = batch(1)
    kernel = ids_model.layers[0].cell.kernel
    kernel.assign(kernel.numpy() + np.eye(N_CHARS, 4 * UNITS, dtype="float32"))
    assert np.abs(ids_model.predict_on_batch(ids) - onehot.predict_on_batch(x)).max() > 1e-3


def test_weights_and_backups_load_either_way(tmp_path):
    """A backup of the one-hot model (weights and optimizer state, as BackupAndRestore writes it)
    restores into the ids model, and the ids model's checkpoint loads back."""
    onehot = models.build(N_CHARS, UNITS, inputs="onehot")
    ids, x, y = batch(2)
    onehot.train_on_batch(x, y)
    onehot.save_weights(tmp_path / "latest.weights.h5")
    restored = models.build(N_CHARS, UNITS, inputs="ids")
    restored.optimizer.build(restored.trainable_variables)  # as BackupAndRestore does before loading
    restored.load_weights(tmp_path / "latest.weights.h5")
    assert len(restored.optimizer.variables) == len(onehot.optimizer.variables) == 13
    for a, b in zip(restored.optimizer.variables, onehot.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    np.testing.assert_allclose(restored.predict_on_batch(ids), onehot.predict_on_batch(x), rtol=1e-6, atol=1e-7)

    restored.save(tmp_path / "epoch_01.keras")
    loaded = models.load(tmp_path / "epoch_01.keras")
    assert models.takes_ids(loaded) and not models.takes_ids(onehot)
    np.testing.assert_array_equal(models.predictor(loaded)(ids), restored.predict_on_batch(ids))
    np.testing.assert_allclose(models.predictor(onehot)(ids), restored.predict_on_batch(ids), rtol=1e-6, atol=1e-7)
    back = models.build(N_CHARS, UNITS, inputs="onehot")
    back.optimizer.build(back.trainable_variables)
    back.load_weights(tmp_path / "epoch_01.keras")
    np.testing.assert_array_equal(back.predict_on_batch(x), onehot.predict_on_batch(x))


def test_the_training_feeds_one_hot_vectors_into_keras_lstm():
    import keras

    from joyce_lstm import train
    from joyce_lstm.config import PROFILES

    encoded = np.random.default_rng(0).integers(0, 7, 400).astype(np.int32)
    _, data = train.make_data(encoded, PROFILES["tiny"], 0, 7)
    x, y = data[0]
    assert x.ndim == 3 and x.shape[-1] == 7 and (x.sum(-1) == 1).all()
    model = models.build(N_CHARS, UNITS)
    assert type(model.get_layer("lstm_1")) is keras.layers.LSTM and not models.takes_ids(model)
    with pytest.raises(ValueError, match="inputs must be one of"):
        models.build(N_CHARS, UNITS, inputs="bytes")


def test_id_windows_are_the_one_hot_windows():
    encoded = np.random.default_rng(0).integers(0, 7, 200).astype(np.int32)
    ids = pipeline.Windows(encoded, 10, 3, 7, 16, seed=4, inputs="ids")
    onehot = pipeline.OneHotWindows(encoded, 10, 3, 7, 16, seed=4)
    assert len(ids) == len(onehot)
    for i in range(len(ids)):
        (xi, yi), (xo, yo) = ids[i], onehot[i]
        assert xi.shape == xo.shape[:2] and xi.dtype == np.int32
        np.testing.assert_array_equal(np.eye(7, dtype="float32")[xi], xo)
        np.testing.assert_array_equal(yi, yo)
    with pytest.raises(ValueError, match="inputs must be one of"):
        pipeline.Windows(encoded, 10, 3, 7, 16, inputs="bytes")
