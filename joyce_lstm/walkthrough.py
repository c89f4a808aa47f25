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
# punctuation gets by reading it one character at a time. We follow the post's script, in its order and
# in this notebook's own cells: the corpus and its sentence lengths, the windows and their one-hot
# vectors, the LSTM, the `sample` helper, `fit` with the post's callbacks (the samples written after every
# epoch at four diversities, the checkpoints, the CSV log), the samples and the loss. Then the suite's run
# at the post's own settings, the same training as one command with a report, and the trained network
# writing on from the post's own seed.
#
# Run time on a 2-core CPU, for the whole notebook:
#
# | profile | what it trains | time |
# |---|---|---|
# | `tiny` | LSTM(16), the first 6,000 characters, 2 epochs: checks that everything runs | about a minute |
# | `quick` | LSTM(128), the first 240,000 characters (80 k windows), 5 epochs | 17½ minutes (measured on the 2-core CPU with other work beside it: the network is trained twice, in the lesson's cells and by `experiment.run`) |
# | `full` | the post's script: LSTM(128), both books (633 k windows), 60 epochs | twice one run's 5 hours or more (the kept run trained for 5 h 16 min) |
#
# At `tiny` the network writes noise. At `quick` it ends near where the post's network was after its first
# epoch: short words, many of them real, little punctuation. The post's later epochs need `full`: the
# section "The post's own run" shows the suite's run at those settings.

# %%
import sys; sys.path.insert(0, "..")  # the suite: this notebook sits in one of its post folders
from shared.notebook import PROFILE, RUNS, brief, section, show  # not found? open it from a checkout (make lab)

# %%
import csv
import json
import tempfile
from dataclasses import replace
from pathlib import Path

import keras
import numpy as np
from IPython.display import Image, Markdown, Pretty, display

from joyce_lstm import blog, corpus, experiment, figures, models, pipeline, play
from joyce_lstm.config import PROFILES
from shared import runtime
from shared.figures import plt, save
from shared.report import markdown_table

settings = PROFILES[PROFILE]
SEED = 0
LENGTH = 60 if PROFILE == "tiny" else 300  # characters each of the play section's samples writes
SCRATCH = Path(tempfile.mkdtemp())  # the notebook's own figures (a run keeps its figures in its folder)


def watch(writer, seed_text, diversity, length, random_seed=1):
    """Show a seed text and a trained run's continuation, which grows one character at a time as it
    is drawn (one output updated in place, rather than a printed line per character)."""
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
# the one-command run at the end also continues the post's own seed after every epoch, so that our epochs
# can be set beside the post's. `quick` and `tiny` train on the first characters of the corpus only.

# %% [markdown]
# ## The data
#
# The post's script reads one file of both books, strips every line, turns each blank line into a
# paragraph break ("\n\n") and joins the lines with spaces. `corpus.load()` does the same to the Project
# Gutenberg files (downloaded into `REPRO_DATA` when missing); `corpus.describe` measures it as the post's
# script reports it. Here are its figures beside the post's, its characters, and its first 300 characters
# as the network reads them (`repr` shows the paragraph breaks).

# %%
text, sources = corpus.load()                      # both books, prepared as the post's script does
lengths = corpus.sentence_lengths(text)
facts = corpus.describe(text, maxlen=100, step=3, lengths=lengths)
display(Markdown(markdown_table(["", "the post", "ours"], blog.corpus_rows(facts))))
print("the characters:", corpus.Vocabulary.of(text).chars)
print(repr(text[:300]))

# %% [markdown]
# Why a window of 100? "About 90% of the sentences are below 125 characters ... I picked a sentence (text
# fragment) length of size 100 as this seemed a good compromise – and still covers 86% of Joyce's
# sentences". The post does not say how it cut sentences; ours end at ".", "!" or "?" before a space, or at
# a paragraph break (Joyce's dialogue lines open with a dash and often have no stop).

# %%
display(Image(figures.sentence_lengths(lengths, SCRATCH / "sentence_lengths.png", facts)))

# %% [markdown]
# ## The windows
#
# The post cuts the text into "semi-redundant sequences": a window of `maxlen` = 100 characters every
# `step` = 3 characters, each with the character that follows it, the answer. Its loop, on the text this
# profile trains on (`settings.text_chars`: the first 6,000 characters at `tiny`, 240,000 at `quick`, both
# books at `full`). The characters, and so the one-hot width, are always those of the whole corpus.

# %%
train_text = text if settings.text_chars is None else text[:settings.text_chars]
chars = sorted(list(set(text)))
char_indices = dict((c, i) for i, c in enumerate(chars))
indices_char = dict((i, c) for i, c in enumerate(chars))

maxlen = settings.maxlen  # 100: "still covers 86% of Joyce's sentences"
step = settings.step      # 3: windows overlap by 97 characters
sentences = []
next_chars = []
for i in range(0, len(train_text) - maxlen, step):
    sentences.append(train_text[i: i + maxlen])
    next_chars.append(train_text[i + maxlen])
print(f"profile {PROFILE}: {len(train_text):,} characters; nb sequences: {len(sentences):,}; total chars: {len(chars)}")
print(f"window 1000: {sentences[1000]!r}")
print(f"next:        {next_chars[1000]!r}")

# %% [markdown]
# ## One-hot vectors
#
# The network reads numbers, not characters: the post turns every window into a matrix of `maxlen` rows,
# one per character, with a single 1 in the column of that character (its "one-hot vector"), and every next
# character into one such row. For the whole corpus that is 633,105 × 100 × 117 booleans, 7.4 GB, before
# Keras makes float copies of its batches. So the training below builds the same arrays a batch at a time:
# `pipeline.OneHotWindows`, a `keras.utils.PyDataset`, keeps only the text's character ids and one-hot
# encodes the 128 windows of a batch when `fit` asks for them, in an order shuffled anew each epoch.
# Here the post's loop encodes the windows of the first batch, and the pipeline's first batch is checked
# to be the same numbers.

# %%
vocab = corpus.Vocabulary("".join(chars))  # the same characters, in the same order
data = pipeline.OneHotWindows(vocab.encode(train_text), maxlen, step, len(chars), settings.batch_size, seed=SEED)

batch_rows = data.order[:settings.batch_size]  # the windows of the first batch, in the first epoch's order
x = np.zeros((len(batch_rows), maxlen, len(chars)), dtype=bool)
y = np.zeros((len(batch_rows), len(chars)), dtype=bool)
for i, row in enumerate(batch_rows):
    for t, char in enumerate(sentences[row]):
        x[i, t, char_indices[char]] = 1
    y[i, char_indices[next_chars[row]]] = 1

x_batch, y_batch = data[0]
assert np.array_equal(x_batch, x) and np.array_equal(y_batch, y)  # the post's numbers, as float32
print(f"a batch: x {x_batch.shape}, y {y_batch.shape}; {len(data)} batches an epoch")
print(f"all the windows at once, as the post builds them: {x[0].nbytes * len(sentences) / 1e9:.2f} GB")

# %% [markdown]
# The first 50 characters of one window as the network sees them: a column per character, a dot in the
# row of its character (only the rows this stretch uses are drawn; along the bottom "·" is a space and
# "¶" a line break).

# %%
first = x[0, :50]
used = np.flatnonzero(first.any(axis=0))
label = {" ": "·", "\n": "¶"}                       # along the bottom
fig, ax = plt.subplots(figsize=(10, 3.8), layout="constrained")
ax.imshow(first[:, used].T, cmap="Greys", aspect="auto", interpolation="nearest")
ax.set_yticks(range(len(used)), [{" ": "space", "\n": "\\n"}.get(chars[i], chars[i]) for i in used], fontsize=7)
ax.set_xticks(range(50), [label.get(c, c) for c in sentences[batch_rows[0]][:50]], fontsize=7)
ax.set_xlabel("the window, character by character")
ax.set_ylabel(f"{len(used)} of the {len(chars)} columns")
ax.set_title(f"x[0]: one window, one-hot ({maxlen} × {len(chars)}, first 50 rows, transposed); "
             f"y[0] is {next_chars[batch_rows[0]]!r}", fontsize=9)
display(Image(save(fig, SCRATCH / "one_hot.png")))

# %% [markdown]
# ## The model
#
# The post's network: an LSTM over the one-hot characters, a dense layer with one output per character,
# a softmax that makes the outputs a distribution over the next character. `units` is 128 in the post
# (141,045 parameters; `tiny` uses 16); `layers` stacks LSTMs, each but the last handing its whole sequence
# to the next (the post has one, and wanted three). The input length is left open (`None`) where the post
# wrote `maxlen`: training always uses windows of 100, and the trained network can also continue a seed
# that is shorter. (`joyce_lstm/layers.py` holds an LSTM fed character ids instead, which picks the row of
# its input kernel that a one-hot vector would multiply out: the same function of the same weights, not
# faster on this CPU; the README measures it.)

# %%
def build_model(n_chars, units=128, layers=1):
    model = keras.Sequential(name=f"joyce_lstm_{layers}x{units}")
    model.add(keras.Input(shape=(None, n_chars)))  # any number of one-hot characters
    for i in range(layers):
        # every LSTM but the last returns its whole sequence, for the next one to read
        model.add(keras.layers.LSTM(units, return_sequences=i < layers - 1, name=f"lstm_{i + 1}"))
    model.add(keras.layers.Dense(n_chars, name="dense"))                # a score per character
    model.add(keras.layers.Activation("softmax", name="softmax"))       # the next character's distribution
    return model


# %%
model = build_model(len(chars), settings.units, settings.layers)
model.summary()
assert model.count_params() == models.parameter_count(len(chars), settings.units, settings.layers)

# %% [markdown]
# ## Sampling: `sample` and the diversity
#
# The post's helper draws the next character from the network's output re-weighted by a temperature, the
# "diversity" T: p ← exp(log p / T), normalised. Below 1 the likeliest characters gain (at 0.2 the draw is
# nearly always the likeliest one); above 1 the distribution flattens and rarer characters get their
# chance. The post draws with NumPy's global generator (`np.random.multinomial`); `rng` lets a seeded
# generator stand in for it, so a sample can be drawn again.

# %%
def sample(preds, temperature=1.0, rng=np.random):
    # helper function to sample an index from a probability array
    preds = np.asarray(preds).astype("float64")
    with np.errstate(divide="ignore"):  # a probability of exactly 0 stays 0
        preds = np.log(preds) / temperature
    exp_preds = np.exp(preds)
    preds = exp_preds / np.sum(exp_preds)
    probas = rng.multinomial(1, preds, 1)
    return np.argmax(probas)


# %% [markdown]
# What the diversity does to one distribution over four characters, and how often `sample` picks each of
# them in 1,000 draws:

# %%
preds = np.array([0.5, 0.3, 0.15, 0.05])
rng = np.random.default_rng(SEED)
for diversity in [0.2, 0.5, 1.0, 1.2]:
    reweighted = np.exp(np.log(preds) / diversity)
    drawn = np.bincount([sample(preds, diversity, rng) for _ in range(1000)], minlength=len(preds))
    print(f"diversity {diversity}: p = {np.round(reweighted / reweighted.sum(), 3)}, drawn {drawn}")

# %% [markdown]
# The post's inner loop, which writes with the network: one-hot encode the window, predict the next
# character's distribution, draw from it with `sample`, append the character and slide the window on. (The
# post calls `model.predict`; `predict_on_batch` gives the same numbers without `predict`'s set-up for every
# single window. A seed shorter than `maxlen` grows into a full window first.) Before training, the
# network's distribution is close to uniform, and so is what it writes:

# %%
def write_on(model, sentence, diversity, length, chars, maxlen, rng=np.random):
    """Continue ``sentence`` by ``length`` characters drawn at ``diversity``; the new characters."""
    char_indices = dict((c, i) for i, c in enumerate(chars))
    sentence = sentence[-maxlen:]
    generated = ""
    for i in range(length):
        x_pred = np.zeros((1, len(sentence), len(chars)), dtype="float32")
        for t, char in enumerate(sentence):
            x_pred[0, t, char_indices[char]] = 1.0
        preds = model.predict_on_batch(x_pred)[0]
        next_char = chars[sample(preds, diversity, rng)]
        generated += next_char
        sentence = (sentence + next_char)[-maxlen:]
    return generated


# %%
print(repr(sentences[1000]), "->", repr(write_on(model, sentences[1000], 1.0, 40, chars, maxlen)))

# %% [markdown]
# ## Training, with the post's callbacks
#
# The post's `compile` and `fit`: categorical cross-entropy, Nadam with Keras' defaults, batches of 128
# (here made by `data`, the pipeline above), `settings.epochs` passes over the windows (60 in the post, 5 at
# `quick`, 2 at `tiny`). Its callbacks, in its order:
#
# * `on_epoch_end` in a `LambdaCallback`: a random window of the text, continued at each of the four
#   diversities (`settings.sample_length` characters: 400 in the post, 200 at `quick`). The post printed
#   every sample; we keep them in `samples` for the cell below and print one line every few epochs;
# * `ModelCheckpoint`: the network after every epoch (`play.load` reads such checkpoints);
# * `CSVLogger`: the loss after every epoch;
# * `TensorBoard`: the logs for TensorBoard's charts.
#
# One more, ours: the pipeline shuffles its windows itself, in an order fixed by the epoch, so `fit` is told
# not to shuffle (`shuffle=False`) and a small callback sets the pipeline's epoch as each one begins (Keras
# reads a batch or two to learn the input's shape before the first epoch, which moves the pipeline on).
#
# They write into a temporary folder. Change `settings` (e.g. `settings = replace(settings, epochs=3,
# units=32)`) or the model above and rerun this cell and those below.

# %%
keras.utils.set_random_seed(SEED)                # the same initial weights every time the cell runs
model = build_model(len(chars), settings.units, settings.layers)
model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Nadam())
folder = Path(tempfile.mkdtemp())                # checkpoints and logs
rng = np.random.default_rng(SEED)                # the windows and the draws of the samples
samples = {}                                     # epoch -> its seed window and the text at each diversity
every = max(1, settings.epochs // 10)            # print about ten lines, however many epochs


def on_epoch_end(epoch, logs):
    # Function invoked at end of each epoch: continue a random window at four diversities.
    start_index = int(rng.integers(0, len(train_text) - maxlen - 1))
    sentence = train_text[start_index: start_index + maxlen]
    samples[epoch + 1] = {"seed": sentence}
    for diversity in [0.2, 0.5, 1.0, 1.2]:
        samples[epoch + 1][diversity] = write_on(model, sentence, diversity, settings.sample_length,
                                                 chars, maxlen, rng)
    if epoch % every == 0 or epoch + 1 == settings.epochs:
        print(f"epoch {epoch + 1:>2}: loss {logs['loss']:.3f}; at diversity 0.5: "
              f"{samples[epoch + 1][0.5][:50]!r}")


print_callback = keras.callbacks.LambdaCallback(on_epoch_end=on_epoch_end)
checkpoint = keras.callbacks.ModelCheckpoint(str(folder / "epoch_{epoch:02d}.keras"), save_best_only=False)
csv_logger = keras.callbacks.CSVLogger(str(folder / "history.csv"))
epoch_order = keras.callbacks.LambdaCallback(on_epoch_begin=lambda epoch, logs: data.set_epoch(epoch))
callbacks = [print_callback, checkpoint, csv_logger, epoch_order]
if runtime.has_tensorflow():  # TensorBoard writes with TensorFlow (under KERAS_BACKEND=jax it may be absent)
    callbacks.append(keras.callbacks.TensorBoard(log_dir=str(folder / "logs")))
history = model.fit(data, epochs=settings.epochs, shuffle=False, callbacks=callbacks, verbose=0)
print("written:", ", ".join(sorted(p.name for p in folder.iterdir())))

# %% [markdown]
# ## The samples and the loss
#
# The text after the first and the last epoch, printed as the post's script prints it: the seed window,
# then what the network wrote on from it at each diversity.

# %%
for epoch in sorted({1, settings.epochs}):
    print(f"----- Generating text after Epoch: {epoch}")
    print(f'----- Generating with seed: "{samples[epoch]["seed"]}"')
    for diversity in [0.2, 0.5, 1.0, 1.2]:
        print(f"----- diversity: {diversity}\n{samples[epoch][diversity]}")
    print()

# %% [markdown]
# The loss per epoch, from `history` (the CSV log holds the same numbers), with the epochs the post shows
# samples of marked where this training reaches them. The post shows its curve without numbers.

# %%
losses = history.history["loss"]
with open(folder / "history.csv") as fh:
    assert np.allclose([float(row["loss"]) for row in csv.DictReader(fh)], losses)
display(Image(figures.loss(losses, SCRATCH / "loss.png", f"The network above, {PROFILE} profile")))

# %% [markdown]
# ## The post's samples beside ours
#
# The post shows its network continuing one seed, "No, she couldn’t say. ... She waved", after epochs 1,
# 2, 10, 20 and 31, without saying at which diversity. Here the network just trained continues the same
# seed at 0.5, 400 characters as the post's samples. "Real words" is the share of a sample's words that
# occur somewhere in the two books (the last word, cut off, is not counted), measured the same way for the
# post's text and ours; "sentence ends" counts ".", "!" or "?" before a space.

# %%
lexicon = blog.corpus_words(text)  # every word of the two books, lower-cased
ours = write_on(model, blog.POST_SEED, 0.5, 400, chars, maxlen, np.random.default_rng(1))
rows = []
for who, sample_text in [*((f"the post, epoch {e}", s) for e, s in blog.POST_SAMPLES.items()),
                         (f"ours, epoch {settings.epochs} (diversity 0.5)", ours)]:
    m = blog.measure(sample_text, lexicon)
    rows.append([who, f"{100 * m['real_word_share']:.0f} %", m["sentence_ends"], f"{m['mean_word_length']:.1f}",
                 "…She waved " + sample_text[:160].strip().replace("\n", " ") + "…"])
display(Markdown(markdown_table(["sample", "real words", "sentence ends", "mean word length", "text"], rows)))
print(f"loss after epoch 1: {losses[0]:.2f} (Keras' own char-LSTM example, on another corpus: ≈ 2.29)")

# %% [markdown]
# ## The post's own run
#
# What this notebook trains at `quick` stops where the post's network was after an epoch or two. The suite
# keeps the small outputs of a run at the post's own settings (`python -m joyce_lstm --profile full`, seed
# 0, on a 2-core CPU: 5 h 16 min for its 60 epochs) in `joyce_lstm/docs/full/train/`: its loss after every
# epoch, every epoch's samples, and its report. Here are its loss beside the network above, its real-word
# shares, the post's seed continued at the epochs the post shows, beside the post's samples, and the
# report's verdict on each of the post's claims.

# %%
FULL = Path("joyce_lstm/docs/full/train")  # relative to the suite's root, the working folder
with open(FULL / "history.csv") as fh:
    full_losses = [float(row["loss"]) for row in csv.DictReader(fh)]
print(f"the full run: {len(full_losses)} of 60 epochs; loss {full_losses[0]:.3f} after epoch 1, "
      f"{full_losses[-1]:.3f} after epoch {len(full_losses)}")
reached = next((e for e, loss in enumerate(full_losses, 1) if loss <= losses[-1]), None)  # first epoch as low
print(f"the network above: loss {losses[-1]:.3f} after {len(losses)} epochs; the full run "
      + ("was below that after its first epoch" if reached == 1 else
         f"reached it in epoch {reached}" if reached else "never came down to it"))
display(Image("joyce_lstm/docs/full/train/figures/loss.png"))
display(Image("joyce_lstm/docs/full/train/figures/word_share.png"))

rows = []
for epoch, theirs in blog.POST_SAMPLES.items():
    path = FULL / "samples" / f"epoch_{epoch:02d}.json"
    if epoch <= len(full_losses) and path.exists():
        full_sample = json.loads(path.read_text(encoding="utf-8"))["post"][blog.SHOWN_DIVERSITY]
        rows.append([epoch, f"{full_losses[epoch - 1]:.3f}", "…She waved " + theirs[:200] + "…",
                     "…She waved" + full_sample[:200] + "…"])
display(Markdown(markdown_table(["epoch", "loss", "the post", f"the full run (diversity {blog.SHOWN_DIVERSITY})"],
                                rows)))
display(section(FULL, "Claims"))  # the finished run's verdicts on the post's claims

# %% [markdown]
# The network at the end of that run (after epoch 60, weights only, 0.6 MB) is kept beside its outputs, so
# `play.load` reads it as it reads any run's checkpoint. Here it continues the post's seed at diversity 0.5:

# %%
watch(play.load(FULL), blog.POST_SEED, 0.5, LENGTH)

# %% [markdown]
# Beyond the post: its training loss, 1.479 after epoch 60, is measured on the windows it was fitted to, and a
# window starts every third character: in training the network is only ever asked for one character in three.
# `positions.of_run` cuts the same text into the same windows moved on by one and by two characters, whose
# next character was never a target, and gives the mean loss at each shift, on the same windows drawn at
# random (10,000 here, 1,000 at `tiny`; the README gives it on 200,000). The gap between shift 0 and the others is what
# the network memorised of its training positions, not what it learnt of Joyce.

# %%
from joyce_lstm import positions

print(positions.summary(positions.of_run(play.load(FULL), limit=1000 if PROFILE == "tiny" else 10_000)))

# %% [markdown]
# ## All of the above in one command, with run folders, resume and the report
#
# `experiment.run` is what `python -m joyce_lstm --profile PROFILE` runs. It trains the same network with
# the same seed, `compile`, pipeline and callbacks as the cells above (`joyce_lstm/train.py`), so on the
# same machine its loss per epoch is the one above. It adds what a long run needs: a run folder under
# `RUNS` with every epoch's checkpoint and samples, a TensorBoard log, the post's own seed continued after
# every epoch beside the random window, a backup so that an interrupted run carries on where it stopped
# (`experiment.run(None, resume=run_dir)`: at `full` this takes hours), and at the end the figures and
# `report.md`. `echo=False` keeps the samples in the run folder instead of printing them; `brief()` prints
# the first and the last progress lines.

# %%
with brief():
    run_dir = experiment.run(settings, out=RUNS, seed=SEED, profile=PROFILE, echo=False)
run_losses = json.loads((run_dir / "results.json").read_text())["loss"]
print("loss per epoch, the cells above:", " ".join(f"{loss:.5f}" for loss in losses))
print("loss per epoch, experiment.run: ", " ".join(f"{loss:.5f}" for loss in run_losses))

# %% [markdown]
# The run's loss per epoch, with the epochs the post shows samples of marked; and how many of the words in
# each epoch's samples from the post's seed are words of the corpus, at each diversity, beside the post's
# samples.

# %%
show(run_dir, "loss", "word_share")

# %% [markdown]
# Beyond the post: what did the network learn, and what did it memorise? At `quick` the run holds Dubliners'
# last story, "The Dead", out of its text (`held_out="the-dead"`), and after every epoch Keras' own
# `validation_data` scores the network on 4,096 of its windows: the second line of the loss figure, `val_loss`
# in `history.csv`. The training loss is on the very windows the network is fitted to; the held-out loss is on
# Joyce it never read. At `quick` (seeds 0 and 1 of the README's study) the held-out loss is below the training
# loss after the first epoch and above it from the second on, and the two part: 2.18 (training) against 2.33
# (held out) after five epochs, so some of what the training loss counts is this text, not
# Joyce's English. The post scored its network only on its training windows, so its loss curve cannot tell
# the two apart; its samples, drawn from windows of the training text, cannot either.

# %% [markdown]
# The run's report sets its continuation of the post's seed (at 0.5) beside the post's sample of the same
# epoch, for the post's epochs this run reaches and its last:

# %%
display(Markdown(section(run_dir, "The post's seed, continued").data.split("\n![")[0]))  # its figure is above

# %% [markdown]
# The post's claims and ours. "needs full" marks a claim this run cannot test: it is about the post's
# later epochs or its full-size network, which `quick` and `tiny` do not train (their verdicts on the
# corpus hold at every profile: the corpus is always both books).

# %%
display(section(run_dir, "Claims"))

# %% [markdown]
# ## Play: write like Joyce
#
# `play.load(run_dir)` loads the run's last checkpoint; `sample` continues a seed text, yielding one
# character at a time, with the arithmetic of `write_on` above: feed the last 100 characters, draw the next
# from the softmax re-weighted by the diversity, slide the window. Low diversities play safe and repeat the
# likeliest words; high ones invent words.

# %%
writer = play.load(run_dir)
for diversity in (0.2, 0.5, 1.0, 1.2):
    watch(writer, blog.POST_SEED, diversity, LENGTH)

# %% [markdown]
# ## Exercises
#
# **1. Lower the diversity.** Below 0.2 the draw is nearly always the likeliest character. Continue the
# post's seed at 0.1 and 0.05: what happens to the words, and to the share of real words? (Does a sample
# with only real words read better?)

# %%
for diversity in (0.5, 0.2, 0.1, 0.05):
    continued = writer.write(blog.POST_SEED, diversity=diversity, length=LENGTH, random_seed=1)
    share = blog.measure(continued, lexicon)["real_word_share"]
    print(f"diversity {diversity}: {100 * share:.0f} % real words\n  ...She waved{continued}\n")

# %% [markdown]
# **2. Another seed text.** Any text made of the corpus's characters works, of any length (the network
# reads at most the last 100 characters). Try the first line of *Ulysses*, a sentence of your own, or an
# earlier epoch's checkpoint (`play.load(run_dir, epoch=1)`) to see what one more epoch of training changed.

# %%
seed_text = "Stately, plump Buck Mulligan came from the stairhead, bearing a bowl of lather"
print("characters the network never saw:", writer.vocab.unknown(seed_text) or "none")
watch(writer, seed_text, 0.5, LENGTH)
watch(play.load(run_dir, epoch=1), seed_text, 0.5, LENGTH)

# %% [markdown]
# **3. Stacked LSTMs.** "For the stacked levels – this is usually between 1 and 3. '3' is preferred"; the
# author could only afford one on a CPU. `build_model(..., layers=2)` stacks two (the first returns its
# whole sequence for the second to read): count the parameters, and train them at this profile beside the
# run above. At `tiny` it trains here; at `quick` set `train_it = True` (roughly twice the one-layer run's
# time). Does the loss fall faster per epoch? Then try `layers=3`.

# %%
stacked = replace(settings, layers=2)
build_model(len(chars), stacked.units, stacked.layers).summary()
print(f"the post's size: 1 layer {models.parameter_count(len(chars), 128, 1):,} parameters, "
      f"3 layers {models.parameter_count(len(chars), 128, 3):,}")

train_it = PROFILE == "tiny"
if train_it:
    with brief():
        stacked_dir = experiment.run(stacked, out=RUNS, seed=SEED, profile=PROFILE, echo=False)
    fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
    for label, run in (("1 layer", run_dir), ("2 layers", stacked_dir)):
        loss = json.loads((Path(run) / "results.json").read_text())["loss"]
        ax.plot(range(1, len(loss) + 1), loss, marker="o", label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss")
    ax.set_title(f"One LSTM({settings.units}) against two, {PROFILE} profile", fontsize=9)
    ax.legend()
    display(Image(save(fig, SCRATCH / "stacked.png")))
