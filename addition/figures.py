"""The figures: the post's table, loss curves, error surfaces, 2 + 2 diagrams and histograms.

Drawn from a run's ``results.json`` and ``analysis.npz`` alone, so that
``python -m addition report`` redraws them without loading a network.
"""
from pathlib import Path

import numpy as np

from addition.data import max_sum
from shared.figures import plt, save


def table(results, settings, path):
    nodes, sums = settings.nodes, [max_sum(b) for b in settings.bits]
    acc = np.array([[results["networks"][f"n{n}_s{s}"]["accuracy"] for s in sums] for n in nodes])
    fig, ax = plt.subplots(figsize=(1.9 * len(sums) + 1.5, 0.55 * len(nodes) + 1.4))
    ax.imshow(acc, cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    for i, n in enumerate(nodes):
        for j, s in enumerate(sums):
            net = results["networks"][f"n{n}_s{s}"]
            ax.text(j, i, f"{net['accuracy']:.1%}\nMSE {net['mse']:.3g}", ha="center", va="center",
                    fontsize=8)
    ax.set_xticks(range(len(sums)), [f"max sum {s}" for s in sums])
    ax.set_yticks(range(len(nodes)), [f"{n} hidden" for n in nodes])
    ax.set_title("Accuracy (rounded prediction = sum) and MSE on 10,000 fresh pairs"
                 if settings.test_pairs == 10000 else
                 f"Accuracy and MSE on {settings.test_pairs:,} fresh pairs", fontsize=9)
    return save(fig, path)


def val_loss(arrays, settings, path):
    sums = [max_sum(b) for b in settings.bits]
    fig, axes = plt.subplots(1, len(sums), figsize=(4.6 * len(sums), 3.8), squeeze=False,
                             layout="constrained")
    for ax, s in zip(axes[0], sums):
        curves = [arrays[f"val_loss_n{n}_s{s}"] for n in settings.nodes]
        for n, curve in zip(settings.nodes, curves):
            ax.plot(np.arange(1, len(curve) + 1), curve, label=f"{n} node{'s' if n > 1 else ''}")
        top, bottom = max(c.max() for c in curves), min(c.min() for c in curves)
        if top > 10 * bottom:  # log scale where the losses span decades
            ax.set_yscale("log")
        else:
            ax.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
        ax.set_title(f"max sum {s}")
        ax.set_xlabel("epoch")
        ax.set_ylabel("validation loss (MSE)")
        ax.legend(fontsize=7)
    fig.suptitle("Validation loss per epoch (lines end where early stopping stopped)")
    return save(fig, path)


def surface(arrays, name, path):
    data = arrays[f"surface_{name}"]
    nodes, total = name[1:].split("_s")
    fig = plt.figure(figsize=(6, 4.8))
    ax = fig.add_subplot(projection="3d")
    ax.plot_trisurf(data[:, 0], data[:, 1], data[:, 2], cmap="viridis", linewidth=0)
    ax.set_xlabel("a")
    ax.set_ylabel("b")
    ax.set_zlabel("|error|", labelpad=10)
    if data[:, 2].max() > 1e4:
        ax.ticklabel_format(style="sci", scilimits=(0, 0))
    ax.set_title(f"{nodes}-node hidden layer, trained on sums up to {total}\n"
                 "(inputs to 20 % beyond the training range)", fontsize=9)
    return save(fig, path)


def sum120(arrays, path):
    a, err = arrays["sum120"][:, 0], arrays["sum120"][:, 1]
    fig, ax = plt.subplots(figsize=(6, 3.4))
    ax.plot(a, err)
    ax.axhline(0, color="grey", lw=0.5)
    ax.set_xlabel("a (b = 120 − a)")
    ax.set_ylabel("prediction − 120")
    ax.set_title("Error along a + b = 120, 16-node network, sums up to 256", fontsize=9)
    return save(fig, path)


def diagram(ax, item, title):
    """The network computing 2 + 2: weights on the edges, activations in the nodes."""
    w_in, w_out, hidden = np.array(item["w_in"]), np.array(item["w_out"]), item["hidden"]
    n = len(w_out)
    ys_hidden = np.linspace(0, 1, n) if n > 1 else np.array([0.5])
    ys_in = np.array([0.3, 0.7])
    for i, yi in enumerate(ys_in):
        for j, yh in enumerate(ys_hidden):
            ax.plot([0, 1], [yi, yh], color="#999", lw=0.6, zorder=1)
            if n <= 4:  # more labels than that crowd the picture; the report has them as text
                ax.text(0.18 + 0.1 * i, yi + (yh - yi) * (0.18 + 0.1 * i), f"{w_in[i, j]:.2f}",
                        fontsize=6, color="#555")
    for j, yh in enumerate(ys_hidden):
        ax.plot([1, 2], [yh, 0.5], color="#c33" if w_out[j] < 0 else "#36c", lw=0.8, zorder=1)
        ax.text(1.55, yh + (0.5 - yh) * 0.55, f"{w_out[j]:.1f}", fontsize=7,
                color="#c33" if w_out[j] < 0 else "#36c")
        ax.scatter([1], [yh], s=420, color="white", edgecolor="black", zorder=2)
        ax.text(1, yh, f"{hidden[j]:.2f}", ha="center", va="center", fontsize=7, zorder=3)
    for yi in ys_in:
        ax.scatter([0], [yi], s=420, color="white", edgecolor="black", zorder=2)
        ax.text(0, yi, "2", ha="center", va="center", zorder=3)
    ax.scatter([2], [0.5], s=600, color="white", edgecolor="black", zorder=2)
    ax.text(2, 0.5, f"{item['prediction']:.2f}", ha="center", va="center", fontsize=7, zorder=3)
    ax.set_xlim(-0.3, 2.3)
    ax.set_ylim(-0.15, 1.15)
    ax.axis("off")
    ax.set_title(title, fontsize=9)


def two_plus_two(results, names, path):
    fig, axes = plt.subplots(1, len(names), figsize=(4.6 * len(names), 3.8), squeeze=False)
    for ax, name in zip(axes[0], names):
        nodes, total = name[1:].split("_s")
        diagram(ax, results["two_plus_two"][name], f"2 + 2 with {nodes} hidden nodes (max sum {total})")
    return save(fig, path)


def predictions(arrays, names, path):
    fig, axes = plt.subplots(1, len(names), figsize=(5.4 * len(names), 3.4), squeeze=False,
                             layout="constrained")
    for ax, name in zip(axes[0], names):
        nodes, total = name[1:].split("_s")
        pred = arrays[f"test_pred_{name}"]
        lo, hi = float(pred.min()), float(pred.max())
        if hi - lo < 10:  # one value, nearly: widen the bins around it
            lo, hi = np.floor(lo) - 5, np.ceil(hi) + 5
        ax.hist(pred, bins=80, range=(lo, hi))
        ax.ticklabel_format(axis="x", useOffset=False)
        ax.set_title(f"predictions of the {nodes}-node network, sums up to {total}", fontsize=9)
        ax.set_xlabel("prediction")
        ax.set_ylabel("test pairs")
    return save(fig, path)


def draw_all(run_dir, results, arrays, settings):
    """Every figure the run can draw; returns their paths."""
    out = Path(run_dir) / "figures"
    paths = [table(results, settings, out / "accuracy_table.png"),
             val_loss(arrays, settings, out / "val_loss.png")]
    for key in sorted(k for k in arrays if k.startswith("surface_")):
        name = key[len("surface_"):]
        paths.append(surface(arrays, name, out / f"surface_{name}.png"))
    if "sum120" in arrays:
        paths.append(sum120(arrays, out / "sum120_n16_s256.png"))
    names = [f"n{n}_s16" for n in (2, 4, 8) if f"n{n}_s16" in results["two_plus_two"]]
    if names:
        paths.append(two_plus_two(results, names, out / "two_plus_two.png"))
    hist = [n for n in ("n1_s256", "n16_s65536") if f"test_pred_{n}" in arrays]
    if hist:
        paths.append(predictions(arrays, hist, out / "predictions.png"))
    return paths
