"""The figures: digit grids drawn as the post draws them (1 − pixel, dark ink on
light paper), the networks' validation curves, the eigen-digits and the PCA
classifier, the per-digit statistics."""
from pathlib import Path

import numpy as np

from shared.figures import plt, save


def grid(images, titles, path, columns=5, suptitle=None, invert=True, scale=1.6):
    """Images (N, 784) in rows of ``columns``, each with its title; returns the path."""
    images = np.asarray(images).reshape(-1, 28, 28)
    rows = int(np.ceil(len(images) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(scale * columns, scale * rows + 0.4),
                             squeeze=False, layout="constrained")
    for ax in axes.ravel():
        ax.axis("off")
    for ax, img, title in zip(axes.ravel(), images, titles):
        ax.imshow(1 - img if invert else img, cmap="gray", vmin=0, vmax=1)
        ax.axis("on")  # a thin frame shows where the 28 × 28 image ends
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(title, fontsize=7)
    if suptitle:
        fig.suptitle(suptitle, fontsize=9)
    return save(fig, path)


def validation_accuracy(run_dir, names, path):
    """Each network's validation accuracy by epoch, from its history.csv."""
    fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
    for n in names:
        h = np.genfromtxt(Path(run_dir) / "nets" / n / "history.csv", delimiter=",", names=True)
        ax.plot(np.arange(1, h.size + 1), 100 * np.atleast_1d(h["val_categorical_accuracy"]), label=n)
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation accuracy (%)")
    ax.legend()
    return save(fig, path)


def stats_plot(stats, path):
    """Per digit: the intensity histogram and the variograms along x and y."""
    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(13, 3.4), layout="constrained")
    lags = np.arange(1, stats["g_x"].shape[1] + 1)
    centres = np.arange(10) / 10 + 0.05
    for d in range(10):
        a1.plot(centres, stats["histogram"][d], marker=".", label=str(d))
        a2.plot(lags, stats["g_x"][d], label=str(d))
        a3.plot(lags, stats["g_y"][d], label=str(d))
    a1.set_yscale("log")
    a1.set_xlabel("pixel intensity (bin centre)")
    a1.set_ylabel("share of pixels")
    a1.set_title("intensity histogram per digit", fontsize=9)
    for ax, axis in ((a2, "x (along rows)"), (a3, "y (along columns)")):
        ax.set_xlabel("lag k (pixels)")
        ax.set_ylabel("mean |p − p(k further)|")
        ax.set_title(f"variogram along {axis}", fontsize=9)
    a3.legend(fontsize=7, ncol=2)
    return save(fig, path)


def pca(arrays, results, out):
    """The first ten eigen-digits, and the explained variance and accuracy by components."""
    vec = arrays["vectors"]
    fig, axes = plt.subplots(2, 5, figsize=(9, 4), layout="constrained")
    for i, ax in enumerate(axes.ravel()):
        v = vec[:, i]
        ax.imshow(((v - v.min()) / (v.max() - v.min())).reshape(28, 28), cmap="gray")
        ax.set_title(f"PC {i + 1}", fontsize=8)
        ax.axis("off")
    fig.suptitle("The first ten eigen-digits, each rescaled to [0, 1]")
    paths = [save(fig, out / "eigen_digits.png")]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
    a1.plot(np.arange(1, 785), arrays["explained"])
    a1.set_xscale("log")
    a1.set_xlabel("components")
    a1.set_ylabel("share of variance explained")
    ks = sorted(int(k) for k in results["accuracy_by_components"])
    a2.plot(ks, [100 * results["accuracy_by_components"][str(k)] for k in ks], marker="o")
    a2.axhline(70, color="grey", ls="--", lw=0.7)
    a2.text(ks[0], 71, "the post: about 70 %", fontsize=8)
    a2.set_xscale("log")
    a2.set_xlabel("components")
    a2.set_ylabel("test accuracy (%)")
    a2.set_title("nearest class mean in principal-component space", fontsize=9)
    paths.append(save(fig, out / "pca_accuracy.png"))
    return paths
