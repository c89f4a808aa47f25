"""Losses beside sample diversity per epoch: mode collapse made visible."""
from shared.figures import plt, save


def losses_and_diversity(history, real, path, title):
    epochs = [h["epoch"] for h in history]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 3.6), layout="constrained")
    a1.plot(epochs, [h["g_loss"] for h in history], marker=".", label="generator")
    a1.plot(epochs, [h["d_loss"] for h in history], marker=".", label="discriminator")
    a1.set_xlabel("epoch")
    a1.set_ylabel("mean loss (binary cross-entropy)")
    a1.set_title("losses", fontsize=9)
    a1.legend(fontsize=8)
    a2.plot(epochs, [h["diversity"] for h in history], marker=".", label="16 fixed-seed samples")
    a2.axhline(real["diversity"], color="k", ls="--", lw=1, label="16 real images")
    change = [(h["epoch"], h["change"]) for h in history if h["change"] is not None]
    if change:
        a2.plot(*zip(*change), marker=".", color="#c44e52", alpha=0.7,
                label="change from the epoch before")
    a2.set_xlabel("epoch")
    a2.set_ylabel("mean pairwise RMS distance")
    a2.set_ylim(bottom=0)
    a2.set_title("sample diversity (a drop = mode collapse)", fontsize=9)
    a2.legend(fontsize=8)
    fig.suptitle(title, fontsize=10)
    return save(fig, path)


def shape_measures(history, real, path, title):
    epochs = [h["epoch"] for h in history]
    fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
    if history and history[0].get("ellipse_iou") is not None:
        ax.plot(epochs, [h["ellipse_iou"] for h in history], marker=".", label="ellipse fit (IoU)")
        ax.axhline(real["ellipse_iou"], color="C0", ls="--", lw=1)
    ax.plot(epochs, [h["brightness"] for h in history], marker=".", label="brightness")
    ax.axhline(real["brightness"], color="C1", ls="--", lw=1)
    ax.plot(epochs, [h["nearest_real"] for h in history], marker=".", label="distance to nearest real image")
    ax.axhline(real["nearest_real"], color="C2", ls="--", lw=1)
    ax.set_xlabel("epoch")
    ax.set_ylim(0, 1.05)
    ax.set_title(title + " (dashed: real images)", fontsize=9)
    ax.legend(fontsize=8)
    return save(fig, path)

