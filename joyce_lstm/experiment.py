"""The whole experiment: read the books, train the post's LSTM, sample, measure, report.

    from joyce_lstm import experiment
    from joyce_lstm.config import TINY
    run_dir = experiment.run(TINY, out="runs", seed=0)

A run folder is made only once the books have been read; ``resume=RUN_DIR``
carries an interrupted run on from its last finished epoch.
"""
from pathlib import Path

from joyce_lstm import corpus, models
from joyce_lstm.config import PROFILES, Config
from joyce_lstm.layout import EXPERIMENT, POST
from shared import UserError, distribute, runs
from shared.cli import log
from shared.config import from_dict, profile_name
from shared.data import data_home


def run(settings, out="runs", seed=0, profile=None, resume=None, echo=True, devices=1):
    """Train a new run of ``settings`` (a :class:`Config`; ``profile`` names it) under ``out``,
    or finish the interrupted run ``resume`` (``settings`` is then its own); return the run
    folder. ``echo`` prints every epoch's samples, as the post's script does; ``devices``:
    each batch is split across that many (:mod:`shared.distribute`)."""
    distribute.prepare(devices)
    if resume is not None:
        run = runs.resume(resume, POST, EXPERIMENT)
        if run is None:  # already complete
            return Path(resume)
        settings = from_dict(Config, run.settings)
        check_devices(settings, devices)
        text, held, vocab, _ = corpus.training_text(settings)
        saved = corpus.Vocabulary.from_json(runs.read_run_json(run.path, "vocabulary.json"))
        if saved != vocab:
            raise UserError(f"the corpus under {data_home()} is not the one {run.path} was trained on")
    else:
        settings.check()
        check_devices(settings, devices)
        profile = profile or profile_name(PROFILES, settings)
        text, held, vocab, sources = corpus.training_text(settings)  # before any folder is made
        windows = corpus.n_sequences(len(text), settings.maxlen, settings.step)
        extra = {"corpus_sources": sources,
                 "training_text": {"chars": len(text), "sequences": windows},
                 **({"held_out_text": held_out_figures(held, settings)} if held else {}),
                 "model": {"parameters": models.parameter_count(len(vocab), settings.units, settings.layers),
                           "units": settings.units, "layers": settings.layers, "n_chars": len(vocab)}}
        run = runs.start(POST, EXPERIMENT, settings, seed, out, profile, extra)
    # Keras is imported once runs.start()/resume() has set it up (quiet, deterministic)
    # and the books have been read: a mistake is reported at once.
    from joyce_lstm.report import finish
    from joyce_lstm.train import train

    with run:
        distribute.record(run, devices)
        if not run.resumed:
            runs.write_json(run.path / "vocabulary.json", vocab.to_json())
            (run.path / "checkpoints").mkdir()
            runs.write_json(run.path / "checkpoints" / "vocabulary.json", vocab.to_json())  # travels with them
            log(f"training on {len(text):,} characters ({run.config['training_text']['sequences']:,} "
                f"windows), {settings.epochs} epochs; {len(vocab)} characters")
        with distribute.scope(devices):  # the model is built and trained on every device
            summary = train(settings, run.path, run.seed, vocab, text, echo=echo, devices=devices, held_out=held)
        finish(run, summary["seconds"])
    return run.path


def held_out_figures(held, settings):
    """What config.json says of the held-out text: its part, its length, the windows its loss is taken on."""
    windows = corpus.n_sequences(len(held), settings.maxlen, settings.step)
    return {"part": settings.held_out, "chars": len(held), "sequences": windows,
            "measured": min(windows, corpus.HELD_OUT_WINDOWS)}


def check_devices(settings, devices):
    """A batch must split evenly; the post's materialised arrays are kept for one device."""
    distribute.check_batch(devices, settings.batch_size)
    if devices > 1 and settings.pipeline == "original":
        raise UserError("--pipeline original (the post's arrays, for comparison) trains on one device: "
                        "give --pipeline streaming with --devices")
