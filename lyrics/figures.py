"""The lyrics figures: line lengths, the training curves, the repetition measures."""
import numpy as np

from shared.figures import plt, save


def line_lengths(lengths, seq_len, path, title, unit="words"):
    lengths = np.asarray(lengths)
    median = float(np.median(lengths))
    fig, ax = plt.subplots(figsize=(6.5, 3.4), layout="constrained")
    top = int(np.percentile(lengths, 99.5)) + 2
    ax.hist(np.minimum(lengths, top), bins=np.arange(0.5, top + 1.5, 1 if unit == "words" else 2),
            color="#4c72b0")
    ax.axvline(median, color="#c44e52", lw=1.5)
    ax.text(0.98, 0.92, f"median {median:g} {unit} (red line)\n→ input length {median:g} × 4 + 3 = {seq_len}",
            transform=ax.transAxes, ha="right", va="top", fontsize=8, color="#c44e52")
    ax.set_xlabel(f"line length ({unit}; the last bar: {top} or more)")
    ax.set_ylabel("lines")
    ax.set_title(title, fontsize=9)
    return save(fig, path)


def curves(loss, accuracy, path, title, val_loss=None, val_accuracy=None):
    """Loss and accuracy per epoch; the held-out songs' beside them (dashed) where given."""
    epochs = np.arange(1, len(loss) + 1)
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
    for ax, values, held_out, label in ((axes[0], loss, val_loss, "loss (sparse cross-entropy)"),
                                        (axes[1], accuracy, val_accuracy, "accuracy")):
        ax.plot(epochs, values, marker="o", ms=3, label="training songs")
        if held_out is not None:
            ax.plot(epochs, held_out, marker="o", ms=3, ls="--", label="held-out songs")
            ax.legend(fontsize=8)
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    axes[1].yaxis.set_major_formatter(lambda v, _: f"{100 * v:.1f} %")
    fig.suptitle(title, fontsize=9)
    return save(fig, path)


def repetition(rows, path, title):
    """``rows``: (label, measures) pairs; bars of repeated-word share and distinct-word share."""
    labels = [f"{r[0]}\n{r[1]['words']:.0f} words" for r in rows]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
    colors = ["#c44e52", "#4c72b0", "#55a868", "#8172b2"][:len(rows)]
    for ax, key, name in ((axes[0], "repeat_share", "words that repeat the word before"),
                          (axes[1], "distinct_ratio", "distinct words among the first 50")):
        values = [100 * r[1][key] for r in rows]
        ax.barh(labels, values, color=colors)
        for y, v in enumerate(values):
            ax.text(v + 1, y, f"{v:.0f} %", va="center", fontsize=8)
        ax.set_xlim(0, 110)
        ax.set_xlabel(f"{name} (%)")
        ax.invert_yaxis()
    axes[1].set_yticklabels([])
    fig.suptitle(title, fontsize=9)
    return save(fig, path)
