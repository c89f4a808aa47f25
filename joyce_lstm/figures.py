"""The post's figures: the sentence-length histogram and the loss per epoch; and one of
our own, the share of real words in the samples epoch by epoch beside the post's."""
import numpy as np

from shared.figures import plt, save


def sentence_lengths(lengths, path, shares):
    fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
    clipped = np.minimum(lengths, 400)
    ax.hist(clipped, bins=np.arange(0, 405, 5), color="#4c72b0")
    for x, key, blog in ((100, "share_below_100", "86 %"), (125, "share_below_125", "90 %")):
        ax.axvline(x, color="#c44e52", lw=1)
        ax.text(x + 3, ax.get_ylim()[1] * (0.85 if x == 100 else 0.7),
                f"{100 * shares[key]:.1f} % below {x}\n(post: {blog})", fontsize=8, color="#c44e52")
    ax.set_xlabel("sentence length (characters; 400 = 400 or more)")
    ax.set_ylabel("sentences")
    ax.set_title(f"Sentence lengths in Ulysses + Dubliners ({lengths.size:,} sentences)", fontsize=9)
    return save(fig, path)


def loss(losses, path, title, held_out=None, held_out_label=None, marks=(1, 2, 10, 20, 31)):
    """The training loss per epoch; ``held_out``: the loss on text never trained on, beside it."""
    epochs = np.arange(1, len(losses) + 1)
    fig, ax = plt.subplots(figsize=(6.5, 3.6), layout="constrained")
    ax.plot(epochs, losses, marker="o", ms=3, label="ours" if held_out is None else "ours, training")
    if held_out is not None:
        ax.plot(epochs, held_out, marker="o", ms=3, color="#dd8452",
                label=f"held out: {held_out_label} (val_loss)")
    shown = [e for e in marks if e <= len(losses)]
    ax.plot(shown, [losses[e - 1] for e in shown], "s", color="#c44e52", ms=6, fillstyle="none",
            label="epochs the post shows samples of")
    ax.set_xlabel("epoch")
    ax.xaxis.get_major_locator().set_params(integer=True)  # whole epochs on the axis
    ax.set_ylabel(("training loss" if held_out is None else "loss") + " (categorical cross-entropy)")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return save(fig, path)


def word_share(measures, blog, path):
    """Share of real words per epoch and diversity (ours) and in the post's samples."""
    fig, ax = plt.subplots(figsize=(6.5, 3.6), layout="constrained")
    epochs = sorted(int(e) for e in measures)
    diversities = list(measures[str(epochs[0])])
    for d in diversities:
        ax.plot(epochs, [100 * measures[str(e)][d]["real_word_share"] for e in epochs],
                marker=".", label=f"ours, diversity {d}")
    be = sorted(int(e) for e in blog)
    ax.plot(be, [100 * blog[str(e)]["real_word_share"] for e in be], "k*", ms=10, label="the post's samples")
    ax.set_xlabel("epoch")
    ax.set_ylabel("words found in the corpus (%)")
    ax.set_ylim(0, 101)
    ax.set_title("How much of a sample is real words (seed: the post's)", fontsize=9)
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    return save(fig, path)
