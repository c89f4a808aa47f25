"""Digit grids, drawn as the post draws them: 1 − pixel, dark ink on light paper."""
import numpy as np

from shared.figures import plt, save


def grid(images, titles, path, columns=5, suptitle=None, invert=True, scale=1.6):
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


def bars(values, labels, path, title, ylabel):
    fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
    ax.bar(labels, values)
    ax.set_title(title, fontsize=9)
    ax.set_ylabel(ylabel)
    return save(fig, path)


def stats_plot(stats, path):
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
