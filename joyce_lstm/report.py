"""A finished run's results, figures and report: the blog's numbers beside ours."""
import time
from pathlib import Path

from joyce_lstm import blog, corpus, figures, nine_lines
from joyce_lstm.layout import samples_path
from shared import report as rep
from shared.cli import log
from shared.runs import read_json, update_timings, write_json, write_text
from shared.training import read_history


def key_epochs(epochs):
    return sorted({e for e in (*blog.POST_EPOCHS, epochs) if e <= epochs})


def collect(run_dir, config, full_text, lengths):
    """results.json's content: measured figures only."""
    settings = config["settings"]
    epochs = settings["epochs"]
    lexicon = blog.corpus_words(full_text)
    rows = read_history(str(run_dir / "history.csv"))
    results = {
        "corpus": corpus.describe(full_text, 100, 3, lengths),
        "training_text": config["training_text"],
        "model": config["model"],
        "loss": [float(r["loss"]) for r in rows][:epochs],
        "samples": {}, "sample_measures": {},
        "blog_measures": blog.blog_measures(lexicon),
        "nine_lines": {"numpy": str(nine_lines.numpy_network()[0]), "posted": nine_lines.POSTED},
    }
    shown = key_epochs(epochs)
    for e in range(1, epochs + 1):
        s = read_json(samples_path(run_dir, e))
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
        share = f"{100 * m['real_word_share']:.0f} %" + (f" / {100 * b['real_word_share']:.0f} %" if b else "")
        rows.append([str(e), f"{results['loss'][e - 1]:.3f}", share, theirs + ("…" if e in blog.POST_SAMPLES else ""),
                     ours])
    return rep.markdown_table(["epoch", "our loss", "real words (ours / post)", "the post's sample",
                               f"ours (diversity {blog.SHOWN_DIVERSITY})"], rows)


def write_report(run_dir, config, results, rows, timings):
    s = results["corpus"]
    settings = config["settings"]
    tt = results["training_text"]
    per_epoch = timings.get("seconds_per_epoch")
    text = f"""# Synthetic Modernist Literature with an LSTM: run report

Profile **{settings['profile']}**, seed {config['seed']}, backend {config['backend']}:
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

## The post's seed, continued

Seed: "{blog.POST_SEED}"

{side_by_side(results)}

Every epoch's samples (a random window and the post's seed, at diversities
{", ".join(map(str, settings["diversities"]))}) are in `samples/epoch_NN.txt`.

![real words](figures/word_share.png)

## Claims

{rep.claims_table(rows)}
"""
    write_text(run_dir / "report.md", text)


def finish(run_dir, config, train_seconds=None):
    """Measure, draw, compare; results.json is written last (a run is complete when it exists)."""
    run_dir = Path(run_dir)
    started = time.perf_counter()
    full_text, _ = corpus.load()
    lengths = corpus.sentence_lengths(full_text)
    results = collect(run_dir, config, full_text, lengths)
    figs = run_dir / "figures"
    figures.sentence_lengths(lengths, figs / "sentence_lengths.png", results["corpus"])
    figures.loss(results["loss"], figs / "loss.png",
                 f"Loss per epoch: {config['settings']['layers']} × LSTM({config['settings']['units']}), "
                 f"{config['settings']['profile']} profile")
    figures.word_share(results["sample_measures"], results["blog_measures"], figs / "word_share.png")
    rows = rep.compare(blog.CLAIMS, results, config["settings"]["profile"])
    results["claims"] = {r["key"]: {"ours": r["ours"], "verdict": r["verdict"]} for r in rows}
    timings = update_timings(run_dir, started, train_seconds, keep_epochs=True)
    write_report(run_dir, config, results, rows, timings)
    write_json(run_dir / "results.json", results)
    log(f"report: {run_dir / 'report.md'}")
    return results, rows
