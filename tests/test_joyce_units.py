"""joyce_lstm's parts: the corpus preparation, the one-hot windows, sampling, the 9-line network."""
import numpy as np
import pytest

import argparse
import dataclasses

from joyce_lstm import blog, corpus, nine_lines, pipeline, positions, sampling
from joyce_lstm.config import FULL, PROFILES, QUICK, TINY, Config
from joyce_lstm.models import parameter_count
from shared import UserError
from shared.config import add_options, given, resolve
from shared.data import strip_gutenberg

GUTENBERG = ("\ufeff\nThe Project Gutenberg EBook of Tests, by Nobody\n\nTitle: Tests\n\n"
             "*** START OF THIS PROJECT GUTENBERG EBOOK TESTS ***\n\n\n\n"
             "Produced by Somebody Else\n\n\n\n"
             "CHAPTER I\n\nStately, plump   \n  Buck Mulligan.\n\nHe said.\n\n\n\n"
             "End of the Project Gutenberg EBook of Tests, by Nobody\n\n"
             "*** END OF THIS PROJECT GUTENBERG EBOOK TESTS ***\n\n"
             "***** This file should be named 1-0.txt *****\nLicence text.\n")


def post_preprocessing(text):
    """The post's script, line for line."""
    whole_line_list = text.splitlines(keepends=True)
    line_list = []
    for line in whole_line_list:
        if not line == "\n":
            line_list.append(line.strip())
        else:
            line_list.append("\n\n")
    return " ".join(line_list)


def test_gutenberg_apparatus_is_stripped():
    body = strip_gutenberg(GUTENBERG)
    assert body.startswith("CHAPTER I") and body.rstrip().endswith("He said.")
    for gone in ("\ufeff", "Project Gutenberg", "Produced by", "Licence", "Title:"):
        assert gone not in body


def test_newer_gutenberg_markers_and_crlf_are_understood():
    newer = GUTENBERG.replace("THIS PROJECT", "THE PROJECT").replace("\n", "\r\n")
    assert strip_gutenberg(newer) == strip_gutenberg(GUTENBERG)


@pytest.mark.parametrize("text", ["", "just some text\nwith no markers\n",
                                  "*** END OF THIS PROJECT GUTENBERG EBOOK X ***\n*** START OF THIS PROJECT GUTENBERG EBOOK X ***\n"])
def test_text_without_gutenberg_markers_is_refused(text):
    with pytest.raises(UserError, match="no Project Gutenberg START/END markers"):
        strip_gutenberg(text)


def test_preparation_is_the_posts():
    text = "Stately, plump   \n  Buck Mulligan\n\ncame from\n\n\nthe stairhead.\n"
    assert corpus.prepare(text) == post_preprocessing(text)
    assert corpus.prepare(text) == "Stately, plump Buck Mulligan \n\n came from \n\n \n\n the stairhead."


def test_vocabulary_names_unknown_characters():
    vocab = corpus.Vocabulary.of("abc abc.")
    assert vocab.chars == " .abc" and len(vocab) == 5
    np.testing.assert_array_equal(vocab.encode("cab."), [4, 2, 3, 1])
    assert vocab.decode([4, 2, 3, 1]) == "cab."
    with pytest.raises(UserError, match=r"never saw: 'X', '€'"):
        vocab.encode("abXc€X")
    assert corpus.Vocabulary.from_json(vocab.to_json()) == vocab


def test_sequence_count_is_the_posts_loop():
    for length in (0, 100, 101, 102, 103, 104, 1000):
        assert corpus.n_sequences(length, 100, 3) == len(range(0, length - 100, 3))


def test_sentence_lengths():
    text = "Yes. No! Why? —O, the women in the front row \n\n A “quoted one.” Done"
    assert corpus.sentence_lengths(text).tolist() == [4, 3, 4, 30, 14, 4]


def windows_in_order(encoded, batch_size):
    data = pipeline.OneHotWindows(encoded, 10, 3, 7, batch_size, shuffle=False)
    xs, ys = zip(*(data[i] for i in range(len(data))))
    return np.concatenate(xs), np.concatenate(ys)


def test_streamed_batches_equal_the_materialised_arrays():
    encoded = np.random.default_rng(0).integers(0, 7, 200).astype(np.int32)
    x, y = pipeline.materialise(encoded, 10, 3, 7)
    assert x.shape == (len(range(0, 190, 3)), 10, 7) and x.dtype == bool
    for batch_size in (1, 16, 128):
        xs, ys = windows_in_order(encoded, batch_size)
        np.testing.assert_array_equal(xs, x.astype("float32"))
        np.testing.assert_array_equal(ys, y.astype("float32"))


def test_shuffled_epochs_cover_every_window_and_repeat_by_epoch():
    encoded = np.random.default_rng(1).integers(0, 7, 300).astype(np.int32)
    x, _ = pipeline.materialise(encoded, 10, 3, 7)
    data = pipeline.OneHotWindows(encoded, 10, 3, 7, 16, seed=5)
    first = np.concatenate([data[i][0] for i in range(len(data))])
    assert sorted(map(bytes, first.astype(bool))) == sorted(map(bytes, x))
    assert not np.array_equal(first, x)
    data.on_epoch_end()
    second = np.concatenate([data[i][0] for i in range(len(data))])
    assert not np.array_equal(first, second)
    data.set_epoch(0)
    np.testing.assert_array_equal(np.concatenate([data[i][0] for i in range(len(data))]), first)


def test_diversity_reweights_the_distribution():
    p = np.array([0.6, 0.3, 0.1])
    np.testing.assert_allclose(sampling.reweight(p, 1.0), p)
    cold, hot = sampling.reweight(p, 0.2), sampling.reweight(p, 1.2)
    assert cold[0] > 0.95 and hot[0] < p[0] and hot[2] > p[2]
    np.testing.assert_allclose(sampling.reweight(p, 0.5), p ** 2 / (p ** 2).sum())
    with pytest.raises(ValueError):
        sampling.reweight(p, 0)


def test_draws_follow_the_reweighted_distribution():
    p = np.array([0.5, 0.25, 0.15, 0.1])
    rng = np.random.default_rng(0)
    counts = np.bincount([sampling.sample_index(p, 0.5, rng) for _ in range(20000)], minlength=4)
    np.testing.assert_allclose(counts / 20000, sampling.reweight(p, 0.5), atol=0.01)


def test_nine_lines_print_the_posted_number():
    prediction, _ = nine_lines.numpy_network()
    assert str(prediction) == "[0.99993704]"


def test_parameter_counts():
    assert parameter_count(117) == 141_045  # the post's network
    assert parameter_count(117, layers=3) == 141_045 + 2 * 4 * (128 * 256 + 128)


def test_sample_measures():
    lexicon = {"the", "man", "said", "he"}
    m = blog.measure("The man said. He sarred the ma", lexicon)
    assert m["words"] == 6 and m["real_word_share"] == pytest.approx(5 / 6)
    assert m["sentence_ends"] == 1
    assert blog.measure("xx yy", lexicon)["real_word_share"] == 0.0


def test_the_held_out_story_is_cut_from_its_first_line_to_its_last():
    _, first, last = corpus.HELD_OUT["the-dead"]
    story = f"{first}, was literally run off her feet ... {last}"
    rest, held = corpus.hold_out(f"CLAY ... the end. {story} Trieste", "the-dead")
    assert (rest, held) == ("CLAY ... the end.  Trieste", story)
    with pytest.raises(UserError, match="the corpus has no 'the-dead'"):
        corpus.hold_out(f"CLAY ... {first} but not its last line", "the-dead")


def test_the_measured_windows_are_drawn_once_and_read_in_order():
    encoded = np.random.default_rng(2).integers(0, 7, 300).astype(np.int32)
    starts = pipeline.window_starts(300, 10, 3)
    drawn = pipeline.subsample(starts, 20, seed=4)
    assert drawn.size == 20 and np.all(np.diff(drawn) > 0) and set(drawn) <= set(starts)
    np.testing.assert_array_equal(drawn, pipeline.subsample(starts, 20, seed=4))
    assert pipeline.subsample(starts, None) is starts and pipeline.subsample(starts, 10_000) is starts
    data = pipeline.FixedWindows(encoded, drawn, 10, 7, 8)
    x, y = (np.concatenate(a) for a in zip(*(data[i] for i in range(len(data)))))
    ids, target = pipeline.id_batch(encoded, drawn, 10, 7)
    np.testing.assert_array_equal(x, np.eye(7, dtype="float32")[ids])
    np.testing.assert_array_equal(y, target)


def test_a_network_that_memorised_its_windows_is_only_good_at_shift_0():
    maxlen, step, n = 10, 3, 7
    encoded = np.random.default_rng(5).integers(0, n, 400).astype(np.int32)
    seen = {tuple(encoded[s:s + maxlen]): encoded[s + maxlen] for s in pipeline.window_starts(400, maxlen, step)}

    def memoriser(ids):  # sure of every training window's next character, uniform elsewhere
        p = np.full((len(ids), n), 1 / n)
        for row, window in zip(p, map(tuple, ids)):
            if window in seen:
                row[:] = np.eye(n)[seen[window]]
        return p

    assert set(positions.shift_starts(400, maxlen, step, 1) + maxlen).isdisjoint(
        pipeline.window_starts(400, maxlen, step) + maxlen)  # shifted, no next character was a target
    losses, counts = positions.shift_losses(memoriser, encoded, maxlen, step, n)
    assert counts == {"windows": 130, "measured": 130}
    assert losses[0] == pytest.approx(-np.log(1 - positions.EPSILON))
    assert losses[1] == pytest.approx(np.log(n)) and losses[2] == pytest.approx(np.log(n))
    some, counts = positions.shift_losses(memoriser, encoded, maxlen, step, n, limit=40)
    assert counts["measured"] == 40 and some[1] == pytest.approx(np.log(n))
    assert positions.shift_losses(lambda ids: np.full((len(ids), n), 1 / n), encoded, maxlen, step, n,
                                  limit=40)[0] == pytest.approx({0: np.log(n), 1: np.log(n), 2: np.log(n)})


def test_claims_no_seed_can_change_say_so():
    assert {c.key for c in blog.CLAIMS if not c.seeded} == {
        "corpus_length", "chars", "sequences", "below_125", "below_100", "nine_lines"}


def test_the_full_profile_is_the_posts_script():
    assert PROFILES == {"full": FULL, "quick": QUICK, "tiny": TINY}
    assert (FULL.books, FULL.text_chars, FULL.maxlen, FULL.step, FULL.units, FULL.layers) == (
        ("ulysses", "dubliners"), None, 100, 3, 128, 1)
    assert (FULL.batch_size, FULL.epochs, FULL.sample_length, FULL.diversities, FULL.pipeline) == (
        128, 60, 400, (0.2, 0.5, 1.0, 1.2), "streaming")
    assert (QUICK.text_chars, QUICK.epochs, TINY.units, TINY.epochs) == (240_000, 5, 16, 2)
    assert (FULL.held_out, QUICK.held_out, TINY.held_out) == (None, "the-dead", None)
    for profile in PROFILES.values():
        profile.check()
    assert FULL.books == tuple(corpus.SOURCES)  # every book the settings accept can be fetched


def test_every_setting_is_an_option_with_its_docstring():
    parser = add_options(argparse.ArgumentParser(), Config)
    helps = {a.dest: a.help for a in parser._actions}
    for f in dataclasses.fields(Config):
        assert f.name in helps and "(the post:" in helps[f.name], f.name
    args = parser.parse_args(["--text-chars", "5000", "--diversities", "0.5", "1.5", "--pipeline", "original"])
    assert given(args, Config) == {"text_chars": 5000, "diversities": (0.5, 1.5), "pipeline": "original"}
    settings = resolve(PROFILES, "tiny", given(args, Config))
    assert (settings.text_chars, settings.diversities, settings.units) == (5000, (0.5, 1.5), 16)


@pytest.mark.parametrize("change,message", [
    ({"layers": 9}, "--layers must be between 1 and 8"),
    ({"epochs": 0}, "--epochs must be at least 1"),
    ({"batch_size": 0}, "--batch-size must be at least 1"),
    ({"text_chars": 101}, "--text-chars must be at least 102"),
    ({"books": ("ulysses", "ulysses")}, "--books takes each of ulysses, dubliners at most once"),
    ({"books": ("finnegans",)}, "--books takes each of ulysses, dubliners at most once"),
    ({"diversities": (0.5, 0.0)}, "--diversities must all be above 0"),
    ({"books": ("ulysses",), "held_out": "the-dead"}, "--held-out the-dead is a story of Dubliners"),
])
def test_settings_that_cannot_work_are_one_line(change, message):
    with pytest.raises(UserError, match=message):
        dataclasses.replace(TINY, **change).check()


def test_one_continuation_at_a_time_is_the_batched_loop():
    vocab = corpus.Vocabulary.of("abcde ")
    table = np.random.default_rng(3).dirichlet(np.ones(len(vocab)), size=len(vocab))

    def predict(ids):  # the next character's distribution depends on the last one
        return table[ids[:, -1]]

    (batched,) = sampling.generate(predict, vocab, ["abc"], [0.7], 50, 4, np.random.default_rng(9))
    steps = sampling.continuation(predict, vocab, "abc", 0.7, 4, np.random.default_rng(9))
    one_by_one = [next(steps) for _ in range(50)]
    assert all(len(c) == 1 for c in one_by_one) and "".join(one_by_one) == batched
    two = sampling.generate(predict, vocab, ["abc", "abc"], [0.7, 0.7], 50, 4, np.random.default_rng(9))
    assert len(two) == 2 and all(len(t) == 50 for t in two)
