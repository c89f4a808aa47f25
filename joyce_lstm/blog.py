"""What the post (and its script) says, and the checks that hold a run against it.

The post shows its samples after epochs 1, 2, 10, 20 and 31 for one seed; they
are kept here word for word so that the same measures (share of real words,
sentence ends) can be taken of the post's text and of ours.
"""
import re

from shared.report import Claim, Outcome, verdict

# The seed of the post's samples (the corpus spells the apostrophe ’).
POST_SEED = ("No, she couldn’t say. But it would be in the paper. O, she need not trouble. "
             "No trouble. She waved")
POST_SAMPLES = {
    1: "and his for she bating his cond sere parsed and boon and she the bece and his bell of the said "
       "said the of to the shand the singer the stupper tire rook he sore dinged in the sore and the sind "
       "of she cont of the charter some the said the she can and bring be the had beting the said the "
       "priss said him and she read the courd state of the har she she con the porded the rame of the "
       "sand the the all spe",
    2: "a conted up a stilling at the conferical on the courted his his a seeper him to he was in the "
       "cause of she was a comp the stare to the cropping they was of the what the conder a bentor of "
       "sing and him a she come could he was a gon’t he asked sire and better he shill on the cassing it "
       "the dook and to the could in the down the sices and bent in the dide and a ba see in the "
       "couraricled and he was a ju",
    10: "and the place of the corners of are the street of a mate she had a proper and the chare the "
        "gentleman compantion of the coller and the recent and the menter the pointing to a strangering "
        "and the postage the matter. But a brong and characted by a strange in her had eater of the "
        "coming the past the corner of any the lower scrump and he said that the end face he see and "
        "the object of the such and said",
    20: "and a burse which he had enoughless and stander him. He was a polity of the staid. He called "
        "him.\n—And she was stocking all the suppose of the son her corner and he had a sight of that his "
        "hand of the corner of the last after the same beside him and but the wife but the more to her "
        "standing this plump and the brow second him and he was a second of the same on the shout of "
        "his lawsed to the c",
    31: "at the eyes and the Chandler and the man was the band and the words of the case and the face "
        "the and which the land and with the constand and he said.\n—That’s a country like a man. He was "
        "a woman and the last boy, grand at the she as a few man and the contracted behind a grandlies "
        "of the some of the corner, the card in the part.\n—The house in the street to see it. Mr Bloom "
        "said to medically a",
}
POST_EPOCHS = tuple(POST_SAMPLES)
# The diversity our side-by-side uses (the post does not say which it showed).
SHOWN_DIVERSITY = "0.5"

_WORD = re.compile(r"[A-Za-zÀ-ÿ’']+")


def words(text, drop_last=True):
    """The words of a sample; the last one is cut off mid-word, so it is left out."""
    found = _WORD.findall(text)
    return found[:-1] if drop_last and found else found


def corpus_words(text):
    return {w.lower() for w in words(text, drop_last=False)}


def measure(sample, lexicon):
    """Share of a sample's words that occur in the corpus, its sentence ends, its mean word length."""
    ws = words(sample)
    real = sum(w.lower() in lexicon for w in ws)
    return {"words": len(ws), "real_word_share": real / len(ws) if ws else 0.0,
            "sentence_ends": len(re.findall(r"[.!?](\s|$)", sample)),
            "mean_word_length": sum(map(len, ws)) / len(ws) if ws else 0.0}


def _pct(x):
    return f"{100 * x:.0f} %"


def _within(ours, target, tol):
    return abs(ours - target) <= tol


def _corpus(key, fmt, target, tol, unit=1):
    """A corpus figure within ``tol`` of ``target``; its value in the blog's unit (``unit`` 100: a share in %)."""
    def check(r):
        ours = r["corpus"][key]
        return Outcome(fmt(ours), verdict(_within(ours, target, tol)), value=unit * ours)
    return check


def _sample_share(epoch):
    def check(r):
        ours = r["sample_measures"][str(epoch)][SHOWN_DIVERSITY]["real_word_share"]
        blog = r["blog_measures"][str(epoch)]["real_word_share"]
        return Outcome(f"{_pct(ours)} real words (diversity {SHOWN_DIVERSITY})",
                       verdict(_within(ours, blog, 0.15)), f"blog's sample: {_pct(blog)}", 100 * ours)
    return check


def _fewer_imaginary(r):
    m = r["sample_measures"]
    first, tenth = (m[str(e)][SHOWN_DIVERSITY]["real_word_share"] for e in (1, 10))
    return Outcome(f"{_pct(first)} → {_pct(tenth)} real words", verdict(tenth > first),
                   value=100 * (tenth - first))  # points gained


def _punctuation(r):
    m = r["sample_measures"]
    a, b = (m[str(e)][SHOWN_DIVERSITY]["sentence_ends"] for e in (1, 20))
    return Outcome(f"{a} sentence ends at epoch 1, {b} at epoch 20", verdict(b > a), value=b - a)


def _loss_at(epoch, target, tol=0.2):
    def check(r):
        ours = r["loss"][epoch - 1]
        return Outcome(f"{ours:.2f}", verdict(_within(ours, target, tol)),
                       "Keras' example trains on another corpus (Nietzsche, 600 k characters)", ours)
    return check


def _nine(r):
    ours = r["nine_lines"]["numpy"]
    return Outcome(ours, verdict(ours == "[0.99993704]"), value=float(ours.strip("[]")))


def _falls(r):
    loss = r["loss"]
    return Outcome(f"{loss[0]:.2f} → {loss[-1]:.2f} over {len(loss)} epochs", verdict(loss[-1] < loss[0]),
                   value=loss[-1] - loss[0])  # below 0: it falls


CLAIMS = [
    Claim("corpus_length", "script output (REFERENCE)", "corpus length", "≈ 1.9 M characters",
          _corpus("length", lambda v: f"{v:,}", 1.9e6, 0.05e6), seeded=False),
    Claim("chars", "script output (REFERENCE)", "total chars", "≈ 117",
          _corpus("chars", str, 117, 0), seeded=False),
    Claim("sequences", "script output (REFERENCE)", "nb sequences (maxlen 100, step 3)", "≈ 633 k",
          _corpus("sequences", lambda v: f"{v:,}", 633e3, 5e3), seeded=False),
    Claim("below_125", "histogram", "About 90% of the sentences are below 125 characters", "90 %",
          _corpus("share_below_125", _pct, 0.90, 0.02, unit=100), seeded=False),
    Claim("below_100", "histogram", "still covers 86% of Joyce's sentences (below length 100)", "86 %",
          _corpus("share_below_100", _pct, 0.86, 0.02, unit=100), seeded=False),
    Claim("loss_falls", "loss figure", "Here is the loss plotted by epoch", "falling",
          _falls),
    Claim("keras_1", "Keras' char-LSTM example (REFERENCE)", "loss after epoch 1", "≈ 2.29",
          _loss_at(1, 2.29, 0.3), needs_full=True),
    Claim("keras_10", "Keras' char-LSTM example (REFERENCE)", "loss after epoch 10", "≈ 1.31",
          _loss_at(10, 1.31), needs_full=True),
    Claim("keras_20", "Keras' char-LSTM example (REFERENCE)", "loss after epoch 20", "≈ 1.25",
          _loss_at(20, 1.25), needs_full=True),
    Claim("epoch1_words", "Epoch 1", "both recognizable words and nonsense words", "sample",
          _sample_share(1), needs_full=True),
    Claim("epoch10_words", "Epoch 10", "there are fewer imaginary words", "sample",
          _fewer_imaginary, needs_full=True),
    Claim("epoch20_punct", "Epoch 20", "By epoch 20, there is not only punctuation and fewer fantasy words",
          "sample", _punctuation, needs_full=True),
    Claim("epoch31_words", "Epoch 31", "more advanced sentence structure", "sample",
          _sample_share(31), needs_full=True),
    Claim("nine_lines", "9 lines of Python", "The output:", "[0.99993704]", _nine, seeded=False),
]


def corpus_rows(d):
    """The corpus's figures beside the post's script output (as a table's rows)."""
    return [
        ["corpus length (characters)", "≈ 1.9 M", f"{d['length']:,}"],
        ["distinct characters", "≈ 117", str(d["chars"])],
        ["sequences (maxlen 100, step 3)", "≈ 633 k", f"{d['sequences']:,}"],
        ["the one-hot input as the post builds it", "≈ 7.4 GB", f"{d['onehot_gb']:.2f} GB"],
        ["sentences below 100 characters", "86 %", f"{100 * d['share_below_100']:.1f} %"],
        ["sentences below 125 characters", "90 %", f"{100 * d['share_below_125']:.1f} %"],
    ]


def blog_measures(lexicon):
    return {str(e): measure(s, lexicon) for e, s in POST_SAMPLES.items()}

