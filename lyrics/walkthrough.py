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
# # Gene Lyrica One and Two: "Mighty mighty world"
#
# A walkthrough of a post that is a song. Its author had written a lyrics generator, **Gene Lyrica One**: a
# word embedding and two bidirectional GRUs that read the words so far and guess the next one. He then
# retrained it "using a sentence embedding instead of a word embedding": **Gene Lyrica Two** reads the same
# words as one sentence, through the Universal Sentence Encoder, and guesses the next word from that one
# vector. Asked to continue "hello world", Two wrote "a mighty mighty mighty mighty mighty mighty a world".
# "This masterpiece stands on its own :-)". What a reader notices is the repetition; here we build both
# models in Keras, train them, write lyrics with each, and measure the repetition the same way on the post's
# song, on ours and on the songs the models learned from.
#
# Run time on a 2-core CPU, for the whole notebook (each model trains twice: once in the lesson's own
# cells, once more in the one-command run that makes the run folders the later sections read):
#
# | profile | what it trains | time |
# |---|---|---|
# | `tiny` | One: 2 ballads, GRUs of 8, 2 epochs; Two: 1 ballad, 2 epochs: checks that everything runs | about 3 minutes |
# | `quick` | One: the first 20 ballads, 12 epochs (about 4 minutes a training); Two: the same ballads, encoder frozen, 40 epochs (about 3 minutes a training) | 27 minutes (measured on the 2-core CPU with other work beside it): each model trains twice, in the lesson's cells and in one command |
# | `full` | all 176 ballads, the post's settings: One, up to 100 epochs of 2.4–3.5 min (7.3 s on a GPU); Two (encoder frozen, see below), 28 min to encode, up to 100 epochs of 23 s | up to 10 hours: use the command line and the kept full run instead |
#
# (Timed on idle cores; with other work sharing them, it takes up to twice as long.) At `tiny` the models
# write noise. At `quick` One writes ballad phrases ("and then bespake him noble king arthur")
# and Two already repeats itself ("an' an' an' an'"); the package's README shows runs on all the ballads,
# and "The full run" below shows Gene Lyrica One trained at the post's settings to its 100th epoch.

# %%
import sys; sys.path.insert(0, "..")  # the suite: this notebook sits in one of its post folders
from shared.notebook import PROFILE, RUNS, brief, section, show  # not found? open it from a checkout (make lab)

# %%
import json
import tempfile
import textwrap
import warnings
from dataclasses import replace
from pathlib import Path

import keras
import numpy as np
from IPython.display import Image, Markdown, display

from lyrics import blog, config, corpus, embeddings, encoders, experiment, figures, play, songs, text
from shared.data import strip_gutenberg
from shared.figures import plt, save
from shared.report import markdown_table

warnings.filterwarnings("ignore", message="IProgress not found")  # tqdm (keras_hub imports it) wants widgets

# The encoder of Gene Lyrica Two is frozen in this notebook (see "Gene Lyrica Two"); the author trained it.
TRAIN_ENCODER = False
ONE = config.PROFILES["one"][PROFILE]
TWO = replace(config.PROFILES["two"][PROFILE], freeze_encoder=not TRAIN_ENCODER)
SEED = 0
SEED_TEXT = "hello world"                     # the post's seed
LENGTH = 40 if PROFILE == "tiny" else 100     # tokens written after the seed (the author's web page: 100)
SCRATCH = Path(tempfile.mkdtemp())            # the notebook's own checkpoints, logs, lyrics and figures


def side_by_side(columns, width=44, blank_runs=2):
    """Print texts in columns under their titles; ``columns``: (title, text) pairs. Long lines wrap
    (indented); runs of blank lines longer than ``blank_runs`` are shortened (Gene Lyrica Two writes many)."""
    def lines(body):
        out = []
        for line in body.split("\n"):
            if line.strip() or len(out) < blank_runs or any(x.strip() for x in out[-blank_runs:]):
                out += textwrap.wrap(line, width - 2, subsequent_indent="  ") or [""]
        return out
    cols = [[title, "-" * min(width - 2, len(title))] + lines(body) for title, body in columns]
    for row in range(max(len(c) for c in cols)):
        cells = [c[row] if row < len(c) else "" for c in cols]
        print("".join(cell.ljust(width) for cell in cells).rstrip())


# %% [markdown]
# ## The idea
#
# Both models learn the same task from the same songs: read the tokens before a position (words, with each
# line break a token of its own), guess the next one. They differ in how they read.
#
# * **Gene Lyrica One** looks each word up in an embedding (50 numbers a word, started from GloVe
#   vectors), reads the sequence with two bidirectional GRUs, and ends in a softmax over the vocabulary.
# * **Gene Lyrica Two** hands the same words, as one string, to a sentence encoder that turns any text into
#   one vector; a small dense layer and the softmax guess the next word from that vector alone.
#
# Both write the same way: predict, sharpen the probabilities with a "randomness" (0.3 on the author's web
# page; 0 always takes the likeliest word), draw one word, append it, slide the window, repeat.
#
# Where we differ: the author trained on the lyrics of 20 rock bands, which are copyrighted; we use a
# public-domain song book, **The Oxford Book of Ballads** (1910). One starts from word2vec vectors trained
# on the ballads (GloVe is an 800 MB download; give its file with `embedding=` to use it). Two's encoder is
# all-MiniLM-L6-v2, a small BERT-family sentence encoder, instead of the Universal Sentence Encoder, which
# needs a TF-Hub download (`encoder="use"` where one can be made).

# %% [markdown]
# ## The data
#
# The Project Gutenberg text of the book (downloaded into `REPRO_DATA` when missing) is parsed into one song
# per ballad: the indented verse is kept; the stanza numbers, footnote markers and footnotes, and the
# editor's prose at the margin go. Here is the start of a short ballad as printed in the book, beside the
# song it becomes.

# %%
ballads, source = songs.load_ballads()
print(f"{len(ballads)} ballads, from {source['path']}\n")

book = strip_gutenberg(Path(source["path"]).read_text(encoding="utf-8"), songs.BALLADS[1])
book = book.split("\n")
start = next(i for i, line in enumerate(book) if line.strip() == "_11. The Wee Wee Man_")
wee = next(s for s in ballads if s["number"] == 11)
side_by_side([("the book (Gutenberg text)", "\n".join(book[start:start + 24])),
              (f"the song: {wee['song']}", "\n".join(wee["text"].split("\n")[:18]))], width=52)

# %% [markdown]
# Before tokenizing, each song is cleaned as the author's generator cleans it: lowercase, `*` removed, a line
# repeated more than twice in a row cut to two (choruses), quotation marks and punctuation dropped (the
# apostrophes of "ta'en" and "wi'" stay in their words). The line breaks stay, as the token `\n`:

# %%
cleaned = text.clean(wee["text"])
print(text.words(cleaned)[:40])

# %% [markdown]
# The tokenizer numbers the tokens by frequency: index 1 is the commonest, and index 0 stands for padding and
# for any word outside the vocabulary. `corpus.prepare` does all of the above for the songs a profile trains
# on (cleaning, the tokenizer fitted to them, every song as a list of tokens). The numbers of the whole book,
# and of the part of it that this profile trains on; the input length is the author's rule: a verse of four
# median lines, plus three tokens.

# %%
full_corpus = corpus.prepare(config.ONE)          # all 176 ballads, cut as the author's settings cut them
one_corpus = corpus.prepare(ONE)                  # what Gene Lyrica One trains on at this profile
two_corpus = corpus.prepare(TWO)                  # ... and Gene Lyrica Two
tokenizer, seq_len = one_corpus.tokenizer, one_corpus.seq_len
first_line = one_corpus.cleaned[0].split("\n")[0]
print("the commonest tokens:", tokenizer.tokens[:12])
print(f"the first line of the first song, {first_line!r}, as indices:", tokenizer.encode(first_line))

columns = {"all 176 ballads": full_corpus.stats(), f"One, {PROFILE}": one_corpus.stats(),
           f"Two, {PROFILE}": two_corpus.stats()}
rows = [("songs", "songs"), ("tokens (newlines included)", "tokens"),
        ("distinct tokens (words, and the newline)", "distinct_tokens"), ("lines", "lines"),
        ("median line length (words)", "median_line_length"),
        ("input length (median × 4 + 3)", "sequence_length"),
        ("training samples (every token after a song's first)", "samples")]


def cell(value):
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


display(Markdown(markdown_table([""] + list(columns),
                                [[label] + [cell(c[key]) for c in columns.values()] for label, key in rows])))

# %% [markdown]
# Ballad lines are short and regular (the common metre of hymns: 8 and 6 syllables), so the median is 7
# words and the models read 31 tokens, newlines included.

# %%
display(Image(figures.line_lengths(full_corpus.lengths, full_corpus.seq_len, SCRATCH / "line_lengths.png",
                                   f"Line lengths of all {len(full_corpus.lengths):,} lines of the ballads")))

# %% [markdown]
# The training samples: for every token of a song after its first, the `seq_len` tokens before it (padded
# with index 0 at the start of a song) and the token itself, the answer. Here is one window, as the model
# reads it and decoded back into words, and its next token.

# %%
x, y = one_corpus.windows()
k = min(200, len(y) - 1)
print(f"{len(y):,} windows of {seq_len} tokens: x {x.shape}, y {y.shape}\n")
print("the window:    ", x[k].tolist())
print("decoded:       ", repr(tokenizer.decode(x[k])))
print("the next token:", y[k], repr(tokenizer.tokens[y[k] - 1]))

# %% [markdown]
# ## Gene Lyrica One
#
# Embedding(50-d, index 0 masked, so padding is skipped) → Bidirectional GRU(128, the whole sequence) →
# Bidirectional GRU(128, dropout 0.2, recurrent dropout 0.2) → Dense(128, relu) → Dropout(0.3) → softmax
# over the vocabulary and index 0. The embedding starts from `embedding`, a matrix of word vectors (one
# row per token) when one is given, else Keras' uniform initialisation.

# %%
def build_one(vocab_size, seq_len, embedding=None, embedding_dim=50, units=128, dense=128):
    init = "uniform" if embedding is None else keras.initializers.Constant(np.asarray(embedding))
    inputs = keras.Input((seq_len,), dtype="int32", name="tokens")
    x = keras.layers.Embedding(vocab_size, embedding_dim, embeddings_initializer=init,
                               mask_zero=True, name="embedding")(inputs)                 # 0 is padding
    x = keras.layers.Bidirectional(keras.layers.GRU(units, return_sequences=True), name="bigru_1")(x)
    x = keras.layers.Bidirectional(keras.layers.GRU(units, dropout=0.2, recurrent_dropout=0.2),
                                   name="bigru_2")(x)                                    # one vector a window
    x = keras.layers.Dense(dense, activation="relu", name="dense")(x)
    x = keras.layers.Dropout(0.3, name="dropout")(x)
    outputs = keras.layers.Dense(vocab_size, activation="softmax", name="next_token")(x)  # P(next token)
    return keras.Model(inputs, outputs, name="gene_lyrica_one")


# %% [markdown]
# The author started the embedding from GloVe's 50-d vectors; we train word2vec vectors on the songs
# themselves (skip-gram with negative sampling, `lyrics/embeddings.py`) and start from those. At `tiny` the
# GRUs and the dense layer have 8 units (`ONE.units`, `ONE.dense`).

# %%
embedding, about = embeddings.word2vec(one_corpus.encoded(), tokenizer.size, ONE.embedding_dim,
                                       epochs=ONE.w2v_epochs, seed=SEED)
print(f"word vectors: {embedding.shape} (a row per token; row 0, padding, is zero)")
word = "king" if "king" in tokenizer.index else max(text.words(first_line), key=len)  # not at tiny
print(f"the words whose vectors are nearest to {word!r}:", embeddings.nearest(embedding, tokenizer.tokens, word))

keras.utils.set_random_seed(SEED)
one_model = build_one(tokenizer.size, seq_len, embedding, ONE.embedding_dim, ONE.units, ONE.dense)
one_model.summary()

# %% [markdown]
# ### Writing lyrics
#
# How the model writes: its softmax gives a probability for every token; the "randomness" sharpens them,
# p ← exp(log p / randomness), renormalised, and one token is drawn. Randomness 1 draws from the
# probabilities as they are, 0.3 (the author's) favours the likeliest tokens strongly, and 0 always takes
# the likeliest. Index 0 (padding, unknown words) is never written.

# %%
def sample(probs, randomness, rng):
    p = np.asarray(probs, dtype=np.float64).copy()
    p[0] = 0.0                                   # padding / unknown: never written
    if randomness == 0:
        return int(np.argmax(p))                 # always the likeliest token
    logp = np.log(np.maximum(p, 1e-300)) / randomness
    logp -= logp.max()                           # exp of the largest is 1: no overflow
    q = np.exp(logp)
    q[0] = 0.0
    q /= q.sum()
    return int(np.argmax(rng.multinomial(1, q)))  # one draw


# %% [markdown]
# The generation loop: clean and split the seed text; then, `length` times, feed the model the window of
# the last `seq_len` tokens (One reads their indices, padded on the left as in training; Two, below, reads
# them as text through its encoder), draw the next token, append it, and slide the window on by one.

# %%
def write_lyrics(model, tokenizer, seq_len, seed_text, length, randomness, rng, encoder=None):
    tokens = tokenizer.split(text.clean(seed_text))
    for _ in range(length):
        window = tokens[-seq_len:]                               # the last seq_len tokens
        if encoder is None:                                      # One: their indices, 0 on the left
            ids = tokenizer.ids(window)
            inputs = np.array([[0] * (seq_len - len(ids)) + ids], dtype="int32")
        else:                                                    # Two: the same tokens as text
            inputs = encoder.prepare([text.join(window, tokenizer.level)])
        probs = model.predict_on_batch(inputs)[0]
        tokens.append(tokenizer.tokens[sample(probs, randomness, rng) - 1])  # index i is tokens[i - 1]
    return text.join(tokens, tokenizer.level)


# %% [markdown]
# Untrained, the model writes tokens almost uniformly at random:

# %%
print(write_lyrics(one_model, tokenizer, seq_len, SEED_TEXT, 20, ONE.randomness, np.random.default_rng(1)))

# %% [markdown]
# ### Training Gene Lyrica One
#
# The post's recipe with Keras' `compile` and `fit`: RMSprop on the sparse cross-entropy, batches of 256, at
# most `ONE.epochs` epochs (2 at `tiny`, 12 at `quick`, the author's 100 at `full`), early stopping when the
# **training** loss has not fallen by 0.001 for 5 epochs (as the author's: a lyrics generator is meant to
# learn its songs). Where the profile keeps songs out of training (`ONE.held_out`: the three ballads after
# the twenty at `quick`; none at `tiny`, none at `full`, as the post), `fit`'s `validation_data` has Keras
# score their windows after every epoch as `val_loss`: a measure only, nothing stops on it. Every epoch
# the weights go to a checkpoint, the loss and accuracy to a CSV
# log, and the model writes "hello world" at the run's randomness with the loop above, kept in `samples/`
# and printed with the loss after the first epoch and every third of the run. To change a setting, put
# e.g. `ONE = replace(ONE, epochs=20, units=64)` at the top of the cell, or change the callbacks, and rerun
# the cells below.

# %%
folder = SCRATCH / "one"
(folder / "checkpoints").mkdir(parents=True, exist_ok=True)
(folder / "samples").mkdir(exist_ok=True)
rng = np.random.default_rng(SEED)                  # the draws of the lyrics written after each epoch


def lyrics_after_epoch(model, epoch, logs, settings, encoder=None, corpus=one_corpus, folder=folder):
    """"hello world" continued with the loop above, kept in samples/; printed with the loss every few epochs."""
    lyrics = write_lyrics(model, corpus.tokenizer, corpus.seq_len, SEED_TEXT, settings.sample_length,
                          settings.randomness, rng, encoder)
    (folder / "samples" / f"epoch-{epoch + 1:03d}.txt").write_text(lyrics + "\n", encoding="utf-8")
    if (epoch + 1) % max(1, settings.epochs // 3) == 0 or epoch == 0:
        shown = "\n".join([line for line in lyrics.splitlines() if line.strip()][:6])  # no blank lines
        print(f"epoch {epoch + 1:>3}: loss {logs['loss']:.3f}, accuracy {blog.pct(logs['accuracy'])}; "
              f"lyrics at randomness {settings.randomness}, the first lines:\n{textwrap.indent(shown, '    ')}")


keras.utils.set_random_seed(SEED)                  # the same start every time the cell runs
one_model = build_one(tokenizer.size, seq_len, embedding, ONE.embedding_dim, ONE.units, ONE.dense)
one_model.compile(optimizer=keras.optimizers.RMSprop(), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
callbacks = [
    keras.callbacks.EarlyStopping(monitor="loss", patience=ONE.patience, min_delta=ONE.min_delta),
    keras.callbacks.ModelCheckpoint(str(folder / "checkpoints" / "epoch-{epoch:03d}.weights.h5"),
                                    save_weights_only=True),
    keras.callbacks.CSVLogger(str(folder / "history.csv")),
    keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: lyrics_after_epoch(one_model, epoch, logs, ONE)),
]
held_out = one_corpus.windows(held_out=True) if one_corpus.held_out else None  # (windows, next tokens)
one_history = one_model.fit(x, y, batch_size=ONE.batch_size, epochs=ONE.epochs, shuffle=True,
                            validation_data=held_out, callbacks=callbacks, verbose=0)
print(f"trained {len(one_history.epoch)} of at most {ONE.epochs} epochs; files: "
      f"{', '.join(sorted(p.name for p in folder.iterdir()))}")

# %% [markdown]
# The loss and the accuracy per epoch (from `history.history`; the CSV log holds the same numbers), and
# the trained model's "hello world" at the run's randomness (random seed 1) and at 0; the lyrics of random
# seeds 1–5 are measured against the post's below.
# One has never seen "hello" (it is not in the ballads): it reads an unknown word as index 0, as padding.

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
epochs = np.arange(1, len(one_history.epoch) + 1)
left.plot(epochs, one_history.history["loss"], marker="o", label="training songs")
if "val_loss" in one_history.history:  # songs held out
    left.plot(epochs, one_history.history["val_loss"], marker="o", ls="--", label="held-out songs")
    left.legend()
left.set(xlabel="epoch", ylabel="loss (sparse cross-entropy)")
right.plot(epochs, one_history.history["accuracy"], marker="o")
right.set(xlabel="epoch", ylabel="accuracy")
fig.suptitle(f"Gene Lyrica One trained in this notebook, {PROFILE} profile", fontsize=9)
display(Image(save(fig, SCRATCH / "one_curves.png")))

one_lyrics = [write_lyrics(one_model, tokenizer, seq_len, SEED_TEXT, LENGTH, ONE.randomness,
                           np.random.default_rng(s)) for s in (1, 2, 3, 4, 5)]
one_argmax = write_lyrics(one_model, tokenizer, seq_len, SEED_TEXT, LENGTH, 0, np.random.default_rng(0))
side_by_side([(f"randomness {ONE.randomness}, random seed 1", one_lyrics[0]),
              ("randomness 0 (the likeliest token)", one_argmax)])

# %% [markdown]
# ### The full run
#
# The same model at `full`, the author's settings on all 176 ballads, was trained to its end on one NVIDIA
# H100 (`KERAS_BACKEND=jax python -m lyrics one --profile full`: about 7.3 s an epoch, 13 minutes in all;
# on 2 CPU cores an epoch takes 141–212 s, by machine). Its small outputs are committed in `lyrics/docs/full/one/`, so
# here they are read rather than trained: the numbers from its `results.json`, its figures, its lyrics.

# %%
FULL_ONE = Path("lyrics/docs/full/one")   # the committed full run of Gene Lyrica One
full_config = json.loads((FULL_ONE / "config.json").read_text(encoding="utf-8"))
full_results = json.loads((FULL_ONE / "results.json").read_text(encoding="utf-8"))
loss, accuracy = full_results["loss"], full_results["accuracy"]
print(f"{len(loss)} of at most {full_config['settings']['epochs']} epochs on {full_config['corpus']['songs']} "
      f"ballads ({full_config['backend']} backend): loss {loss[0]:.3f} → {loss[-1]:.3f}, "
      f"accuracy {blog.pct(accuracy[0])} → {blog.pct(accuracy[-1])}")
ours = one_history.history
print(f"this notebook, {PROFILE}: {len(one_history.epoch)} epochs on {one_corpus.stats()['songs']} ballads: "
      f"loss {ours['loss'][0]:.3f} → {ours['loss'][-1]:.3f}, "
      f"accuracy {blog.pct(ours['accuracy'][0])} → {blog.pct(ours['accuracy'][-1])}")
display(Image(FULL_ONE / "figures" / "curves.png"))

# %% [markdown]
# Early stopping (on the loss: patience 5, min_delta 0.001) never fired: the loss fell by more than 0.001
# within every five epochs to the end. The accuracy, though, levels off at about 30.5 % from epoch 60; the
# last epochs sharpen the probabilities more than they change the first guess. "hello world" after the
# first epoch and after the last, at the author's randomness 0.3:

# %%
side_by_side([(f"after epoch {n}", (FULL_ONE / "samples" / f"epoch-{n:03d}.txt").read_text(encoding="utf-8"))
              for n in (1, len(loss))])

# %% [markdown]
# After one epoch, kings and little else; after a hundred, the ballads' words and places ("the north
# countrie", Nottingham, a bonny bride) in lines of about seven words, and almost never the same word twice
# in a row. The full run's measures, beside the post's song and the ballads (the figure rounds One's 0.5 %
# to 0 %):

# %%
display(section(FULL_ONE, "Repetition, measured"))
display(Image(FULL_ONE / "figures" / "repetition.png"))

# %% [markdown]
# ## Gene Lyrica Two
#
# The same songs, read differently: the window's tokens, as one text, go through a sentence encoder that
# makes one vector of the whole window (all-MiniLM-L6-v2: 6 transformer layers, 384-d; its token vectors
# averaged into one unit-length sentence vector), then Dense(64, relu) → softmax; Adam. The encoder brings
# its own inputs (its own tokenizer's ids and padding mask, `encoder.inputs()`) and its own layers
# (`encoder.apply`, in `lyrics/encoders.py`); the two layers after it are the post's.

# %%
def build_two(encoder, vocab_size, dense=64):
    inputs = encoder.inputs()                 # the encoder's token ids and padding mask
    x = encoder.apply(inputs)                 # one sentence vector per window
    x = keras.layers.Dense(dense, activation="relu", name="dense")(x)
    outputs = keras.layers.Dense(vocab_size, activation="softmax", name="next_token")(x)
    return keras.Model(inputs, outputs, name="gene_lyrica_two")


# %% [markdown]
# The author trained the encoder along with the layers after it. On a 2-core CPU that costs about 53 minutes
# for one pass over the ballads (49 samples a second), because every training sample runs 22.7 million
# encoder weights forward and back. This notebook therefore **freezes** the encoder (`freeze_encoder=True`,
# as the `quick` profile does): the model is the same, with the encoder's weights fixed; in the summary below
# they are the non-trainable parameters. The repetition the post shows comes from reading a window as one
# averaged vector, not from training the encoder: the package's README measures it on frozen-encoder runs of
# 20 and of 176 ballads. On a GPU, set `TRAIN_ENCODER = True` in the imports cell to train it as the author
# did. That run (about 53 minutes an epoch on 2 CPU cores) has not been made for this walkthrough.
#
# What Two reads at the position shown above: the tokens before it as one text (its own `seq_len` of them,
# from its own songs), and what the encoder's tokenizer makes of that text (at most `TWO.max_tokens` of its
# own tokens, between [CLS] = 101 and [SEP] = 102).

# %%
encoder = encoders.for_settings(TWO)          # frozen unless TRAIN_ENCODER
texts, y2 = two_corpus.text_windows()
k2 = min(k, len(y2) - 1)
print("Two reads:     ", repr(texts[k2]))
print("as the encoder's tokens:", encoder.prepare([texts[k2]])["token_ids"][0].tolist())
print("the next token:", y2[k2], repr(two_corpus.tokenizer.tokens[y2[k2] - 1]), "\n")

keras.utils.set_random_seed(SEED)
two_model = build_two(encoder, two_corpus.tokenizer.size, TWO.dense)
two_model.summary()
print(f"encoder: {encoder.describe()['name']}, {'trained' if TRAIN_ENCODER else 'frozen'}, "
      f"reads at most {TWO.max_tokens} of its own tokens of a window")

# %% [markdown]
# ### Training Gene Lyrica Two
#
# With the encoder frozen, its output for a window never changes, so each window is encoded **once**: a model
# from the inputs to the sentence vector (the input of the layer `dense`) encodes them all, and only the
# layers after it, a model of their own sharing Two's layers, train on those vectors. The encoding takes
# 75 s at `quick`; the epochs after it take seconds. The rest is One's recipe: Adam (learning rate
# `TWO.learning_rate`), the same callbacks, and "hello world" after every epoch, written by the whole model
# through the same generation loop.

# %%
folder2 = SCRATCH / "two"
(folder2 / "checkpoints").mkdir(parents=True, exist_ok=True)
(folder2 / "samples").mkdir(exist_ok=True)
inputs = encoder.prepare(texts)               # token ids and padding masks, every window
if TWO.freeze_encoder:
    dense = two_model.get_layer("dense")
    vectors = keras.Model(two_model.inputs, dense.input).predict(inputs, batch_size=256, verbose=0)
    trained = keras.Model(dense.input, two_model.output, name="gene_lyrica_two_head")  # shares the layers
    inputs = vectors
    print(f"encoded {len(vectors):,} windows once: vectors {vectors.shape}")
else:
    trained = two_model
trained.compile(optimizer=keras.optimizers.Adam(TWO.learning_rate), loss="sparse_categorical_crossentropy",
                metrics=["accuracy"])
callbacks = [
    keras.callbacks.EarlyStopping(monitor="loss", patience=TWO.patience, min_delta=TWO.min_delta),
    keras.callbacks.ModelCheckpoint(str(folder2 / "checkpoints" / "epoch-{epoch:03d}.weights.h5"),
                                    save_weights_only=True),
    keras.callbacks.CSVLogger(str(folder2 / "history.csv")),
    keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: lyrics_after_epoch(
        two_model, epoch, logs, TWO, encoder, two_corpus, folder2)),   # the whole model writes
]
two_history = trained.fit(inputs, y2, batch_size=TWO.batch_size, epochs=TWO.epochs, shuffle=True,
                          callbacks=callbacks, verbose=0)
print(f"trained {len(two_history.epoch)} of at most {TWO.epochs} epochs")

# %% [markdown]
# ### The post's numbers beside ours
#
# "Mighty mighty mighty" as numbers, measured on words (newlines are not words) by one function for every
# text (`blog.measures`): the share of words equal to the word before, the longest run of one word, the
# share of distinct words among the first 50. Here on what the cells above just trained: five lyrics of each
# model (random seeds 1–5, randomness 0.3), beside the post's song and 200 stretches of the ballads. At
# `tiny` the models have seen a ballad or two, twice, and the numbers mean nothing.

# %%
two_lyrics = [write_lyrics(two_model, two_corpus.tokenizer, two_corpus.seq_len, SEED_TEXT, LENGTH,
                           TWO.randomness, np.random.default_rng(s), encoder) for s in (1, 2, 3, 4, 5)]
side_by_side([("the post (Gene Lyrica Two)", blog.POST_LYRICS), ("ours, Two, random seed 1", two_lyrics[0]),
              ("ours, One, random seed 1", one_lyrics[0])])

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
for history, name in ((one_history, "Gene Lyrica One"), (two_history, "Gene Lyrica Two")):
    left.plot(np.arange(1, len(history.epoch) + 1), history.history["loss"], marker="o", label=name)
    right.plot(np.arange(1, len(history.epoch) + 1), history.history["accuracy"], marker="o", label=name)
left.set(xlabel="epoch", ylabel="loss (sparse cross-entropy)")
right.set(xlabel="epoch", ylabel="accuracy")
left.legend()
fig.suptitle(f"Both models trained in this notebook, {PROFILE} profile", fontsize=9)
display(Image(save(fig, SCRATCH / "both_curves.png")))

measured = [("the post (Gene Lyrica Two)", blog.measures(blog.POST_LYRICS)),
            ("ours, Two (mean of 5)", blog.mean_measures([blog.measures(s) for s in two_lyrics])),
            ("ours, One (mean of 5)", blog.mean_measures([blog.measures(s) for s in one_lyrics])),
            ("the ballads they learned from", blog.corpus_measures(one_corpus.token_lists, LENGTH))]
display(Markdown(markdown_table(
    ["", "words", "repeat the word before", "longest run", "distinct (first 50)"],
    [[name, f"{m['words']:.0f}", blog.pct(m["repeat_share"]), f"{m['longest_run']:.1f}",
      blog.pct(m["distinct_ratio"])] for name, m in measured])))

# %% [markdown]
# ## All of the above in one command, with run folders, resume and the report
#
# `experiment.run` is what `python -m lyrics one --profile PROFILE` (and `two`) runs: the same songs, the
# same word2vec start, the same `build_one` / `build_two` (`lyrics/models.py`), `compile`, callbacks and
# `fit` (`lyrics/train.py`), and the same loop to write lyrics after every epoch (`lyrics/sampling.py`). It
# adds what a long run needs: a run folder under `RUNS`, a backup each epoch so that
# `experiment.run(resume=run_dir)` carries an interrupted run on, the lyrics of five random seeds and their
# measures, the figures and `report.md`. The sections below read those run folders.

# %%
with brief():  # progress lines: the first and the last two
    one_dir = experiment.run(ONE, out=RUNS, seed=SEED, profile=PROFILE, echo=False)
    two_dir = experiment.run(TWO, out=RUNS, seed=SEED, profile=PROFILE, echo=False)
print("Gene Lyrica One:", one_dir)
print("Gene Lyrica Two:", two_dir)

# %% [markdown]
# Each run's loss and accuracy per epoch, and how repetitive its lyrics are (five lyrics at randomness 0.3,
# the argmax lyrics, stretches of the ballads it learned from) beside the post's song. Then the first and the
# last epoch's "hello world" of Two's run, from its `samples/`.

# %%
show(one_dir, "curves", "repetition")
show(two_dir, "curves", "repetition")
epochs = sorted((two_dir / "samples").glob("epoch-*.txt"))
side_by_side([(f"Two, after {p.stem.replace('-', ' ')}", p.read_text(encoding="utf-8"))
              for p in (epochs[0], epochs[-1])])

# %% [markdown]
# ### What was memorised, what was learnt
#
# The training loss says how well a model guesses the next word of the songs it reads, which it can learn
# by heart; the post scored its models on nothing else. At `quick` both runs keep three ballads out
# (`held_out`), and the loss figures above draw their loss dashed (at `tiny` and `full` nothing is held
# out, as in the post). The gap between the two lines is what the model memorised rather than learnt.
# Gene Lyrica Two at `quick`, five seeds (`python -m lyrics seeds two`, kept in `lyrics/docs/seeds/two/`):
# the held-out loss is lowest after about nine epochs (5.38 at seed 0) and climbs back to 5.85–5.90 by
# epoch 40, while the training loss falls to 4.13–4.19: after its first ten epochs Two learns these twenty
# ballads, not ballads. Gene Lyrica One at `quick` (seed 0): lowest after epoch 6 (5.00), back to 5.11 by
# epoch 12 while its training loss falls to 4.18. The post's song would not read differently for it: the
# repetition is there at every seed and every epoch.

# %% [markdown]
# ## The runs' measures beside the post's
#
# The same measures in each run's report: "ours" is the mean of five lyrics (random seeds 1–5) of "hello
# world" continued at randomness 0.3; the songs are 200 random stretches of the ballads the run trained on.

# %%
display(Markdown("**Gene Lyrica Two**"))
display(section(two_dir, "Repetition, measured"))
display(Markdown("**Gene Lyrica One**"))
display(section(one_dir, "Repetition, measured"))

# %% [markdown]
# The post's claims are about Two's song, so they are checked against Two's run. None of them needs the
# post's full settings: each is measured on whatever the run writes, so every profile gives a verdict. At
# `tiny` the model has seen one ballad twice and its verdicts mean nothing. At `quick` we saw all three
# agree: 41 % of Two's words repeated the word before (the post: 38 %; the ballads: 0.2 %), against 2 %
# of One's.

# %%
display(section(two_dir, "Claims"))

# %% [markdown]
# ## Play: "hello world"
#
# `play.load(run_dir)` loads a finished run's model once; `generate(seed_text, length, randomness,
# random_seed)` writes. The same random seed gives the same lyrics. Below: the post's song beside Gene Lyrica
# Two's, at the author's randomness 0.3 and at 1.0 (the probabilities as the model gives them). Runs of blank
# lines are shortened to two.

# %%
two = play.load(two_dir)
one = play.load(one_dir)
lyrics = {("Two", r): two.generate("hello world", length=LENGTH, randomness=r, random_seed=1)
          for r in (0.3, 1.0)}
side_by_side([("the post (Gene Lyrica Two)", blog.POST_LYRICS),
              ("ours, Two, randomness 0.3", lyrics["Two", 0.3]),
              ("ours, Two, randomness 1.0", lyrics["Two", 1.0])])

# %% [markdown]
# Gene Lyrica One, the same seed. One has never seen "hello" (it is not in the ballads): it reads an
# unknown word as padding, as the author's tokenizer did.

# %%
print("not in One's vocabulary:", ", ".join(one.unknown_words("hello world")) or "none", "\n")
for r in (0.3, 1.0):
    lyrics["One", r] = one.generate("hello world", length=LENGTH, randomness=r, random_seed=1)
side_by_side([(f"ours, One, randomness {r}", lyrics["One", r]) for r in (0.3, 1.0)])

# %% [markdown]
# And the suite's own Gene Lyrica Two at full: every ballad, 100 epochs, its encoder frozen, kept with the suite
# in `lyrics/docs/full/two/` (an hour on the CPU, so it is not trained here). `play.load` opens it from that
# folder. Beside the one this notebook trained, the same seed text and random seed: more words, and the
# same habit, a word written again and again.

# %%
kept_two = play.load("lyrics/docs/full/two")
lyrics["Two, kept full run", 0.3] = kept_two.generate("hello world", length=LENGTH, randomness=0.3, random_seed=1)
side_by_side([("ours, Two, randomness 0.3", lyrics["Two", 0.3]),
              ("Two, kept full run, randomness 0.3", lyrics["Two, kept full run", 0.3])])

# %%
measured = [("the post", blog.measures(blog.POST_LYRICS))]
measured += [(f"{model}, randomness {r}", blog.measures(song)) for (model, r), song in lyrics.items()]
display(Markdown(markdown_table(
    ["random seed 1", "words", "repeat the word before", "longest run", "distinct (first 50)"],
    [[name, m["words"], blog.pct(m["repeat_share"]), m["longest_run"], blog.pct(m["distinct_ratio"])]
     for name, m in measured])))

# %% [markdown]
# ## Exercises
#
# **1. Lower and raise the randomness.** At 0 each model always writes its likeliest token; at 1 it draws
# from its probabilities as they are; above 1 they are flattened. How does the repetition change with it,
# for Two and for One? Where does Two stop repeating itself, and what do its lyrics look like there and at
# 0 (the right panel counts the words among the tokens written: the rest are line breaks)? Three random
# seeds a point here, one at `tiny`; more make the lines smoother.

# %%
RANDOMNESS = (0, 0.1, 0.3, 0.6, 1.0, 1.5)
SEEDS = (1,) if PROFILE == "tiny" else (1, 2, 3)
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
for name, lyricist in (("Gene Lyrica Two", two), ("Gene Lyrica One", one)):
    found = [[blog.measures(lyricist.generate("hello world", LENGTH, r, seed)) for seed in SEEDS]
             for r in RANDOMNESS]
    left.plot(RANDOMNESS, [100 * sum(m["repeat_share"] for m in ms) / len(ms) for ms in found], marker="o",
              label=name)
    words = [sum(m["words"] - 2 for m in ms) / len(ms) for ms in found]  # less the seed's two words
    right.plot(RANDOMNESS, words, marker="o", label=name)
post_share = 100 * blog.measures(blog.POST_LYRICS)["repeat_share"]
left.axhline(post_share, color="#c44e52", ls="--", label="the post")
left.set_ylim(0, 100)
left.set_ylabel("words that repeat the word before (%)")
right.set_ylim(0, LENGTH)
right.set_ylabel(f"words among the {LENGTH} tokens written")
for ax in (left, right):
    ax.set_xlabel("randomness")
    ax.grid(alpha=0.3)
left.legend()
fig.suptitle(f"What the randomness does, {PROFILE} profile (\"hello world\" continued)", fontsize=9)
display(Image(save(fig, SCRATCH / "randomness.png")))

# %% [markdown]
# **2. Another seed text.** Which words do the ballads know? Of the post's own words, only some occur in the
# book. One reads every other word as padding, so its lyrics start as if from nothing; Two's encoder reads
# any word. Try a ballad's first line (below: "Sir Patrick Spens"), a line of a song you know, or the post's.

# %%
post_words = sorted({w for w in text.words(text.clean(blog.POST_LYRICS)) if w != text.NEWLINE})
print("the post's words in the ballads:    ", [w for w in post_words if w in full_corpus.tokenizer.index])
print("the post's words not in the ballads:", [w for w in post_words if w not in full_corpus.tokenizer.index])

seed_text = "the king sits in dunfermline town\ndrinking the blude-red wine"
print("\nnot in One's vocabulary at this profile:", ", ".join(one.unknown_words(seed_text)) or "none", "\n")
side_by_side([("Gene Lyrica One, 0.3", one.generate(seed_text, LENGTH, 0.3, 1)),
              ("Gene Lyrica Two, 0.3", two.generate(seed_text, LENGTH, 0.3, 1))], width=60)

# %% [markdown]
# **3. Characters instead of words.** `level="char"` makes every character a token, the line break included
# (word vectors do not apply, so the embedding starts random). The vocabulary shrinks to a few dozen
# characters, while the median line becomes about 30 characters long, so the input grows to about 120
# tokens. Look at the numbers and the model first; then train it: set `train_it = True` (one epoch on one
# ballad, as below, takes about 20 s at `tiny`); at `quick` a character epoch costs roughly 20 word epochs
# (five times the tokens, each read through a window four times as long): choose `epochs` and `songs` to fit
# your time.
# Does One learn to spell? Does it keep the ballads' line length?

# %%
CHAR = replace(ONE, level="char", embedding="random")
char_corpus = corpus.prepare(CHAR)
print({key: char_corpus.stats()[key] for key in ("songs", "tokens", "vocabulary", "median_line_length",
                                                 "sequence_length", "samples")})
build_one(char_corpus.tokenizer.size, char_corpus.seq_len, None, CHAR.embedding_dim, CHAR.units,
          CHAR.dense).summary()

train_it = False
if train_it:
    with brief():
        char_dir = experiment.run(replace(CHAR, epochs=1, songs=1), out=RUNS, seed=SEED, profile=PROFILE,
                                  echo=False)
    print(play.load(char_dir).generate("hello world", length=3 * LENGTH, randomness=0.3, random_seed=1))
