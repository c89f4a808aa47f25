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
# "This masterpiece stands on its own :-)". What a reader notices is the repetition; here we train both
# models, write lyrics with each, and measure the repetition the same way on the post's song, on ours and on
# the songs the models learned from.
#
# Run time on a 2-core CPU, for the whole notebook:
#
# | profile | what it trains | time |
# |---|---|---|
# | `tiny` | One: 2 ballads, GRUs of 8, 2 epochs; Two: 1 ballad, 2 epochs: checks that everything runs | about a minute |
# | `quick` | One: the first 20 ballads, 12 epochs; Two: the same ballads, encoder frozen, 40 epochs | about 7 minutes |
# | `full` | all 176 ballads, the post's settings: One, up to 100 epochs of 2.4 min (7.3 s on a GPU); Two (encoder frozen, see below), 15 min to encode, up to 100 epochs of 16 s | up to 5 hours |
#
# (Timed on idle cores; with other work sharing them, it takes up to twice as long.) At `tiny` the models
# write noise. At `quick` One writes ballad phrases ("and then bespake him noble king arthur")
# and Two already repeats itself ("an' an' an' an'"); the package's README shows runs on all the ballads,
# and "The full run" below shows Gene Lyrica One trained at the post's settings to its 100th epoch.

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

import io
import json
import tempfile
import textwrap
import warnings
from dataclasses import replace

from IPython.display import Image, Markdown, display

from lyrics import blog, config, corpus, encoders, experiment, figures, play, songs, text
from lyrics.models import build  # the function training builds both models with
from shared.data import strip_gutenberg
from shared.figures import plt
from shared.report import markdown_table

warnings.filterwarnings("ignore", message="IProgress not found")  # tqdm (keras_hub imports it) wants widgets

# The encoder of Gene Lyrica Two is frozen in this notebook (see "The models"); the author trained it.
TRAIN_ENCODER = False
ONE = config.PROFILES["one"][PROFILE]
TWO = replace(config.PROFILES["two"][PROFILE], freeze_encoder=not TRAIN_ENCODER)
LENGTH = 40 if PROFILE == "tiny" else 100  # tokens written after the seed (the author's web page: 100)
SCRATCH = Path(tempfile.mkdtemp())  # the notebook's own figures (a run keeps its figures in its folder)


def show(fig):
    """Show a matplotlib figure inline, as a PNG."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    display(Image(buffer.getvalue()))


def report_section(run_dir, title):
    """One section of a run's report.md (its tables and text, without the figures shown elsewhere)."""
    report = (Path(run_dir) / "report.md").read_text(encoding="utf-8")
    section = report.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if not line.startswith("!["))


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
# page; 0 always takes the likeliest word), draw one word, append it, repeat.
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
# The numbers of the whole book, and of the part of it that this profile trains on. The input length is the
# author's rule: a verse of four median lines, plus three tokens.

# %%
full_corpus = corpus.prepare(config.ONE)          # all 176 ballads, cut as the author's settings cut them
one_corpus = corpus.prepare(ONE)                  # what Gene Lyrica One trains on at this profile
two_corpus = corpus.prepare(TWO)                  # ... and Gene Lyrica Two
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
# One training sample: the tokens before a position (padded with index 0 at the start of a song) and the
# token to guess. Gene Lyrica One reads the indices; Gene Lyrica Two reads the same words as text.

# %%
x, y = one_corpus.windows()
texts, _ = one_corpus.text_windows()
k = min(200, len(y) - 1)
print("One reads: ", x[k].tolist())
print("Two reads: ", repr(texts[k]))
print("the answer:", y[k], repr(one_corpus.tokenizer.tokens[y[k] - 1]))

# %% [markdown]
# ## The models
#
# Both are built by the function the training uses. **Gene Lyrica One**: Embedding(50-d, index 0 masked) →
# Bidirectional GRU(128, whole sequence) → Bidirectional GRU(128, dropout 0.2) → Dense(128, relu) →
# Dropout(0.3) → softmax over the vocabulary and index 0; RMSprop, sparse cross-entropy, batch 256. Its
# embedding starts from word2vec vectors trained on the songs (`experiment.run` trains them first; built here
# without them, the summary is the same). At `tiny` the GRUs and the dense layer have 8 units.

# %%
one_model = build(ONE, one_corpus.tokenizer.size, one_corpus.seq_len)
one_model.summary()

# %% [markdown]
# **Gene Lyrica Two**: the text → all-MiniLM-L6-v2 (6 transformer layers, 384-d; its token vectors
# averaged into one unit-length sentence vector) → Dense(64, relu) → softmax; Adam.
#
# The author trained the encoder along with the layers after it. On a 2-core CPU that costs about 53 minutes
# for one pass over the ballads (49 samples a second), because every training sample runs 22.7 million
# encoder weights forward and back. This notebook therefore **freezes** the encoder (`freeze_encoder=True`,
# as the `quick` profile does): each text window is encoded once, and only the dense layer and the softmax
# after it train, in seconds an epoch. The model is the same, with the encoder's weights fixed: in the
# summary below they are the non-trainable parameters. The repetition the post shows comes from reading a
# window as one averaged vector, not from training the encoder: the package's README measures it on
# frozen-encoder runs of 20 and of 176 ballads. On a GPU, set `TRAIN_ENCODER = True` in the imports cell to
# train it as the author did, on any backend (without TensorFlow, keras_hub tokenizes in Python, to the
# same token ids). That run (about 53 minutes an epoch on 2 CPU cores) has not been made for this walkthrough.

# %%
encoder = encoders.for_settings(TWO)
two_model = build(TWO, two_corpus.tokenizer.size, two_corpus.seq_len, encoder)
two_model.summary()
print(f"encoder: {encoder.describe()['name']}, {'trained' if TRAIN_ENCODER else 'frozen'}, "
      f"reads at most {TWO.max_tokens} of its own tokens of a window")

# %% [markdown]
# ## Training Gene Lyrica One
#
# `experiment.run` is what `python -m lyrics one --profile PROFILE` runs: it makes a run folder under
# `RUNS`, trains the word2vec vectors and then the model (early stopping on the loss, a checkpoint every
# epoch), continues "hello world" after every epoch (printed below), and at the end writes the lyrics, the
# measures, the figures and the report. An interrupted run carries on with `experiment.run(resume=run_dir)`.

# %%
one_dir = experiment.run(ONE, out=RUNS, seed=0, profile=PROFILE)

# %% [markdown]
# The loss and the accuracy per epoch, and how repetitive One's lyrics are (five lyrics at randomness 0.3,
# the argmax lyrics, stretches of the ballads it learned from) beside the post's song.

# %%
display(Image(one_dir / "figures" / "curves.png"))
display(Image(one_dir / "figures" / "repetition.png"))

# %% [markdown]
# ### The full run
#
# The same call at `full`, the author's settings on all 176 ballads, was run to its end on one NVIDIA H100
# (`KERAS_BACKEND=jax python -m lyrics one --profile full`: about 7.3 s an epoch, 13 minutes in all; on
# 2 CPU cores an epoch takes 141–150 s). Its small outputs are committed in `lyrics/docs/full/one/`, so
# here they are read rather than trained: the numbers from its `results.json`, its figures, its lyrics.

# %%
FULL_ONE = ROOT / "lyrics" / "docs" / "full" / "one"   # the committed full run of Gene Lyrica One
full_config = json.loads((FULL_ONE / "config.json").read_text(encoding="utf-8"))
full_results = json.loads((FULL_ONE / "results.json").read_text(encoding="utf-8"))
loss, accuracy = full_results["loss"], full_results["accuracy"]
print(f"{len(loss)} of at most {full_config['settings']['epochs']} epochs on {full_config['corpus']['songs']} "
      f"ballads ({full_config['backend']} backend): loss {loss[0]:.3f} → {loss[-1]:.3f}, "
      f"accuracy {blog.pct(accuracy[0])} → {blog.pct(accuracy[-1])}")
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
display(Markdown(report_section(FULL_ONE, "Repetition, measured")))
display(Image(FULL_ONE / "figures" / "repetition.png"))

# %% [markdown]
# ## Training Gene Lyrica Two
#
# The same call with Two's settings (`python -m lyrics two --profile PROFILE --freeze-encoder`). With the
# encoder frozen, the first minutes go to encoding every window once; the epochs after that are quick. The
# lyrics of every epoch go to `samples/` rather than to the screen; the first and the last are shown after.

# %%
two_dir = experiment.run(TWO, out=RUNS, seed=0, profile=PROFILE, echo=False)
epochs = sorted((two_dir / "samples").glob("epoch-*.txt"))
side_by_side([(f"after {p.stem.replace('-', ' ')}", p.read_text(encoding="utf-8"))
              for p in (epochs[0], epochs[-1])])

# %%
display(Image(two_dir / "figures" / "curves.png"))
display(Image(two_dir / "figures" / "repetition.png"))

# %% [markdown]
# ## The post's numbers beside ours
#
# "Mighty mighty mighty" as numbers, measured on words (newlines are not words) by one function for every
# text: the share of words equal to the word before, the longest run of one word, the share of distinct
# words among the first 50, words per line. "Ours" is the mean of five lyrics (random seeds 1–5) of "hello
# world" continued at randomness 0.3; the songs are 200 random stretches of the ballads the run trained on.

# %%
display(Markdown("**Gene Lyrica Two**\n\n" + report_section(two_dir, "Repetition, measured")))
display(Markdown("**Gene Lyrica One**\n\n" + report_section(one_dir, "Repetition, measured")))

# %% [markdown]
# The post's claims are about Two's song, so they are checked against Two's run. None of them needs the
# post's full settings: each is measured on whatever the run writes, so every profile gives a verdict. At
# `tiny` the model has seen one ballad twice and its verdicts mean nothing. At `quick` we saw all three
# agree: 41 % of Two's words repeated the word before (the post: 38 %; the ballads: 0.2 %), against 2 %
# of One's.

# %%
display(Markdown(report_section(two_dir, "Claims")))

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
show(fig)

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
# tokens. Look at the numbers and the model first; then train it. At `tiny` one epoch on one ballad trains
# here; at `quick` a character epoch costs roughly 20 word epochs (five times the tokens, each read through
# a window four times as long): set `train_it = True`, and choose `epochs` and `songs` to fit your time.
# Does One learn to spell? Does it keep the ballads' line length?

# %%
CHAR = replace(ONE, level="char", embedding="random")
char_corpus = corpus.prepare(CHAR)
print({key: char_corpus.stats()[key] for key in ("songs", "tokens", "vocabulary", "median_line_length",
                                                 "sequence_length", "samples")})
build(CHAR, char_corpus.tokenizer.size, char_corpus.seq_len).summary()

train_it = PROFILE == "tiny"
if train_it:
    char_dir = experiment.run(replace(CHAR, epochs=1, songs=1), out=RUNS, seed=0, profile=PROFILE, echo=False)
    print(play.load(char_dir).generate("hello world", length=150, randomness=0.3, random_seed=1))
