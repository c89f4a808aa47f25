"""The end of a run: its lyrics, their measures beside the post's, the figures, report.md and results.json.

:func:`finish` ends a run being written (``shared.runs.Run``); :func:`redraw` writes a
finished run's end again (``python -m lyrics report``); :func:`summary` is the line
the training command prints.
"""
import time

from lyrics import blog, figures, sampling
from lyrics.corpus import prepare
from lyrics.layout import SEED_TEXT
from lyrics.play import load, read_tokenizer, settings_of
from shared import UserError, runs
from shared import report as rep
from shared.cli import log
from shared.runs import profile_of, update_timings
from shared.training import read_history

POST = "lyrics"

SAMPLE_SEEDS = (1, 2, 3, 4, 5)
NAMES = {"one": "Gene Lyrica One", "two": "Gene Lyrica Two"}


def write_samples(model, context, settings):
    """"hello world" continued with random seeds 1..5 at the run's randomness, and at 0 (argmax)."""
    out = []
    for seed in SAMPLE_SEEDS + (0,):
        randomness = settings["randomness"] if seed else 0.0
        head, cont = sampling.generate(model.predict_on_batch, context, SEED_TEXT, settings["sample_length"],
                                       randomness, seed)
        lyrics = sampling.render(head, cont, context.tokenizer.level)
        out.append({"random_seed": seed, "randomness": randomness, "lyrics": lyrics,
                    "measures": blog.measures(lyrics)})
    return out


def collect(run_dir, config, corpus, samples):
    history = read_history(run_dir / "history.csv")
    drawn = [s for s in samples if s["randomness"] > 0]
    # The held-out songs' loss and accuracy, where there are some (Keras' CSVLogger writes NA where not).
    held_out = {key: [float(r[key]) for r in history] for key in ("val_loss", "val_accuracy")
                if history and history[0].get(key, "NA") != "NA"}
    return {
        "corpus": config["corpus"],
        "epochs": len(history),
        "loss": [float(r["loss"]) for r in history],
        "accuracy": [float(r["accuracy"]) for r in history],
        **held_out,
        "samples": samples,
        "ours": blog.mean_measures([s["measures"] for s in drawn]),
        "argmax": samples[-1]["measures"],
        "post": blog.measures(blog.POST_LYRICS),
        "corpus_measures": blog.corpus_measures(corpus.token_lists, config["settings"]["sample_length"]),
    }


def measure_rows(results):
    rows = []
    for label, m in (("the post (Gene Lyrica Two)", results["post"]),
                     (f"ours, randomness {results['randomness']} (mean of {len(SAMPLE_SEEDS)})", results["ours"]),
                     ("ours, randomness 0 (argmax)", results["argmax"]),
                     (f"the training songs ({results['sample_tokens']}-token stretches)", results["corpus_measures"])):
        rows.append([label, f"{m['words']:.0f}", blog.pct(m["repeat_share"]), f"{m['longest_run']:.1f}",
                     blog.pct(m["distinct_ratio"]), f"{m['words_per_line']:.1f}"])
    return rows


def songs_of(n):
    return "song" if n == 1 else f"{n} songs"


def differences(config):
    """Where this run's settings are not the author's, each with its reason."""
    s, out = config["settings"], []
    if s["corpus"] == "ballads":
        out.append("Songs: The Oxford Book of Ballads (public domain), not the author's 20 rock artists from "
                   "Kaggle's songdata, which are copyrighted (give that CSV with --corpus).")
    if s.get("songs") or s["epochs"] < 100:
        out.append(f"Size: {s.get('songs') or 'all the'} songs, at most {s['epochs']} epochs ({profile_of(config)} "
                   "profile); the author trained on every song for up to 100 epochs.")
    if config["experiment"] == "one":
        source = config["embedding"]["source"]
        if source != "glove":
            out.append(f"Embedding: started from {source}, not GloVe 6B 50-d, which is not on this machine "
                       "(give the file with --embedding).")
    else:
        enc = config["encoder"]
        if "Universal Sentence Encoder" not in enc.get("name", ""):
            out.append(f"Encoder: {enc.get('name', enc['preset'])}, not the Universal Sentence Encoder v4, which "
                       "needs a TF-Hub download (--encoder use where the internet is at hand).")
        if not enc["trainable"]:
            out.append("The encoder is frozen (each window encoded once); the author trained it along.")
    if s["level"] == "char":
        out.append("Tokens are characters (--level char); the post's models read words.")
    if s.get("held_out"):
        out.append(f"Held out: the last {songs_of(s['held_out'])} of those chosen, never trained on, only "
                   "measured; the author trained on every song.")
    return out


def held_out_text(config, results):
    """What the held-out loss measures, and what it came to; empty for a run that trained on every song."""
    if "val_loss" not in results:
        return ""
    held, val = config["corpus"]["held_out"], results["val_loss"]
    best = min(range(len(val)), key=val.__getitem__)
    songs = songs_of(held["songs"])
    reads = ("Gene Lyrica One reads them as padding (skipped)" if config["experiment"] == "one"
             else "the sentence encoder reads them as written")
    return f"""
The held-out loss (`val_loss`, dashed) is the same loss on the windows of the last {songs},
which the model never trains on: how well it guesses the next word of a song it has not seen.
The tokenizer is the training songs': {held['unknown']:,} of the held-out {held['tokens']:,} tokens
are outside its vocabulary; in a window {reads}, and they are never a target, which leaves
{held['samples']:,} windows. The training loss is the mean over an epoch's batches while the weights
change (with dropout, where the model has some); the held-out loss is measured after the epoch.
Early stopping still watches the training loss, as the author's did. Held-out loss
{val[0]:.3f} → {val[-1]:.3f}, lowest {val[best]:.3f} after epoch {best + 1}.
"""


def report_text(config, results, rows, timings):
    """report.md: the run, the songs, the training, the lyrics, the measures, the claims, the differences."""
    s, c = config["settings"], config["corpus"]
    name = NAMES[config["experiment"]]
    if config["experiment"] == "one":
        emb = config["embedding"]
        model = (f"Embedding({c['vocabulary'] + 1}, {s['embedding_dim']}; initialised from "
                 f"**{emb['source']}**) → Bidirectional GRU({s['units']}) × 2 → Dense({s['dense']}, relu) "
                 f"→ Dropout(0.3) → softmax; RMSprop")
    else:
        enc = config["encoder"]
        model = (f"text → sentence encoder **{enc.get('name', enc['preset'])}** ({enc['kind']}, {enc['width']}-d, "
                 f"{'trained' if enc['trainable'] else 'frozen'}, {enc['pooling']}) → Dense({s['dense']}, relu) "
                 f"→ softmax; Adam")
    per_epoch = timings.get("seconds_per_epoch")
    corpus_rows = [["songs", c["songs"]], ["tokens (newlines included)", f"{c['tokens']:,}"],
                   ["distinct tokens / vocabulary kept", f"{c['distinct_tokens']:,} / {c['vocabulary']:,}"],
                   ["median line length", f"{c['median_line_length']:g} {'characters' if s['level'] == 'char' else 'words'}"],
                   ["input length (median × 4 + 3)", c["sequence_length"]],
                   ["training samples (one per token after a song's first)", f"{c['samples']:,}"]]
    samples = "\n\n".join(f"**random seed {x['random_seed']}, randomness {x['randomness']:g}**\n\n```\n"
                          f"{x['lyrics']}\n```" for x in results["samples"][:2] + results["samples"][-1:])
    claims = (rep.claims_table(rows) if rows else
              "The post shows lyrics of Gene Lyrica Two only; Gene Lyrica One's measures stand beside them "
              "above for comparison.")
    text = f"""# {name}: run report

Profile **{profile_of(config)}**, seed {config['seed']}, backend {config['backend']}; corpus
**{config['corpus_source'].get('name', s['corpus'])}**, {s['level']} level.
Model: {model}; {config['model_parameters']:,} parameters; batch {s['batch_size']}.
Trained {results['epochs']} of at most {s['epochs']} epochs (early stopping on the loss, patience
{s['patience']}, min_delta {s['min_delta']}): loss {results['loss'][0]:.3f} → {results['loss'][-1]:.3f},
accuracy {100 * results['accuracy'][0]:.1f} % → {100 * results['accuracy'][-1]:.1f} %.{f" {per_epoch:.0f} s per epoch on this machine." if per_epoch else ""}
{("Claims: " + rep.tally_line(rows) + ".") if rows else ""}

## The songs

{rep.markdown_table(["", ""], corpus_rows)}

![line lengths](figures/line_lengths.png)

## Training

![loss and accuracy](figures/curves.png)
{held_out_text(config, results)}
## Lyrics: "{SEED_TEXT}", {s['sample_length']} tokens

{samples}

All {len(results['samples'])} are in `results.json`; `samples/` has one per epoch.

## Repetition, measured

{rep.markdown_table(["", "words", "repeat the word before", "longest run", "distinct (first 50)", "words per line"], measure_rows(results))}

![repetition](figures/repetition.png)

## Claims

{claims}

## Where this run differs from the post

{chr(10).join("- " + d for d in differences(config)) or "Nowhere: the author's settings and data."}
"""
    return text


def finish(run, corpus, model, context, train_seconds=None):
    """Sample, measure, draw, compare; ``run.finish`` writes results.json last (a run is complete
    when it exists). Returns the results and the claims' rows."""
    run_dir, config = run.path, run.config
    started = time.perf_counter()
    settings = config["settings"]
    samples = write_samples(model, context, settings)
    results = collect(run_dir, config, corpus, samples)
    results["randomness"] = settings["randomness"]
    results["sample_tokens"] = settings["sample_length"]
    figs = run_dir / "figures"
    unit = "characters" if settings["level"] == "char" else "words"
    figures.line_lengths(corpus.lengths, corpus.seq_len, figs / "line_lengths.png",
                         f"Line lengths of the training songs ({len(corpus.lengths):,} lines)", unit)
    name = NAMES[config["experiment"]]
    figures.curves(results["loss"], results["accuracy"], figs / "curves.png",
                   f"{name}, {profile_of(config)} profile", results.get("val_loss"), results.get("val_accuracy"))
    figures.repetition([("the post", results["post"]), (f"ours ({settings['randomness']:g})", results["ours"]),
                        ("ours (argmax)", results["argmax"]), ("the songs", results["corpus_measures"])],
                       figs / "repetition.png", f"{name}: how repetitive are the lyrics?")
    rows = rep.compare(blog.CLAIMS[config["experiment"]], results, config.get("profile"))
    timings = update_timings(run_dir, started, train_seconds)
    results = run.finish(results, rows, report_text(config, results, rows, timings), timings)
    log(f"report: {run_dir / 'report.md'}")
    return results, rows


def redraw(run_dir):
    """A finished run's lyrics, figures, report and results written again (with its own weights)."""
    lyricist = load(run_dir)
    corpus = prepare(settings_of(lyricist.config), read_tokenizer(lyricist.run_dir))
    if corpus.stats() != lyricist.config["corpus"]:
        raise UserError(f"the songs are not the ones {lyricist.run_dir} was trained on (their tokens differ)")
    with runs.Run(lyricist.run_dir, lyricist.config, redrawn=True) as run:
        finish(run, corpus, lyricist.model, lyricist.context)
    return lyricist.run_dir / "report.md"


def summary(run_dir):
    """One line on a finished run: epochs, final loss and accuracy, the claims' tally, the report."""
    path, _, results = runs.load(run_dir, POST)
    rows = list(results.get("claims", {}).values())
    return (f"{path}: {results['epochs']} epochs, loss {results['loss'][-1]:.3f}, accuracy "
            f"{100 * results['accuracy'][-1]:.1f} %"
            + (f", held-out loss {results['val_loss'][-1]:.3f}" if "val_loss" in results else "")
            + (f"; claims: {rep.tally_line(rows)}" if rows else "")
            + f"; report {path / 'report.md'}")
