"""One whole run of Gene Lyrica One or Two: the songs, the training, the lyrics, the report.

    from lyrics import config, experiment
    run_dir = experiment.run(config.ONE_QUICK, out="runs", seed=0, profile="quick")
    run_dir = experiment.run(resume=run_dir)          # after an interruption: carries on

Everything a run needs (the songs, a GloVe file, the sentence encoder) is read and
checked before its folder is made; then ``shared.runs`` makes the folder, training
fills it, and :func:`lyrics.report.finish` ends it with results.json.
"""
from pathlib import Path

import numpy as np

from lyrics import embeddings, encoders, report
from lyrics.config import PROFILES, experiment_of
from lyrics.corpus import prepare
from lyrics.models import build
from lyrics.play import load_model, read_tokenizer, settings_of
from lyrics.sampling import Context
from lyrics.train import train
from shared import UserError, distribute, runs, runtime
from shared.config import profile_name
from shared.cli import log

POST = "lyrics"


def initial_embedding(settings, corpus, seed, glove=None):
    """Gene Lyrica One's starting word vectors and what they are: ``glove`` (already read),
    word2vec trained on the songs, or None (Keras' uniform initialisation)."""
    if glove is not None:
        return glove
    if settings.embedding == "random":
        return None, {"source": "random", "note": "Keras' uniform initialisation"}
    return embeddings.word2vec(corpus.encoded(), corpus.tokenizer.size, settings.embedding_dim,
                               epochs=settings.w2v_epochs, seed=seed)


def run(settings=None, out="runs", seed=0, profile=None, resume=None, experiment=None, echo=True, devices=1,
        vectors=None):
    """Train ``settings`` (a :class:`lyrics.config.OneConfig` or ``TwoConfig``) in a new run folder under ``out``,
    or, with ``resume`` (settings None), carry on an interrupted run (of ``experiment``, when given).

    Returns the run folder, complete. ``echo``: print the lyrics written after every epoch;
    ``devices``: each batch is split across that many (:mod:`shared.distribute`). ``vectors``: a
    folder where Two's frozen encoder keeps its sentence vectors for other runs of the same songs
    (a seed study's), instead of the run's own ``encoded/``.
    """
    distribute.prepare(devices)
    if resume is not None:
        if settings is not None:
            raise UserError("a resumed run keeps its own settings: give settings or resume, not both")
        return _resume(resume, experiment, echo, devices, vectors)
    if settings is None:
        raise UserError("give the settings (lyrics.config.OneConfig or TwoConfig), or resume=RUN_DIR")
    settings.check()
    distribute.check_batch(devices, settings.batch_size)
    name = experiment_of(settings)
    corpus = prepare(settings)
    glove = None
    if name == "one" and settings.embedding not in ("word2vec", "random"):
        glove = embeddings.from_glove(settings.embedding, corpus.tokenizer.tokens, settings.embedding_dim, seed)
    runtime.setup(seed)
    with distribute.scope(devices):  # the encoder's weights live on every device, as the model's will
        encoder = encoders.for_settings(settings) if name == "two" else None
    embedding, embedding_info = initial_embedding(settings, corpus, seed, glove) if name == "one" else (None, None)
    stats = corpus.stats()
    extra = {"corpus": stats, "corpus_source": corpus.source}
    if name == "one":
        extra["embedding"] = embedding_info
    else:
        extra["encoder"] = encoder.describe()
    runtime.seed_everything(seed)
    with distribute.scope(devices):
        model = build(settings, corpus.tokenizer.size, corpus.seq_len, encoder, embedding)
    extra["model_parameters"] = int(model.count_params())
    profile = profile or profile_name(PROFILES[name], settings)
    new = runs.start(POST, name, settings, seed, out, profile, extra)
    with new:
        corpus.tokenizer.save(new.path / "tokenizer.json")
        (new.path / "checkpoints").mkdir()
        corpus.tokenizer.save(new.path / "checkpoints" / "tokenizer.json")  # travels with the weights
        if embedding is not None:
            with runs.atomic_path(new.path / "embedding_init.npy") as tmp:
                np.save(tmp, embedding)
        log(f"{stats['songs']} songs, {stats['tokens']:,} tokens, vocabulary {stats['vocabulary']:,}, "
            f"input length {stats['sequence_length']} (median line {stats['median_line_length']:g} × 4 + 3), "
            f"{stats['samples']:,} samples; at most {settings.epochs} epochs")
        return _train_and_finish(new, settings, corpus, encoder, embedding, echo, devices, vectors)


def _resume(run_dir, experiment, echo, devices=1, vectors=None):
    found = runs.resume(run_dir, POST, experiment)
    if found is None:  # already complete
        return Path(run_dir)
    settings = settings_of(found.config)
    distribute.check_batch(devices, settings.batch_size)
    corpus = prepare(settings, read_tokenizer(found.path))
    if corpus.stats() != found.config["corpus"]:
        raise UserError(f"the songs are not the ones {found.path} was trained on (their tokens differ)")
    with distribute.scope(devices):
        encoder = encoders.for_settings(settings) if found.config["experiment"] == "two" else None
    embedding = None
    if found.config["experiment"] == "one" and settings.embedding != "random":
        try:
            embedding = np.load(found.path / "embedding_init.npy")
        except (OSError, ValueError) as exc:
            raise runs.damaged(found.path, "embedding_init.npy", f"cannot be read ({type(exc).__name__})") from None
    with found:
        return _train_and_finish(found, settings, corpus, encoder, embedding, echo, devices, vectors)


def _train_and_finish(run, settings, corpus, encoder, embedding, echo, devices=1, vectors=None):
    distribute.record(run, devices)
    with distribute.scope(devices):  # the model is built and trained on every device
        summary = train(settings, run.path, corpus, encoder, embedding, run.seed, echo, devices, vectors)
    model, encoder = load_model(run.path, run.config)
    report.finish(run, corpus, model, Context(corpus.tokenizer, corpus.seq_len, encoder),
                  summary.get("seconds_this_session"))
    return run.path
