"""Lyrics: loaders, the ballad parser, cleaning, tokenizers, windows, sampling, measures, models."""
import dataclasses
import os
from pathlib import Path

import numpy as np
import pytest

from lyrics import blog, sampling, songs, text
from shared import UserError

DATA = Path(os.environ.get("REPRO_DATA", "/nonexistent"))
HAVE_BALLADS = (DATA / songs.BALLADS[0]).is_file()


def write(path, content):
    path.write_text(content, encoding="utf-8")
    return path


# --- the songs CSV ---------------------------------------------------------------------------

SONGS_CSV = """artist,song,link,text
The Beatles,Song A,/a,"Hey there
hey there"
Queen,Song B,/b,"We will
rock you"
ABBA,Song C,/c,"Mamma mia"
Queen,Empty,/d,"   "
"""


def test_csv_loads_the_named_artists_case_insensitively(tmp_path):
    path = write(tmp_path / "s.csv", SONGS_CSV)
    got = songs.load_csv(path, ["queen", "ABBA"])
    assert [(s["artist"], s["song"]) for s in got] == [("Queen", "Song B"), ("ABBA", "Song C")]
    assert got[0]["text"] == "We will\nrock you"


def test_csv_star_means_every_artist_and_empty_texts_are_skipped(tmp_path, capsys):
    path = write(tmp_path / "s.csv", SONGS_CSV)
    assert len(songs.load_csv(path, "*")) == 3
    assert "skipped 1 songs with an empty text" in capsys.readouterr().err


def test_csv_default_is_the_rock_set_present(tmp_path, capsys):
    path = write(tmp_path / "s.csv", SONGS_CSV)
    got = songs.load_csv(path)
    assert {s["artist"] for s in got} == {"The Beatles", "Queen"}  # ABBA is not one of the 20
    assert "18 of the 20 rock artists are not in" in capsys.readouterr().err
    assert len(songs.ROCK_ARTISTS) == 20


def test_csv_missing_columns_is_one_clear_error(tmp_path):
    path = write(tmp_path / "s.csv", "band,lyrics\nX,la la\n")
    with pytest.raises(UserError, match="no column 'artist' or 'text'.*found: band, lyrics"):
        songs.load_csv(path, "*")


def test_csv_unknown_artist_is_an_error_naming_it(tmp_path):
    path = write(tmp_path / "s.csv", SONGS_CSV)
    with pytest.raises(UserError, match="artist 'Nobody' is not in .*'\\*' for every artist"):
        songs.load_csv(path, ["Queen", "Nobody"])


def test_csv_with_only_empty_texts_is_an_error(tmp_path):
    path = write(tmp_path / "s.csv", "artist,text\nQueen,\nQueen,  \n")
    with pytest.raises(UserError, match="no song with a text.*2 rows have an empty text"):
        songs.load_csv(path, ["Queen"])


def test_csv_round_trip(tmp_path):
    rows = [{"artist": "A", "song": "s", "text": "one\ntwo, \"three\""}]
    songs.write_csv(rows, tmp_path / "out.csv")
    assert songs.load_csv(tmp_path / "out.csv", "*") == rows


# --- the ballads -----------------------------------------------------------------------------

EXCERPT = """\ufeffThe Project Gutenberg EBook of A Made-Up Book

*** START OF THIS PROJECT GUTENBERG EBOOK A MADE-UP BOOK ***

PREFACE

    Some quoted verse in the preface,
      which is not a ballad.

BOOK I


_1. The Miller's Son_


    I

    The miller's son[1] rode [down] to town,
      _With a hey and a ho_;

    II

    He sang a song and he sang it well,
      All on a _summer's_ day.

FOOTNOTES:

[1] son = a made-up note.
    an indented line of the note.

_2. The Second Ballad_

_A Fragment_

The editor tells what happened between the fragments, at the margin.

    Lines of the second ballad,
    all in one stanza.

INDEX OF FIRST LINES

The miller's son rode down to town 1

*** END OF THIS PROJECT GUTENBERG EBOOK A MADE-UP BOOK ***
The licence.
""".replace("\n", "\r\n")


def test_ballad_parser_keeps_the_verse_and_drops_the_apparatus():
    got = songs.parse_ballads(EXCERPT)
    assert [(s["number"], s["song"], s["book"], s["artist"]) for s in got] == [
        (1, "The Miller's Son", "Book I", "Traditional"), (2, "The Second Ballad", "Book I", "Traditional")]
    assert got[0]["text"] == ("The miller's son rode down to town,\nWith a hey and a ho;\n\n"
                              "He sang a song and he sang it well,\nAll on a summer's day.")
    assert got[1]["text"] == "Lines of the second ballad,\nall in one stanza."


def test_ballad_parser_needs_the_gutenberg_markers():
    with pytest.raises(UserError, match="START/END markers"):
        songs.parse_ballads("_1. A ballad_\n\n    a line\n")


@pytest.mark.skipif(not HAVE_BALLADS, reason="the ballads are not under REPRO_DATA")
def test_the_oxford_book_of_ballads_parses_into_176_ballads():
    got, source = songs.load_ballads()
    assert len(got) == 176 and [s["number"] for s in got] == list(range(1, 177))
    assert got[0]["song"] == "Thomas the Rhymer" and got[0]["text"].startswith("True Thomas lay on Huntlie bank;")
    assert got[-1]["song"] == "Bessie Bell and Mary Gray"
    joined = "\n".join(s["text"] for s in got)
    assert "FOOTNOTES" not in joined and "[" not in joined and "_" not in joined
    assert not any(line.strip() in ("I", "II", "XIV") for line in joined.split("\n"))
    assert len(source["sha256"]) == 64


# --- cleaning --------------------------------------------------------------------------------

def test_clean_removes_stars_and_lowercases():
    assert text.clean("*Hello* World") == "hello world"


def test_clean_strips_newlines_at_the_ends_only():
    assert text.clean("\n\nla\n\nla\n\n") == "la\n\nla"


def test_clean_cuts_a_line_repeated_more_than_twice_to_two():
    song = "yeah\nyeah\nyeah\nyeah\nno\nyeah"
    assert text.clean(song) == "yeah\nyeah\nno\nyeah"
    assert text.clean(song, max_repeats=3) == "yeah\nyeah\nyeah\nno\nyeah"
    assert text.clean("a\n\n\n\nb") == "a\n\n\n\nb"  # blank lines are stanza breaks, not repeats


def test_clean_word_transforms_only_when_asked():
    assert text.clean("Singin' in the rain, I cannot stop, he is gone") == \
        "singin' in the rain, i cannot stop, he is gone"
    assert text.clean("Singin' in the rain, I cannot stop, he is gone", transforms=True) == \
        "singing in the rain, i can't stop, he's gone"


def test_clean_drops_quotation_marks_but_keeps_apostrophes():
    assert text.clean("‘O wha’s that at my bower door?’ she said") == " o wha's that at my bower door? she said".strip()


def test_words_make_newline_a_token_and_drop_punctuation():
    assert text.words("hey, you!\n\ni'm here.") == ["hey", "you", "\n", "\n", "i'm", "here"]


# --- tokenizers ------------------------------------------------------------------------------

def test_word_tokenizer_round_trip_and_frequency_order():
    songs_ = ["the cat\nthe dog", "the end"]
    tok = text.Tokenizer("word").fit(songs_)
    assert tok.tokens[0] == "the" and tok.index["the"] == 1 and tok.size == len(tok.tokens) + 1
    for s in songs_:
        assert tok.decode(tok.encode(s)) == s
    again = text.Tokenizer.from_json(tok.to_json())
    assert again == tok and again.encode("the dog") == tok.encode("the dog")


def test_tokenizer_keeps_at_most_num_words_and_maps_the_rest_to_zero():
    tok = text.Tokenizer("word", num_words=2).fit(["a a a b b c"])
    assert tok.tokens == ["a", "b"] and tok.encode("a c b") == [1, 0, 2]
    assert tok.decode([1, 0, 2]) == "a b"


def test_char_tokenizer_round_trip(tmp_path):
    tok = text.Tokenizer("char").fit(["hello world\nla la"])
    assert tok.decode(tok.encode("hello\nworld")) == "hello\nworld"
    tok.save(tmp_path / "t.json")
    assert text.Tokenizer.load(tmp_path / "t.json") == tok


def test_held_out_songs_are_read_with_the_training_songs_tokenizer(tmp_path):
    from lyrics import config, corpus

    songs.write_csv([{"artist": "A", "song": "trained", "text": "la la love\nyou and me"},
                     {"artist": "A", "song": "held out", "text": "la zebra love"}], tmp_path / "s.csv")
    c = corpus.prepare(dataclasses.replace(config.ONE_TINY, corpus=str(tmp_path / "s.csv"), artists=("A",),
                                           held_out=1))
    assert c.stats()["songs"] == 1 and "zebra" not in c.tokenizer.index
    assert c.stats()["held_out"] == {"songs": 1, "tokens": 3, "unknown": 1, "samples": 1}
    x, y = c.windows(held_out=True)  # One: the unknown word is padding before "love", and never a target
    assert c.tokenizer.decode(y) == "love" and x[0, -2:].tolist() == [c.tokenizer.index["la"], text.PAD]
    assert c.text_windows(held_out=True)[0] == ["la zebra"]  # Two: the words as written


def test_sequence_length_is_median_line_times_four_plus_three():
    tok = text.Tokenizer().fit(["a b c\nd e\nf g h i\n\nj k l"])
    lengths = text.line_lengths(["a b c\nd e\nf g h i\n\nj k l"], tok)
    assert lengths == [3, 2, 4, 3] and text.sequence_length(lengths) == 3 * 4 + 3


def test_windows_are_left_padded_and_skip_unknown_targets():
    x, y = text.windows([[5, 6, 0, 7]], 3)
    assert x.tolist() == [[0, 0, 5], [5, 6, 0]] and y.tolist() == [6, 7]
    tok = text.Tokenizer(num_words=3).fit(["a b c a b c d"])
    texts, ty = text.text_windows([["a", "\n", "zz", "b"]], tok, 2)
    ids = [tok.index.get(t, 0) for t in ["a", "\n", "zz", "b"]]
    _, wy = text.windows([ids], 2)
    assert ty.tolist() == wy.tolist()
    assert texts[-1] == "\nzz"  # Gene Lyrica Two reads the words as written, known or not


# --- sampling --------------------------------------------------------------------------------

def test_draw_randomness_zero_is_argmax_and_index_zero_never_comes():
    rng = np.random.default_rng(0)
    p = np.array([0.9, 0.06, 0.04])
    assert sampling.draw(p, 0, rng) == 1
    assert {sampling.draw(p, 1.0, rng) for _ in range(200)} <= {1, 2}


def test_low_randomness_sharpens():
    p = np.array([0.0, 0.6, 0.4])
    hot = [sampling.draw(p, 2.0, np.random.default_rng(i)) for i in range(400)]
    cold = [sampling.draw(p, 0.1, np.random.default_rng(i)) for i in range(400)]
    assert cold.count(1) > 390 and 150 < hot.count(1) < 300


def test_generate_is_reproducible_with_a_seed():
    tok = text.Tokenizer().fit(["hello world\na b c d e f g"])

    def predict(x):
        h = int(np.asarray(x).sum()) % 7
        return np.full((1, tok.size), 1.0 / tok.size) + np.eye(tok.size)[h % tok.size] * 0.01

    ctx = sampling.Context(tok, 4)
    one = sampling.generate(predict, ctx, "hello world", 20, 0.5, 3)
    assert one == sampling.generate(predict, ctx, "hello world", 20, 0.5, 3)
    assert one != sampling.generate(predict, ctx, "hello world", 20, 0.5, 4)
    assert one[0] == "hello world"


# --- measures --------------------------------------------------------------------------------

def test_measures_of_the_posts_lyrics():
    m = blog.measures(blog.POST_LYRICS)
    assert m["words"] == 48 and m["longest_run"] == 9
    assert m["repeat_share"] == pytest.approx(18 / 47)


def test_measures_of_plain_text():
    m = blog.measures("a b c\nd d e")
    assert m == {"words": 6, "repeat_share": 1 / 5, "longest_run": 2, "distinct_ratio": 5 / 6,
                 "words_per_line": 3.0}


def test_measures_keep_repeated_lines():
    m = blog.measures("la di\nla di\nla di\nla di")
    assert m["words"] == 8 and m["words_per_line"] == 2.0


# --- settings --------------------------------------------------------------------------------

def test_the_full_settings_are_the_authors():
    from lyrics import config

    one, two = config.PROFILES["one"]["full"], config.PROFILES["two"]["full"]
    for s in (one, two):
        assert (s.corpus, s.level, s.max_words, s.max_repeats, s.batch_size, s.epochs, s.patience, s.min_delta,
                s.sample_length, s.randomness) == ("ballads", "word", 20_000, 2, 256, 100, 5, 0.001, 100, 0.3)
    assert (one.embedding_dim, one.units, one.dense) == (50, 128, 128)
    assert (two.dense, two.freeze_encoder, two.learning_rate) == (64, False, 1e-3)
    assert set(config.PROFILES["one"]) == set(config.PROFILES["two"]) == {"full", "quick", "tiny"}


def test_every_setting_is_an_option_with_its_docstring_as_help():
    from lyrics import config
    from shared.cli import settings_parser

    for name, cls in config.CLASSES.items():
        parser = settings_parser("p", "d", cls, config.PROFILES[name])
        helps = {a.dest: a.help for a in parser._actions}
        for field in dataclasses.fields(cls):
            assert helps.get(field.name, "").split(" (the post:")[0], field.name
    args = settings_parser("p", "d", config.OneConfig, config.PROFILES["one"]).parse_args(
        ["--units", "7", "--artists", "The Beatles", "Queen", "--no-transforms", "--seq-len", "9"])
    from shared.config import given

    assert given(args, config.OneConfig) == {"units": 7, "artists": ("The Beatles", "Queen"), "transforms": False,
                                       "seq_len": 9}


@pytest.mark.parametrize("changes, message", [
    ({"epochs": 0}, "--epochs must be at least 1"),
    ({"songs": 0}, "--songs must be at least 1"),
    ({"randomness": 2.1}, "--randomness is between 0 and 2"),
    ({"artists": ("Queen",)}, "give --corpus SONGS.csv too"),
    ({"corpus": "/no/such.csv"}, "no such file"),
    ({"embedding": "/no/glove.txt"}, "not word2vec, random or a GloVe file"),
    ({"level": "char"}, "do not apply to characters"),
    ({"songs": 3, "held_out": 3}, "leaves no song to train on"),
])
def test_settings_check_says_what_is_wrong(changes, message):
    from lyrics import config

    with pytest.raises(UserError, match=message):
        dataclasses.replace(config.ONE, **changes).check()


def test_characters_start_from_random_vectors_unless_told_otherwise():
    from lyrics import config

    assert config.with_defaults("one", {"level": "char"}) == {"level": "char", "embedding": "random"}
    assert config.with_defaults("one", {"level": "char", "embedding": "x"})["embedding"] == "x"
    assert config.with_defaults("two", {"level": "char"}) == {"level": "char"}


def test_a_settings_file_path_is_kept_absolute(tmp_path, monkeypatch):
    from lyrics import config

    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.csv").write_text("artist,text\nA,la\n")
    assert config.OneConfig(corpus="s.csv").corpus == str(tmp_path / "s.csv")
    assert config.TwoConfig(encoder="minilm").encoder == "minilm"


# --- word vectors ----------------------------------------------------------------------------

def test_glove_file_rows_and_errors(tmp_path):
    from lyrics import embeddings

    path = write(tmp_path / "g.txt", "the " + " ".join(["0.5"] * 50) + "\nzebra " + " ".join(["1"] * 50) + "\n")
    matrix, info = embeddings.from_glove(path, ["the", "cat"])
    assert matrix.shape == (3, 50) and np.all(matrix[0] == 0) and np.all(matrix[1] == 0.5)
    assert info["words_found"] == 1
    with pytest.raises(UserError, match="a 50-d GloVe file"):
        embeddings.from_glove(write(tmp_path / "bad.txt", "the 1 2 3\n"), ["the"])
    with pytest.raises(UserError, match="has none of the songs' 2 words \\(it is empty\\)"):
        embeddings.from_glove(write(tmp_path / "empty.txt", ""), ["the", "cat"])
    with pytest.raises(UserError, match="has none of the songs' 1 words: give a 50-d GloVe"):
        embeddings.from_glove(path, ["cat"])
    again, _ = embeddings.from_glove(path, ["the", "cat"], seed=0)
    other, _ = embeddings.from_glove(path, ["the", "cat"], seed=1)
    assert np.array_equal(again, matrix) and not np.array_equal(other[2], matrix[2])  # the run's seed draws the rest


def test_skipgram_pairs_window_and_negatives():
    from lyrics import embeddings

    t, c, label = embeddings.skipgram_pairs([[1, 2, 3]], 1, 2, 4, np.random.default_rng(0))
    positives = sorted(zip(t[label == 1].tolist(), c[label == 1].tolist()))
    assert positives == [(1, 2), (2, 1), (2, 3), (3, 2)]
    assert (label == 0).sum() == 8 and set(c[label == 0].tolist()) <= {1, 2, 3}


# --- models ----------------------------------------------------------------------------------

def test_model_one_shapes_and_layers():
    from shared import runtime

    runtime.setup(0)
    from lyrics import models

    m = models.build_one(30, 7, units=4, dense=5)
    assert m.output_shape == (None, 30)
    assert m.predict(np.zeros((2, 7), np.int32), verbose=0).shape == (2, 30)
    assert [type(layer).__name__ for layer in m.layers[1:]] == [
        "Embedding", "Bidirectional", "Bidirectional", "Dense", "Dropout", "Dense"]
    assert m.get_layer("bigru_2").forward_layer.recurrent_dropout == 0.2
    assert type(m.optimizer).__name__ == "RMSprop"


def test_model_two_on_a_tiny_bert_folder(tmp_path):
    from conftest import make_tiny_bert
    from shared import runtime

    runtime.setup(0)
    from lyrics import encoders, models

    enc = encoders.load(str(make_tiny_bert(tmp_path / "bert")), max_tokens=12)
    m = models.build_two(enc, 25)
    x = enc.prepare(["hello world", "the end of the song"])
    assert x["token_ids"].shape == (2, 12) and x["padding_mask"][0].sum() == 4  # [CLS] hello world [SEP]
    assert m.predict(x, verbose=0).shape == (2, 25)
    assert type(m.optimizer).__name__ == "Adam" and m.get_layer("dense").units == 64


def test_encoder_spec_errors(tmp_path):
    from lyrics import encoders

    with pytest.raises(UserError, match="not 'minilm', 'use' or a folder"):
        encoders.resolve(str(tmp_path / "nothing"))
    with pytest.raises(UserError, match="neither config.json"):
        encoders.resolve(str(tmp_path))


def test_a_savedmodel_from_strings_to_vectors_is_an_encoder(tmp_path):
    """The Universal Sentence Encoder's form: a TF SavedModel mapping a batch of strings to vectors."""
    from shared import runtime

    runtime.setup(0)
    import keras

    if keras.backend.backend() != "tensorflow":
        pytest.skip("SavedModel encoders need the TensorFlow backend")
    import tensorflow as tf

    from lyrics import encoders, models

    class Hashing(tf.Module):
        def __init__(self):
            super().__init__()
            self.table = tf.Variable(tf.random.stateless_normal((64, 6), seed=[1, 2]))

        @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
        def __call__(self, texts):
            words = tf.strings.split(texts)
            ids = tf.strings.to_hash_bucket_fast(words, 64)
            return {"outputs": tf.reduce_mean(tf.gather(self.table, ids), axis=1)}

    module = Hashing()
    tf.saved_model.save(module, str(tmp_path / "use"), signatures={"serving_default": module.__call__})
    enc = encoders.load(str(tmp_path / "use"))
    assert enc.kind == "savedmodel" and enc.width == 6
    m = models.build_two(enc, 11)
    probs = m.predict(enc.prepare(["hello world", "a mighty world"]), verbose=0)
    assert probs.shape == (2, 11) and np.allclose(probs.sum(axis=1), 1, atol=1e-5)


_TOKENIZE = """
import json, sys
import numpy as np
from lyrics import corpus, encoders
from lyrics.config import TWO_TINY
enc = encoders.BertEncoder(encoders.minilm_source(), max_tokens=24)
texts, _ = corpus.prepare(TWO_TINY).text_windows()
x = enc.prepare(list(texts[:200]) + ["hello world", "o’er the lea, sae bonnie!\\n fa'in' — é"])
np.savez(sys.argv[1], **x)
print(json.dumps({"tf_text": "tensorflow_text" in sys.modules and sys.modules["tensorflow_text"] is not None}))
"""


def test_without_tensorflow_the_encoder_tokenizes_as_tf_text_does(tmp_path):
    """On a machine without TensorFlow (KERAS_BACKEND=jax), keras_hub tokenizes in Python:
    Gene Lyrica Two's inputs must be the same token ids as with tf-text."""
    import json
    import subprocess
    import sys

    (tmp_path / "no_tf").mkdir()
    (tmp_path / "no_tf" / "sitecustomize.py").write_text(
        "import sys\nsys.modules['tensorflow'] = None\nsys.modules['tensorflow_text'] = None\n")
    repo = Path(__file__).resolve().parent.parent
    outs = {}
    for name, backend, path in (("tf", "tensorflow", [repo]), ("python", "jax", [tmp_path / "no_tf", repo])):
        env = dict(os.environ, KERAS_BACKEND=backend, PYTHONPATH=os.pathsep.join(map(str, path)))
        proc = subprocess.run([sys.executable, "-c", _TOKENIZE, str(tmp_path / f"{name}.npz")], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        outs[name] = (json.loads(proc.stdout.strip().splitlines()[-1]), np.load(tmp_path / f"{name}.npz"))
    assert outs["tf"][0]["tf_text"] and not outs["python"][0]["tf_text"]
    (_, a), (_, b) = outs["tf"], outs["python"]
    assert a["token_ids"].shape == (202, 24) and (a["padding_mask"].sum(1) == 24).sum() > 100
    np.testing.assert_array_equal(a["token_ids"], b["token_ids"])
    np.testing.assert_array_equal(a["padding_mask"], b["padding_mask"])


# --- the kept full run -----------------------------------------------------------------------

KEPT = Path(__file__).resolve().parent.parent / "lyrics" / "docs" / "full"
KEPT_NETWORKS = sorted(path.parent.name for path in KEPT.glob("*/model.weights.h5"))


def test_the_suite_keeps_the_networks_it_says_it_keeps_and_play_opens_the_first_by_default():
    """Gene Lyrica Two's network is kept (Gene Lyrica One's run kept only its outputs); ``play.load()``
    with no run folder opens One's where it is kept, else Two's."""
    from lyrics import play

    assert KEPT_NETWORKS == ["two"]
    assert play.load().run_dir == KEPT / ("one" if "one" in KEPT_NETWORKS else "two")


@pytest.mark.parametrize("experiment", KEPT_NETWORKS)
def test_a_kept_gene_lyrica_wrote_its_runs_last_lyrics(experiment):
    """A Gene Lyrica kept from its full run (every ballad, seed 0; Two with its encoder frozen),
    given the run's random stream for its last epoch, writes the lyrics the run wrote after that
    epoch, word for word, from the tokenizer kept beside it."""
    import json

    from lyrics import play
    from lyrics.layout import SEED_TEXT
    from shared import runtime

    run = KEPT / experiment
    lyricist = play.load(run)
    assert lyricist.experiment == experiment and lyricist.config["profile"] == "full"
    settings = play.settings_of(lyricist.config)
    assert settings.freeze_encoder or experiment == "one"
    assert not (run / "checkpoints").exists()
    epochs = json.loads((run / "trained.json").read_text())["epochs"]
    rng = runtime.rng(lyricist.config["seed"], f"lyrics after epoch {epochs}")
    head, cont = sampling.generate(lyricist.model.predict_on_batch, lyricist.context, SEED_TEXT,
                                   settings.sample_length, settings.randomness, rng)
    written = (run / "samples" / f"epoch-{epochs:03d}.txt").read_text(encoding="utf-8")
    assert sampling.render(head, cont, lyricist.tokenizer.level) + "\n" == written
