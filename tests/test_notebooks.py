"""Each post's walkthrough notebook: generated from its literate source, and it runs.

The source is ``<post>/walkthrough*.py`` (jupytext's percent format); the committed
``.ipynb`` is made from it by ``make notebooks`` and holds no outputs. Each notebook
is executed here at ``REPRO_PROFILE=tiny`` in a real Jupyter kernel. A model or a
step that a walkthrough writes out in its own cells is checked against the package's,
which the run commands use: the lesson cannot drift from the code that made the figures.
"""
from pathlib import Path

import jupytext
import nbclient
import nbformat
import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = sorted(REPO.glob("*/walkthrough*.py"))
IDS = [str(p.relative_to(REPO)) for p in SOURCES]


def cells(notebook):
    return [(c.cell_type, c.source) for c in notebook.cells]


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_notebook_is_its_source_without_outputs(source):
    committed = source.with_suffix(".ipynb")
    assert committed.is_file(), f"{committed.name} is missing: run `make notebooks`"
    notebook = nbformat.read(committed, as_version=4)
    assert cells(notebook) == cells(jupytext.read(source)), \
        f"{committed.name} differs from {source.name}: run `make notebooks`"
    assert not any(c.get("outputs") or c.get("execution_count") for c in notebook.cells
                   if c.cell_type == "code"), f"{committed.name} holds outputs: run `make notebooks`"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_notebook_runs_at_the_tiny_profile_and_shows_figures(source, tmp_path, monkeypatch):
    monkeypatch.setenv("REPRO_PROFILE", "tiny")
    monkeypatch.setenv("REPRO_RUNS", str(tmp_path / "runs"))
    notebook = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=900, kernel_name="python3",
                                     resources={"metadata": {"path": str(source.parent)}})
    client.execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the notebook shows no figure"


# The models (and steps) a walkthrough writes out in its own cells, beside the package's that the
# run commands use: (source, the notebook's function, the package's, the arguments to compare them on).
INLINE_MODELS = [
    ("addition/walkthrough.py", "build_adder", "addition.models:build", [(1,), (2,), (16,)]),
    ("mnist_adversarial/walkthrough.py", "build", "mnist_adversarial.models:build",
     [("mlp100", 0.1, 5.0, 2000), ("mlp30", 0.5, 1.0, 100)]),
    ("dcgan/walkthrough.py", "tutorial_generator", "dcgan.models:tutorial_generator", [(8, 1), (16, 3)]),
    ("dcgan/walkthrough.py", "tutorial_discriminator", "dcgan.models:tutorial_discriminator", [(8, 1), (16, 3)]),
    ("dcgan/walkthrough.py", "author_generator", "dcgan.models:author_generator", [(16, 3), (32, 1)]),
    ("dcgan/walkthrough.py", "author_discriminator", "dcgan.models:author_discriminator", [(16, 3), (32, 1)]),
    ("joyce_lstm/walkthrough.py", "build_model", "joyce_lstm.models:build", [(117, 16, 1), (30, 8, 2), (12, 4, 3)]),
    ("lyrics/walkthrough.py", "build_one", "lyrics.models:build_one",
     [(30, 7), (30, 7, None, 6, 4, 5), (12, 5, np.arange(36, dtype="float32").reshape(12, 3), 3, 2, 2)]),
]


def notebook_function(source, name):
    """The walkthrough cell that defines ``name``, executed alone (with the usual imports): the function."""
    found = [c.source for c in jupytext.read(REPO / source).cells
             if c.cell_type == "code" and (f"def {name}(" in c.source or f"class {name}(" in c.source)]
    assert len(found) == 1, f"{source}: {len(found)} cells define {name}"
    namespace = {}
    exec(compile("import keras\nimport numpy as np\nfrom keras import layers, ops\n" + found[0], source, "exec"),
         namespace)
    return namespace[name]


def package_function(spec):
    import importlib

    module, name = spec.split(":")
    return getattr(importlib.import_module(module), name)


def layer_configs(model):
    return [(type(layer).__name__, layer.get_config()) for layer in model.layers]


def same_models(ours, theirs, cases):
    """Same layers, same configs, same parameter count, and the same initial weights for the same seed."""
    import keras

    for args in cases:
        keras.backend.clear_session()  # layer names count up within a session (Bidirectional's inner GRUs)
        keras.utils.set_random_seed(0)
        a = ours(*args)
        keras.backend.clear_session()
        keras.utils.set_random_seed(0)
        b = theirs(*args)
        assert layer_configs(a) == layer_configs(b), f"{ours.__name__}{args} and {theirs.__name__}{args} differ"
        assert a.count_params() == b.count_params()
        for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
            np.testing.assert_array_equal(wa, wb)


@pytest.mark.parametrize("source, name, spec, cases", INLINE_MODELS, ids=[f"{s}:{n}" for s, n, *_ in INLINE_MODELS])
def test_a_model_written_in_a_walkthrough_is_the_packages(source, name, spec, cases):
    from shared import runtime

    runtime.setup()
    same_models(notebook_function(source, name), package_function(spec), cases)


def test_the_mnist_walkthroughs_pixel_descent_is_the_packages():
    """The notebook's ``descend`` gives the package's images, step for step, for the same seed and network."""
    from shared import runtime

    runtime.setup()
    import keras

    keras.utils.set_random_seed(0)
    model = package_function("mnist_adversarial.models:build")("mlp30", n_train=100)
    ours = notebook_function("mnist_adversarial/walkthrough.py", "descend")
    theirs = package_function("mnist_adversarial.descent:descend")
    a = ours(model, [0, 1, 7], 4, 0.1, np.random.default_rng(3))
    b = theirs(model, [0, 1, 7], 4, 0.1, np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, np.random.default_rng(3).random((3, 784), dtype="float32"))  # it moved


def test_the_mnist_walkthroughs_genetic_run_is_the_packages():
    """``kinda_genetic_digit`` is one run of ``genetic.evolve``: the same image, cost and generations
    for the same seed, whether it runs to its cap, with the mutation rate capped, or stops at ``tol``."""
    from mnist_adversarial import genetic

    w = np.random.default_rng(0).normal(size=(784, 10)).astype("float32") / 28

    def score(x):  # a small fixed "network"
        return (1 / (1 + np.exp(-(x @ w)))).astype("float32")

    histogram = np.random.default_rng(1).dirichlet(np.ones(10))
    ours = notebook_function("mnist_adversarial/walkthrough.py", "kinda_genetic_digit")
    for digit, max_iter, tol, factor in [(2, 6, 1e-4, 1.0), (7, 5, 1e-4, 30.0), (3, 40, 4.0, 1.0)]:
        p = genetic.GAParameters(n_total=20, n_selected=5, max_iter=max_iter, tol=tol, mutate_factor=factor)
        image, cost, generations = ours(score, digit, histogram, np.random.default_rng(5),
                                        p.n_total, p.n_selected, p.max_iter, p.tol, p.mutate_factor)
        found = genetic.evolve(score, [digit], genetic.cumulative(histogram)[None], p, np.random.default_rng(5))
        np.testing.assert_array_equal(image, found["images"][0])
        assert cost == found["costs"][0] and generations == found["generations"][0]


LYRICS = "lyrics/walkthrough.py"
SONGS = ["the king sits in dunfermline town\ndrinking the blude-red wine\nand the king he sat",
         "o wha is this has done this deed\nthis ill deed done to me\nto send me out this time"]


def test_the_lyrics_walkthroughs_gene_lyrica_two_is_the_packages(tmp_path):
    from conftest import make_tiny_bert
    from shared import runtime

    runtime.setup()
    from lyrics import encoders

    encoder = encoders.load(str(make_tiny_bert(tmp_path / "bert")), max_tokens=12, trainable=False)
    same_models(notebook_function(LYRICS, "build_two"), package_function("lyrics.models:build_two"),
                [(encoder, 25), (encoder, 9, 4)])


def test_the_lyrics_walkthroughs_sample_draws_as_the_packages_draw():
    sample, draw = notebook_function(LYRICS, "sample"), package_function("lyrics.sampling:draw")
    probs = np.random.default_rng(3).dirichlet(np.full(40, 0.3), size=20)
    for randomness in (0, 0.1, 0.3, 1.0, 1.7):
        a, b = np.random.default_rng(7), np.random.default_rng(7)
        assert [sample(p, randomness, a) for p in probs] == [draw(p, randomness, b) for p in probs]


@pytest.mark.parametrize("experiment", ["one", "two"])
def test_the_lyrics_walkthroughs_generation_loop_writes_the_packages_lyrics(experiment, tmp_path):
    """The notebook's ``write_lyrics`` (feed the window, draw, slide) gives the package's lyrics."""
    from conftest import make_tiny_bert
    from shared import runtime

    runtime.setup()
    import keras

    from lyrics import encoders, sampling, text
    from lyrics.models import build_one, build_two

    tokenizer = text.Tokenizer().fit([text.clean(s) for s in SONGS])
    encoder = None
    keras.utils.set_random_seed(0)
    if experiment == "one":
        model = build_one(tokenizer.size, 6, None, 4, 3, 5)
    else:
        encoder = encoders.load(str(make_tiny_bert(tmp_path / "bert")), max_tokens=12, trainable=False)
        model = build_two(encoder, tokenizer.size, 4)
    write_lyrics = notebook_function(LYRICS, "write_lyrics")
    write_lyrics.__globals__.update(sample=notebook_function(LYRICS, "sample"), text=text)  # the notebook's cells
    for seed_text in ("hello world", "the king sits in dunfermline town\ndrinking the"):
        for randomness in (0, 0.3, 1.0):
            ours = write_lyrics(model, tokenizer, 6, seed_text, 12, randomness, np.random.default_rng(4), encoder)
            theirs = sampling.render(*sampling.generate(model.predict_on_batch,
                                                        sampling.Context(tokenizer, 6, encoder), seed_text, 12,
                                                        randomness, np.random.default_rng(4)))
            assert ours == theirs


def test_the_dcgan_walkthroughs_train_step_is_the_packages():
    """Two steps of the walkthrough's DCGAN (its losses and ``train_step``) and of ``gan.DCGAN``, from the
    same networks and batches: the same logs and the same weights after, for both networks of the post."""
    from shared import runtime

    runtime.setup()
    import keras

    from dcgan import gan, models

    if keras.backend.backend() != "tensorflow":
        pytest.skip("the walkthrough's train_step uses TensorFlow's tapes")
    source = "dcgan/walkthrough.py"
    walkthrough_gan = notebook_function(source, "DCGAN")
    losses = notebook_function(source, "discriminator_loss").__globals__  # the cell of bce and both losses
    walkthrough_gan.train_step.__globals__.update({k: losses[k] for k in ("bce", "discriminator_loss",
                                                                          "generator_loss")})
    images = np.random.default_rng(1).integers(0, 256, (24, 16, 16, 3), dtype=np.uint8)
    batches = gan.GANBatches(images, None, 12, seed=0)
    for network in ("author", "tutorial"):
        out = []
        for make in (walkthrough_gan, gan.DCGAN):
            keras.backend.clear_session()
            keras.utils.set_random_seed(0)
            g, d = models.build(network, 16, 3)
            model = make(g, d, real_label=0.9)
            model.compile(g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                          d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
            logs = [{k: float(v) for k, v in model.train_step(batches[i]).items()} for i in range(2)]
            out.append((logs, g.get_weights() + d.get_weights()))
        (ours, w_ours), (theirs, w_theirs) = out
        assert ours == theirs, (network, ours, theirs)
        for wa, wb in zip(w_ours, w_theirs, strict=True):
            np.testing.assert_allclose(wa, wb, rtol=1e-6, atol=1e-7)


def test_the_joyce_walkthroughs_sample_is_the_packages():
    """The post's ``sample`` (in the notebook) and ``sampling.sample_index`` draw the same characters from
    the same generator at every diversity, probabilities of exactly 0 included."""
    sample = notebook_function("joyce_lstm/walkthrough.py", "sample")
    sample_index = package_function("joyce_lstm.sampling:sample_index")
    rng = np.random.default_rng(0)
    for _ in range(50):
        preds = rng.dirichlet(np.full(117, 0.3)).astype("float32")
        preds[rng.integers(0, 117, 3)] = 0.0
        preds /= preds.sum()
        for diversity in (0.2, 0.5, 1.0, 1.2):
            ours, theirs = np.random.default_rng(7), np.random.default_rng(7)
            assert [int(sample(preds, diversity, ours)) for _ in range(20)] == \
                   [sample_index(preds, diversity, theirs) for _ in range(20)]


def test_the_joyce_walkthroughs_writing_loop_is_the_packages():
    """The post's inner loop (``write_on`` with the notebook's ``sample``) writes what ``sampling.generate``
    writes for one seed at one diversity, seeds longer and shorter than the window."""
    from shared import runtime

    runtime.setup()
    import keras

    from joyce_lstm import corpus, models, sampling

    write_on = notebook_function("joyce_lstm/walkthrough.py", "write_on")
    write_on.__globals__["sample"] = notebook_function("joyce_lstm/walkthrough.py", "sample")  # the cell before
    chars = "\n !,.?NSabcdefghijklmnopqrstuvwxyz’—"
    vocab = corpus.Vocabulary(chars)
    keras.utils.set_random_seed(0)
    model = models.build(len(chars), units=8)
    for seed_text, diversity in [("No, she couldn’t say. She waved", 0.5), ("no trouble", 1.2), ("she", 0.2)]:
        ours = write_on(model, seed_text, diversity, 30, chars, 12, np.random.default_rng(3))
        (theirs,) = sampling.generate(models.predictor(model), vocab, [seed_text], [diversity], 30, 12,
                                      np.random.default_rng(3))
        assert ours == theirs


LESSONS = ["addition/walkthrough.py", "dcgan/walkthrough.py", "joyce_lstm/walkthrough.py", "lyrics/walkthrough.py",
           "mnist_adversarial/walkthrough.py"]


@pytest.mark.parametrize("source", LESSONS)
def test_a_walkthrough_trains_with_fit_in_its_own_cells_before_the_one_command_run(source):
    import re

    code = [c.source for c in jupytext.read(REPO / source).cells if c.cell_type == "code"]
    fits = [i for i, cell in enumerate(code) if re.search(r"\.fit\(", cell)]
    runs = [i for i, cell in enumerate(code) if re.search(r"experiment\.run", cell)]
    assert fits and runs and max(fits) < runs[0], f"{source}: fit in cells {fits}, experiment.run first in {runs[:1]}"
    assert any(name == source for name, *_ in INLINE_MODELS), f"{source} writes no model of its own"
    assert len(code[0].strip().splitlines()) <= 3 and "shared.notebook" in code[0]  # the two-line set-up
