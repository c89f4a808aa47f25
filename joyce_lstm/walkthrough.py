# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Synthetic Modernist Literature using an LSTM RNN
#
# A walkthrough of the post in which a character-level LSTM reads James Joyce's *Ulysses* and *Dubliners*
# and, epoch by epoch, learns to write something that looks like them. The author had found *Ulysses*
# "particularly inaccessible"; the question is how far a network with no rules of spelling, grammar or
# punctuation gets by reading it one character at a time. We follow the post's script: the corpus, its
# sentence lengths, the LSTM, the samples printed after every epoch at four diversities, the loss; then the
# post's samples beside ours, and the trained network writing on from the post's own seed.
#
# Run time on a 2-core CPU, for the whole notebook:
#
# | profile | what it trains | time |
# |---|---|---|
# | `tiny` | LSTM(16), the first 6,000 characters, 2 epochs: checks that everything runs | about 30 seconds |
# | `quick` | LSTM(128), the first 240,000 characters (80 k windows), 5 epochs | about 8 minutes (less on an idle machine) |
# | `full` | the post's script: LSTM(128), both books (633 k windows), 60 epochs | 4½–5 hours |
#
# At `tiny` the network writes noise. At `quick` it ends near where the post's network was after its first
# epoch: short words, many of them real, little punctuation. The post's later epochs need `full`: the
# section "The post's own run" shows the suite's run at those settings.

# %%
import os, subprocess, sys
from pathlib import Path

PROFILE = os.environ.get("REPRO_PROFILE", "quick")   # tiny · quick · full (the post's own settings)
ROOT = next((p for p in [Path.cwd(), *Path.cwd().parents] if (p / "shared" / "runs.py").is_file()), None)
if ROOT is None:  # a hosted notebook without the suite: fetch it and install what it needs
    SUITE = os.environ.get("REPRO_SUITE", "https://github.com/OWNER/repro-blogs")  # where you got the suite
    subprocess.run(["git", "clone", "--depth", "1", SUITE, "repro-blogs"], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-r", "repro-blogs/requirements.txt"], check=True)
    ROOT = Path("repro-blogs").resolve()
os.chdir(ROOT)
sys.path.insert(0, str(ROOT))
RUNS = os.environ.get("REPRO_RUNS", "runs")           # where run folders go

# %%
from shared import runtime

runtime.setup()  # before Keras is imported: the backend, quiet TensorFlow start-up

import csv
import io
import json
import tempfile
from dataclasses import replace

from IPython.display import Image, Markdown, Pretty, display

from joyce_lstm import blog, corpus, experiment, figures, models, play
from joyce_lstm.config import PROFILES
from shared.figures import plt
from shared.report import markdown_table

SETTINGS = PROFILES[PROFILE]
LENGTH = 60 if PROFILE == "tiny" else 300  # characters each of the notebook's samples writes
SCRATCH = Path(tempfile.mkdtemp())  # the notebook's own figures (a run keeps its figures in its folder)


def show(fig):
    """Show a matplotlib figure inline, as a PNG."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    display(Image(buffer.getvalue()))


def report_section(run_dir, title):
    """One section of a run's report.md (its tables and text, without the figures shown elsewhere)."""
    text = (Path(run_dir) / "report.md").read_text(encoding="utf-8")
    section = text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if not line.startswith("!["))


def write_on(writer, seed_text, diversity, length, random_seed=1):
    """Show a seed text and the network's continuation, which grows one character at a time as it is
    drawn (one output updated in place, rather than a printed line per character)."""
    text = f"----- diversity {diversity}, epoch {writer.epoch}\n{seed_text}"
    shown = display(Pretty(text), display_id=True)
    for ch in writer.sample(seed_text, diversity=diversity, length=length, random_seed=random_seed):
        text += ch
        shown.update(Pretty(text))


# %% [markdown]
# ## The idea
#
# A recurrent network "operates on sequences of data": it reads one input after another and keeps a
# "memory", a hidden state that each input updates. Andrej Karpathy's char-RNN showed that such a network,
# shown text one character at a time and asked for the next character, learns words, punctuation and
# something like grammar from nothing but examples. The post points Keras' version of it (an LSTM, the
# variant whose memory is gated) at Joyce:
#
# * every window of 100 characters of the two books (a new window every 3 characters) is an example, and
#   the character after it is the answer;
# * one LSTM layer of 128 units reads the window, a softmax over the 117 characters guesses the next one;
# * after every epoch the network continues a random window, 400 characters at each of four
#   "diversities" (0.2, 0.5, 1.0, 1.2: the sampling temperature).
#
# Where we differ: we cut Project Gutenberg's header and licence from the books; we build each batch's
# one-hot arrays when Keras asks for it, where the post's script builds all of them up front (7.4 GB); and
# after every epoch we also continue the post's own seed, so that our epochs can be set beside the post's.
# `quick` and `tiny` train on the first characters of the corpus only.

# %% [markdown]
# ## The data
#
# The post's script reads one file of both books, strips every line, turns each blank line into a
# paragraph break ("\n\n") and joins the lines with spaces. `corpus.load()` does the same to the Project
# Gutenberg files (downloaded into `REPRO_DATA` when missing); `corpus.describe` measures it as the post's
# script reports it.

# %%
text, sources = corpus.load()                      # both books, prepared as the post's script does
lengths = corpus.sentence_lengths(text)
facts = corpus.describe(text, maxlen=100, step=3, lengths=lengths)
display(Markdown(markdown_table(["", "the post", "ours"], blog.corpus_rows(facts))))
print("the characters:", corpus.Vocabulary.of(text).chars)

# %% [markdown]
# Why a window of 100? "About 90% of the sentences are below 125 characters ... I picked a sentence (text
# fragment) length of size 100 as this seemed a good compromise – and still covers 86% of Joyce's
# sentences". The post does not say how it cut sentences; ours end at ".", "!" or "?" before a space, or at
# a paragraph break (Joyce's dialogue lines open with a dash and often have no stop).

# %%
display(Image(figures.sentence_lengths(lengths, SCRATCH / "sentence_lengths.png", facts)))

# %% [markdown]
# What the network is trained on at this profile, and one example: a window of 100 characters and the
# character that follows it.

# %%
train_text, vocab, _ = corpus.training_text(SETTINGS)
windows = corpus.n_sequences(len(train_text), SETTINGS.maxlen, SETTINGS.step)
print(f"profile {PROFILE}: {len(train_text):,} characters, {windows:,} windows of {SETTINGS.maxlen}, "
      f"one-hot over {len(vocab)} characters")
start = 3000
print(f"window: {train_text[start:start + SETTINGS.maxlen]!r}")
print(f"next:   {train_text[start + SETTINGS.maxlen]!r}")

# %% [markdown]
# ## The model
#
# The post's network, built by the function the training uses: an LSTM over the characters, a dense
# layer with one output per character, a softmax; Nadam with Keras' defaults, categorical cross-entropy.
# The post feeds Keras' LSTM one-hot vectors, and so does the training here. (`joyce_lstm/layers.py` holds
# an LSTM fed character ids, which picks the row of its input kernel that a one-hot vector would multiply
# out: the same function of the same weights, yet not faster on this CPU; the README measures it.)
# The post's LSTM has 128 units (141,045 parameters); `tiny` uses 16. The input length is left open
# (`None`), so the trained network can continue a seed shorter than 100 characters.

# %%
model = models.build(len(vocab), SETTINGS.units, SETTINGS.layers)
model.summary()
assert model.count_params() == models.parameter_count(len(vocab), SETTINGS.units, SETTINGS.layers)

# %% [markdown]
# ## Training
#
# `experiment.run` is what `python -m joyce_lstm --profile PROFILE` runs: it makes a run folder under
# `RUNS`, trains with the post's callbacks (a checkpoint, a CSV and a TensorBoard log every epoch) and,
# after every epoch, prints the post's samples: a random window continued at the four diversities, then
# the post's seed "No, she couldn’t say. ... She waved" continued the same way. At the end it writes the
# figures and the report. At `full` this takes hours: an interrupted run carries on with
# `experiment.run(None, resume=run_dir)`.

# %%
run_dir = experiment.run(SETTINGS, out=RUNS, seed=0, profile=PROFILE)

# %% [markdown]
# The loss per epoch (the post shows its own without numbers), with the epochs the post shows samples of
# marked; and how many of the words in each epoch's samples from the post's seed are words of the corpus,
# at each diversity, beside the post's samples.

# %%
display(Image(run_dir / "figures" / "loss.png"))
display(Image(run_dir / "figures" / "word_share.png"))

# %% [markdown]
# ## The post's samples beside ours
#
# The post shows the network continuing its seed after epochs 1, 2, 10, 20 and 31, without saying at
# which diversity; we set our continuation at 0.5 beside it. "Real words" is the share of a sample's words
# that occur somewhere in the two books, measured the same way for the post's text and ours.

# %%
display(Markdown(report_section(run_dir, "The post's seed, continued")))

# %% [markdown]
# The post's claims and ours. "needs full" marks a claim this run cannot test: it is about the post's
# later epochs or its full-size network, which `quick` and `tiny` do not train (their verdicts on the
# corpus hold at every profile: the corpus is always both books).

# %%
display(Markdown(report_section(run_dir, "Claims")))

# %% [markdown]
# ## The post's own run
#
# What this notebook trains at `quick` stops where the post's network was after an epoch or two. The suite
# keeps the small outputs of a run at the post's own settings (`python -m joyce_lstm --profile full`, seed
# 0, on a 2-core CPU: 5 h 16 min for its 60 epochs) in `joyce_lstm/docs/full/train/`: its loss after every
# epoch, every epoch's samples, and its report. Here are its loss, its real-word shares, the post's seed
# continued at the epochs the post shows, beside the post's samples, and the report's verdict on each of
# the post's claims.

# %%
FULL = ROOT / "joyce_lstm" / "docs" / "full" / "train"
with open(FULL / "history.csv") as fh:
    full_losses = [float(row["loss"]) for row in csv.DictReader(fh)]
print(f"the full run: {len(full_losses)} of 60 epochs; loss {full_losses[0]:.3f} after epoch 1, "
      f"{full_losses[-1]:.3f} after epoch {len(full_losses)}")
display(Image(ROOT / "joyce_lstm" / "docs" / "loss.png"))
display(Image(ROOT / "joyce_lstm" / "docs" / "word_share.png"))

rows = []
for epoch, theirs in blog.POST_SAMPLES.items():
    path = FULL / "samples" / f"epoch_{epoch:02d}.json"
    if epoch <= len(full_losses) and path.exists():
        ours = json.loads(path.read_text(encoding="utf-8"))["post"][blog.SHOWN_DIVERSITY]
        rows.append([epoch, f"{full_losses[epoch - 1]:.3f}", "…She waved " + theirs[:200] + "…",
                     "…She waved" + ours[:200] + "…"])
display(Markdown(markdown_table(["epoch", "loss", "the post", f"the full run (diversity {blog.SHOWN_DIVERSITY})"],
                                rows)))
display(Markdown(report_section(FULL, "Claims")))  # the finished run's verdicts on the post's claims

# %% [markdown]
# The network at the end of that run (after epoch 60, weights only, 0.6 MB) is kept beside its outputs, so
# `play.load` reads it as it reads any run's checkpoint. Here it continues the post's seed at diversity 0.5:

# %%
write_on(play.load(FULL), blog.POST_SEED, 0.5, LENGTH)

# %% [markdown]
# ## Play: write like Joyce
#
# `play.load(run_dir)` loads the run's last checkpoint; `sample` continues a seed text, yielding one
# character at a time, as the post's loop does: feed the last 100 characters, draw the next from the
# softmax re-weighted by the diversity, slide the window. Low diversities play safe and repeat the likeliest
# words; high ones invent words.

# %%
writer = play.load(run_dir)
for diversity in (0.2, 0.5, 1.0, 1.2):
    write_on(writer, blog.POST_SEED, diversity, LENGTH)

# %% [markdown]
# ## Exercises
#
# **1. Lower the diversity.** Below 0.2 the draw is nearly always the likeliest character. Continue the
# post's seed at 0.1 and 0.05: what happens to the words, and to the share of real words? (Does a sample
# with only real words read better?)

# %%
lexicon = blog.corpus_words(text)
for diversity in (0.5, 0.2, 0.1, 0.05):
    sample = writer.write(blog.POST_SEED, diversity=diversity, length=LENGTH, random_seed=1)
    share = blog.measure(sample, lexicon)["real_word_share"]
    print(f"diversity {diversity}: {100 * share:.0f} % real words\n  ...She waved{sample}\n")

# %% [markdown]
# **2. Another seed text.** Any text made of the corpus's characters works, of any length (the network
# reads at most the last 100 characters). Try the first line of *Ulysses*, a sentence of your own, or an
# earlier epoch's checkpoint (`play.load(run_dir, epoch=1)`) to see what one more epoch of training changed.

# %%
seed_text = "Stately, plump Buck Mulligan came from the stairhead, bearing a bowl of lather"
print("characters the network never saw:", writer.vocab.unknown(seed_text) or "none")
write_on(writer, seed_text, 0.5, LENGTH)
write_on(play.load(run_dir, epoch=1), seed_text, 0.5, LENGTH)

# %% [markdown]
# **3. Stacked LSTMs.** "For the stacked levels – this is usually between 1 and 3. '3' is preferred"; the
# author could only afford one on a CPU. Build two layers (the first returns its whole sequence for the
# second to read), count the parameters, and train them at this profile beside the run above. At `tiny` it
# trains here; at `quick` set `train_it = True` (roughly twice the one-layer run's time). Does the loss fall
# faster per epoch? Then try `layers=3`.

# %%
stacked = replace(SETTINGS, layers=2)
models.build(len(vocab), stacked.units, stacked.layers).summary()
print(f"the post's size: 1 layer {models.parameter_count(len(vocab), 128, 1):,} parameters, "
      f"3 layers {models.parameter_count(len(vocab), 128, 3):,}")

train_it = PROFILE == "tiny"
if train_it:
    stacked_dir = experiment.run(stacked, out=RUNS, seed=0, profile=PROFILE, echo=False)
    fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
    for label, folder in (("1 layer", run_dir), ("2 layers", stacked_dir)):
        loss = json.loads((Path(folder) / "results.json").read_text())["loss"]
        ax.plot(range(1, len(loss) + 1), loss, marker="o", label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss")
    ax.set_title(f"One LSTM({SETTINGS.units}) against two, {PROFILE} profile", fontsize=9)
    ax.legend()
    show(fig)
