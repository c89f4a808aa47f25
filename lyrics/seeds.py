"""Beyond the post: does every random start write "mighty mighty mighty"?

The author trained Gene Lyrica Two once and showed one song. ``python -m lyrics seeds
two --seeds 5`` trains it from five seeds through the suite's seed study
(:mod:`shared.seeds`) and gives each claim as "agrees in k of n seeds";
``python -m lyrics seeds one`` does the same for Gene Lyrica One, the contrast, which
has no claims of its own: its measures below say whether it ever repeats a word.

The default profile is ``quick``: the study the readers run is Two with its encoder
frozen (``--freeze-encoder``), and the quick profile freezes it already (about 3
minutes a seed on 2 cores; it holds 3 ballads out, so each seed's held-out loss comes
too). Two's ``full`` profile trains the encoder along, as the author did: 53 minutes an
epoch here, days a seed. On every ballad with the encoder frozen,
``--profile full --freeze-encoder`` takes about 45 minutes a seed, less after the
first: its encoding of the text windows (about 28 minutes) is done once a study.

Each seed's run is an ordinary run folder, its lyrics written after every epoch but
not printed. Here is what the claims do not show: each seed's final loss (and
held-out loss) and the repetition measures of its lyrics.
"""
from pathlib import Path

from lyrics import blog
from lyrics.config import CLASSES, PROFILES
from lyrics.layout import ENCODED
from shared.report import markdown_table
from shared.seeds import Plan


def runner(experiment):
    """One seed's run of ``experiment``: the post's own ``experiment.run`` (a new run, or
    ``resume``, an interrupted one, finished with its own settings). A frozen encoder's
    sentence vectors are the same in every seed: they are kept in the study's ``encoded/``,
    and the seeds after the first read them."""
    def run(settings, out, seed, profile, resume):
        from shared import runtime

        runtime.setup()  # before Keras loads: keeps TensorFlow's start-up chatter off the terminal
        from lyrics import experiment as lyrics_experiment

        return lyrics_experiment.run(None if resume else settings, out, seed, profile, resume, experiment,
                                     echo=False, vectors=Path(out) / ENCODED)
    return run


def lyrics_cells(m):
    return [blog.pct(m["repeat_share"]), f"{m['longest_run']:.1f}", blog.pct(m["distinct_ratio"])]


def measures(per_seed, study_dir):
    """Each seed's final loss, held-out loss (where songs were held out) and the measures of its
    lyrics, as a table."""
    first = per_seed[min(per_seed)]
    held_out = "val_loss" in first
    table = {seed: {"epochs": r["epochs"], "loss": r["loss"][-1],
                    **({"val_loss": r["val_loss"][-1]} if held_out else {}),
                    **{k: r["ours"][k] for k in ("repeat_share", "longest_run", "distinct_ratio")}}
             for seed, r in sorted(per_seed.items())}
    songs = first["corpus_measures"]
    rows = [[seed, m["epochs"], f"{m['loss']:.3f}", *([f"{m['val_loss']:.3f}"] if held_out else []),
             *lyrics_cells(m)] for seed, m in table.items()]
    rows.append(["the songs", "", "", *([""] if held_out else []), *lyrics_cells(songs)])
    header = ["seed", "epochs", "loss", *(["held-out loss"] if held_out else []), "repeat the word before",
              "longest run", f"distinct (first {blog.DISTINCT_WINDOW})"]
    no_claims = ("" if first.get("claims") else
                 "The post shows no lyrics of this model, so it has no claims above; these measures are the "
                 "contrast to Gene Lyrica Two's. ")
    text = "\n".join([
        "## Each seed's run",
        "",
        markdown_table(header, rows),
        "",
        f"{no_claims}The lyrics' measures are the mean of five lyrics of each seed's run (random seeds 1–5, "
        f"randomness {first['randomness']:g}); the songs': 200 stretches of the training songs, the same in "
        "every seed.",
        "",
    ])
    return {"per_seed": table, "songs": songs}, text


PLANS = {name: Plan("lyrics", name, CLASSES[name], PROFILES[name], blog.CLAIMS[name], runner(name),
                    default_profile="quick", details=measures, scratch=ENCODED)
         for name in ("one", "two")}
