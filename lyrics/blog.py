"""What the post shows, and measures that turn its observation into numbers.

"Mighty mighty world" is the whole post: lyrics written by Gene Lyrica Two (the
sentence-embedding model) from the seed "hello world". What strikes a reader is
the repetition ("a mighty mighty mighty mighty mighty mighty a world", "the pagan
pagan pagan ..."). The same measures are taken of the post's lyrics, of our
samples, and of stretches of the songs the model learned from.
"""
import numpy as np

from lyrics import text as lyrics_text
from shared.report import Claim, Outcome, verdict

SOURCE = "\"Mighty mighty world\""
# The post's lyrics, word for word (its curly apostrophe kept).
POST_LYRICS = """hello world

a mighty mighty mighty mighty mighty mighty a world

world world

and mighty
mighty mighty

all mighty mom mighty

babies mom
the mom


roman you roman mom

plastic cat’s roman roman

the pagan pagan pagan pagan pagan pagan pagan pagan pagan i pagan oh
and dear"""
POST_SEED = "hello world"
POST_SETTINGS = {"randomness": 0.3, "length": 100}  # the author's web page
DISTINCT_WINDOW = 50  # distinct-word ratio over the first 50 words, so texts of any length compare


def measures(lyrics):
    """Repetition measures of a text: words only (newlines are not words)."""
    # Cleaned as the songs are, except that repeated lines stay: they are what is measured.
    ws = [w for w in lyrics_text.words(lyrics_text.clean(lyrics, max_repeats=len(lyrics) + 1))
          if w != lyrics_text.NEWLINE]
    lines = [line for line in lyrics.split("\n") if line.strip()]
    n = len(ws)
    repeats = sum(1 for a, b in zip(ws, ws[1:]) if a == b)
    run = longest = 1 if ws else 0
    for a, b in zip(ws, ws[1:]):
        run = run + 1 if a == b else 1
        longest = max(longest, run)
    head = ws[:DISTINCT_WINDOW]
    return {"words": n,
            "repeat_share": repeats / (n - 1) if n > 1 else 0.0,
            "longest_run": longest,
            "distinct_ratio": len(set(head)) / len(head) if head else 0.0,
            "words_per_line": n / len(lines) if lines else 0.0}


def corpus_measures(token_lists, length=100, stretches=200, seed=0):
    """The same measures of ``stretches`` random ``length``-token stretches of the training songs."""
    rng = np.random.default_rng(seed)
    long_enough = [t for t in token_lists if len(t) > length]
    if not long_enough:
        long_enough = token_lists
    found = []
    for _ in range(stretches):
        toks = long_enough[int(rng.integers(len(long_enough)))]
        start = int(rng.integers(0, max(1, len(toks) - length)))
        found.append(measures(lyrics_text.join(toks[start:start + length])))
    return mean_measures(found)


def mean_measures(items):
    keys = ("words", "repeat_share", "longest_run", "distinct_ratio", "words_per_line")
    return {k: float(np.mean([m[k] for m in items])) for k in keys}


def pct(x):
    return f"{100 * x:.1f} %"


def _repeats(r):
    ours, songs = r["ours"]["repeat_share"], r["corpus_measures"]["repeat_share"]
    return Outcome(f"{pct(ours)} of words repeat the word before (the songs it learned from: {pct(songs)})",
                   verdict(ours >= 3 * max(songs, 0.005)),
                   "agrees when our samples repeat at least 3 times as often as the songs themselves", 100 * ours)


def _runs(r):
    ours, songs = r["ours"]["longest_run"], r["corpus_measures"]["longest_run"]
    return Outcome(f"longest run of one word {ours:.1f} on average (songs: {songs:.1f})",
                   verdict(ours >= 3), "agrees when the same word comes 3 or more times in a row", ours)


def _distinct(r):
    ours, songs = r["ours"]["distinct_ratio"], r["corpus_measures"]["distinct_ratio"]
    return Outcome(f"{pct(ours)} of the first {DISTINCT_WINDOW} words distinct (songs: {pct(songs)})",
                   verdict(ours < songs), "agrees when our samples use fewer distinct words than the songs",
                   100 * ours)


CLAIMS_TWO = [
    Claim("repeats", SOURCE, "a mighty mighty mighty mighty mighty mighty a world",
          f"{pct(measures(POST_LYRICS)['repeat_share'])} of words repeat the word before", _repeats),
    Claim("runs", SOURCE, "the pagan pagan pagan pagan pagan pagan pagan pagan pagan",
          f"longest run {measures(POST_LYRICS)['longest_run']} words", _runs),
    Claim("distinct", SOURCE, "a handful of words (mighty, mom, roman, pagan, world) fill the song",
          f"{pct(measures(POST_LYRICS)['distinct_ratio'])} of the first {DISTINCT_WINDOW} words distinct",
          _distinct),
]
CLAIMS = {"one": [], "two": CLAIMS_TWO}
