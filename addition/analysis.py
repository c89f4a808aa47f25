"""What the trained networks do: the post's table, its error surfaces, its 2 + 2.

:func:`analyse` loads every network of a run and measures what the post
reports; it returns ``results`` (plain numbers, for ``results.json`` and the
blog comparison) and ``arrays`` (grids and curves for the figures, saved as
``analysis.npz`` so the figures can be redrawn without the models).
"""
from pathlib import Path

import keras
import numpy as np

from addition.blog import SURFACES
from addition.data import accuracy, data_seed, input_limit, make_pairs, max_sum, net_name, rounded
from addition.models import load, weights
from addition.play import forward

SURFACE_STEPS = 61


def predict(model, x):
    return keras.ops.convert_to_numpy(model(np.asarray(x, dtype="float32"), training=False))[:, 0]


def surface_axis(bits):
    """Integer inputs from 0 to 20 % beyond the training range, at most SURFACE_STEPS of them."""
    top = int(np.floor((input_limit(bits) - 1) * 1.2))
    return np.unique(np.round(np.linspace(0, top, min(SURFACE_STEPS, top + 1)))).astype(int)


def all_pairs(bits):
    """Every pair in the training range (for max sum 65536, a 256 × 256 sub-grid)."""
    limit = input_limit(bits)
    axis = np.arange(limit) if limit <= 256 else np.unique(np.linspace(0, limit - 1, 256).round())
    a, b = np.meshgrid(axis, axis, indexing="ij")
    return np.stack([a.ravel(), b.ravel()], axis=1).astype("float32")


def two_plus_two(model):
    w_in, w_out = weights(model)
    hidden, output = forward(w_in, w_out, 2, 2)
    return {"prediction": output, "hidden": hidden.tolist(),
            "w_in": w_in.tolist(), "w_out": w_out.tolist()}


def analyse(run_dir, settings, seed, summaries):
    results = {"networks": {}, "two_plus_two": {}}
    arrays = {}
    models = {}
    for bits in settings.bits:
        x_test, y_test = make_pairs(settings.test_pairs, bits, data_seed(seed, bits, "test"))
        for nodes in settings.nodes:
            name = net_name(nodes, bits)
            model = models[(nodes, bits)] = load(run_dir, nodes, bits)
            pred = predict(model, x_test)
            err = pred - y_test[:, 0]
            summary = summaries[name]
            results["networks"][name] = {
                "nodes": nodes, "max_sum": max_sum(bits),
                "accuracy": accuracy(pred, y_test), "mse": float(np.mean(err ** 2)),
                "mae": float(np.mean(np.abs(err))),
                "epochs": summary["epochs"], "best_epoch": summary["best_epoch"],
                "best_val_loss": summary["best_val_loss"], "stopped_early": summary["stopped_early"],
                "prediction_min": float(pred.min()), "prediction_max": float(pred.max()),
            }
            results["two_plus_two"][name] = two_plus_two(model)
            arrays[f"test_pred_{name}"] = pred
            history = np.genfromtxt(Path(run_dir) / "networks" / name / "history.csv",
                                    delimiter=",", names=True)
            arrays[f"val_loss_{name}"] = np.atleast_1d(history["val_loss"])
            if bits == 16 and nodes == max(settings.nodes):
                results.update(_saturation(model, x_test, y_test, pred, name))
    for nodes, bits in SURFACES:
        if (nodes, bits) in models:
            axis = surface_axis(bits)
            a, b = np.meshgrid(axis, axis, indexing="ij")
            pred = predict(models[(nodes, bits)], np.stack([a.ravel(), b.ravel()], 1))
            arrays[f"surface_{net_name(nodes, bits)}"] = np.stack(
                [a.ravel(), b.ravel(), np.abs(pred - a.ravel() - b.ravel())], 1)
    if (1, 4) in models:
        results["one_node_16_valley"] = _valley(models[(1, 4)], 4)
    if (16, 8) in models:
        results.update(_sum120(models[(16, 8)], arrays))
    return results, arrays


def _valley(model, bits):
    """The sum at which the network's mean |error| over all pairs is lowest."""
    pairs = all_pairs(bits)
    sums = pairs.sum(1)
    err = np.abs(predict(model, pairs) - sums)
    by_sum = {int(s): float(err[sums == s].mean()) for s in np.unique(sums)}
    best = min(by_sum, key=by_sum.get)
    return {"sum": best, "mean_abs_error": by_sum[best], "by_sum": by_sum}


def _sum120(model, arrays):
    """The 16-node / 256 network along a + b = 120, and the sums it gets right."""
    a = np.arange(121)
    pred = predict(model, np.stack([a, 120 - a], 1))
    arrays["sum120"] = np.stack([a, pred - 120], 1)
    pairs = all_pairs(8)
    sums = pairs.sum(1)
    correct = rounded(predict(model, pairs)) == sums
    right = sums[correct]
    return {"sum120": {"60+60": float(pred[60]), "103+17": float(pred[103]),
                       "max_abs_error": float(np.abs(pred - 120).max()),
                       "error_at_ends": float(np.abs(pred[[0, 120]] - 120).mean())},
            "n16_s256_correct": {"share": float(correct.mean()),
                                 "min_sum": float(right.min()) if right.size else None,
                                 "max_sum": float(right.max()) if right.size else None}}


def _saturation(model, x_test, y_test, pred, name):
    """The 65536 network: its most common answer, its best case, and how saturated it is."""
    values, counts = np.unique(rounded(pred), return_counts=True)
    err = np.abs(pred - y_test[:, 0])
    best = int(np.argmin(err))
    w_in, _ = weights(model)
    big = (x_test > 10).all(axis=1)
    hidden = 0.5 * (1.0 + np.tanh(0.5 * (x_test[big].astype("float64") @ w_in.astype("float64"))))
    saturated = np.minimum(hidden, 1 - hidden) < 0.01
    return {
        "most_common_65536": {"network": name, "value": float(values[counts.argmax()]),
                              "share": float(counts.max() / len(pred))},
        "best_case_65536": {"a": int(x_test[best, 0]), "b": int(x_test[best, 1]),
                            "prediction": float(pred[best]), "error": float(err[best])},
        "saturation_65536": {"share_saturated": float(saturated.mean()),
                             "pairs": int(big.sum())},
    }
