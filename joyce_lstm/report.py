"""A run's results, figures and report: the blog's numbers beside ours.

:func:`finish` ends a run (results.json, the figures, report.md); :func:`redraw`
does it again for a finished run; :func:`summary` and :func:`corpus_summary` are
the lines the command line prints.
"""
import time

from joyce_lstm import blog, corpus, figures, nine_lines
from joyce_lstm.layout import EXPERIMENT, POST, samples_path
from shared import report as rep
from shared import runs, runtime
from shared.cli import log


def key_epochs(epochs):
    return sorted({e for e in (*blog.POST_EPOCHS, epochs) if e <= epochs})


def collect(run_dir, config, full_text, lengths):
    """results.json's content: measured figures only."""
    from shared.training import read_history  # imports Keras: only once runtime.setup() has quieted it

    epochs = config["settings"]["epochs"]
    lexicon = blog.corpus_words(full_text)
    rows = read_history(str(run_dir / "history.csv"))
    if len(rows) < epochs:
        raise runs.damaged(run_dir, "history.csv", f"has {len(rows)} of the {epochs} epochs")
    results = {
        "corpus": corpus.describe(full_text, 100, 3, lengths),
        "training_text": config["training_text"],
        "model": config["model"],
        "loss": [float(r["loss"]) for r in rows][:epochs],
        **({"val_loss": [float(r["val_loss"]) for r in rows][:epochs]} if "held_out_text" in config else {}),
        "samples": {}, "sample_measures": {},
        "blog_measures": blog.blog_measures(lexicon),
        "nine_lines": {"numpy": str(nine_lines.numpy_network()[0]), "posted": nine_lines.POSTED},
    }
    shown = key_epochs(epochs)
    for e in range(1, epochs + 1):
        s = runs.read_run_json(run_dir, samples_path(run_dir, e).relative_to(run_dir))
        results["sample_measures"][str(e)] = {d: blog.measure(t, lexicon) for d, t in s["post"].items()}
        if e in shown:
            results["samples"][str(e)] = s["post"]
    results["final_loss"] = results["loss"][-1] if results["loss"] else None
    return results


def side_by_side(results):
    rows = []
    for e in key_epochs(len(results["loss"])):
        ours = results["samples"][str(e)][blog.SHOWN_DIVERSITY]
        theirs = blog.POST_SAMPLES.get(e, "—")
        m = results["sample_measures"][str(e)][blog.SHOWN_DIVERSITY]
        b = results["blog_measures"].get(str(e))
        share = f"{100 * m['real_word_share']:.0f} %" + (f" / {100 * b['real_word_share']:.0f} %" if b else " / —")
        rows.append([str(e), f"{results['loss'][e - 1]:.3f}", share, theirs + ("…" if e in blog.POST_SAMPLES else ""),
                     ours])
    return rep.markdown_table(["epoch", "our loss", "real words (ours / post)", "the post's sample",
                               f"ours (diversity {blog.SHOWN_DIVERSITY})"], rows)


def held_out_name(config):
    """What the run held out ("“The Dead”, Dubliners' last story"), or None."""
    held = config.get("held_out_text")
    return corpus.HELD_OUT[held["part"]][0] if held else None


def held_out_text(config, results):
    """The report's paragraph on the held-out loss, when the run kept text back."""
    held = config.get("held_out_text")
    if held is None:
        return ""
    loss, val = results["loss"], results["val_loss"]
    return f"""
**Held out**: {held_out_name(config)} ({held['chars']:,} characters), which this run
never reads. After every epoch its loss on the same {held['measured']:,} of its windows (chosen once,
the same in every run) is Keras' `val_loss`, the second line of the figure: how well the network
predicts Joyce it has not read. The training loss is taken on the text it is fitted to, so the gap
between the two lines is what it has memorised rather than learnt, and the difference between the
texts. After epoch {len(loss)}: {val[-1]:.3f} held out, {loss[-1]:.3f} in training (an epoch's mean
over its batches, as the weights move).
"""


def report_text(config, results, rows, timings):
    """report.md: the run, the corpus, the loss, the post's seed continued, the claims."""
    s = results["corpus"]
    settings = config["settings"]
    tt = results["training_text"]
    per_epoch = timings.get("seconds_per_epoch")
    return f"""# Synthetic Modernist Literature with an LSTM: run report

Profile **{config.get('profile')}**, seed {config['seed']}, backend {config['backend']}:
{settings['layers']} × LSTM({settings['units']}) → Dense({s['chars']}) → softmax,
{results['model']['parameters']:,} parameters; trained on {tt['chars']:,} characters
({tt['sequences']:,} windows), batch {settings['batch_size']}, {settings['epochs']} epochs,
{settings['pipeline']} input pipeline.{f" {per_epoch:.0f} s per epoch on this machine (samples included)." if per_epoch else ""}
Claims: {rep.tally_line(rows)}.

## The corpus

{rep.markdown_table(["", "the post", "ours"], blog.corpus_rows(s))}

![sentence lengths](figures/sentence_lengths.png)

## Training

![loss per epoch](figures/loss.png)
{held_out_text(config, results)}
## The post's seed, continued

Seed: "{blog.POST_SEED}"

{side_by_side(results)}

Every epoch's samples (a random window and the post's seed, at diversities
{", ".join(map(str, settings["diversities"]))}) are in `samples/epoch_NN.txt`.

![real words](figures/word_share.png)

## Claims

{rep.claims_table(rows)}
"""


def finish(run, train_seconds=None):
    """Measure, draw, compare, and finish the :class:`shared.runs.Run` ``run``
    (results.json last: a run is complete when it exists). Returns (results, claim rows)."""
    started = time.perf_counter()
    run_dir, config = run.path, run.config
    full_text, _ = corpus.load()  # the whole corpus's figures, whatever slice the run trained on
    lengths = corpus.sentence_lengths(full_text)
    results = collect(run_dir, config, full_text, lengths)
    settings, figs = config["settings"], run_dir / "figures"
    figures.sentence_lengths(lengths, figs / "sentence_lengths.png", results["corpus"])
    figures.loss(results["loss"], figs / "loss.png",
                 f"Loss per epoch: {settings['layers']} × LSTM({settings['units']}), "
                 f"{config.get('profile')} profile", results.get("val_loss"), held_out_name(config))
    figures.word_share(results["sample_measures"], results["blog_measures"], figs / "word_share.png")
    rows = rep.compare(blog.CLAIMS, results, config.get("profile"))
    timings = runs.update_timings(run_dir, started, train_seconds, keep_epochs=True)
    results = run.finish(results, rows, report_text(config, results, rows, timings), timings)
    log(f"report: {run_dir / 'report.md'}")
    return results, rows


def redraw(run_dir):
    """Measure, draw and write a finished run's report again; return its report.md."""
    path, config, _ = runs.load(run_dir, POST, EXPERIMENT)
    runtime.setup()
    with runs.Run(path, config, redrawn=True) as run:
        finish(run)
    return path / "report.md"


def summary(run_dir):
    """One line on a finished run: its final loss, the claims' tally, where its report is."""
    path, _, results = runs.load(run_dir, POST, EXPERIMENT)
    tally = rep.tally_line(results["claims"].values())
    held = f", held out {results['val_loss'][-1]:.4f}" if "val_loss" in results else ""
    return (f"{path}: final loss {results['final_loss']:.4f}{held}; claims: {tally}; "
            f"report {path / 'report.md'}")


def corpus_summary():
    """The corpus's figures beside the post's, its characters, and where each book came from."""
    text, sources = corpus.load()
    lines = [rep.markdown_table(["", "the post", "ours"], blog.corpus_rows(corpus.describe(text, 100, 3))),
             f"characters: {''.join(corpus.Vocabulary.of(text).chars)!r}"]
    for name, s in sources.items():
        lines.append(f"{name}: {s['path']}"
                     + ("" if s["edition_as_measured"] else " (another edition than the one measured here)"))
    return "\n".join(lines)
