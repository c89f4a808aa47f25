"""Beyond the post: how much of one run is the luck of its random start?

The post trained its network once. ``python -m joyce_lstm seeds --seeds 5`` trains
it from five seeds (the ``quick`` profile by default: about 4 minutes a seed)
through the suite's seed study (:mod:`shared.seeds`): every claim as "agrees in k
of n seeds". Here is what the claims do not show: each seed's final training loss,
its held-out loss (where the settings hold text out) and the real words of its last
sample.
"""
import numpy as np

from joyce_lstm import blog
from joyce_lstm.config import PROFILES, Config
from shared.report import markdown_table
from shared.seeds import Plan


def run_train(settings, out, seed, profile, resume):
    """One seed's run: the post's own experiment, its samples written but not printed."""
    from joyce_lstm import experiment

    return experiment.run(settings, out, seed, profile, resume, echo=False)


def _loss(x):
    return f"{x:.3f}"


def _share(x):
    return f"{100 * x:.0f} %"


def losses(per_seed, study_dir):
    """Each seed's final loss, held-out loss (where there is one) and real words at the last epoch;
    and their table, with the medians."""
    seeds = sorted(per_seed)
    table = {}
    for seed in seeds:
        r = per_seed[seed]
        last = r["sample_measures"][str(len(r["loss"]))][blog.SHOWN_DIVERSITY]
        table[seed] = {"final_loss": r["final_loss"], "real_word_share": last["real_word_share"],
                       **({"held_out_loss": r["val_loss"][-1]} if "val_loss" in r else {})}
    columns = [("final_loss", "final loss", _loss), ("held_out_loss", "held-out loss", _loss),
               ("real_word_share", f"real words, last epoch (diversity {blog.SHOWN_DIVERSITY})", _share)]
    columns = [c for c in columns if c[0] in table[seeds[0]]]
    rows = [[seed, *(fmt(table[seed][key]) for key, _, fmt in columns)] for seed in seeds]
    rows.append(["median", *(fmt(float(np.median([table[s][key] for s in seeds]))) for key, _, fmt in columns)])
    text = "\n".join(["## Each seed's run", "",
                      markdown_table(["seed", *(name for _, name, _ in columns)], rows), ""])
    return {str(seed): figures for seed, figures in table.items()}, text


PLAN = Plan("joyce_lstm", "train", Config, PROFILES, blog.CLAIMS, run_train, default_profile="quick", details=losses)
