"""Beyond the post: how much of its table is the luck of one random start?

The post trained each network once. ``python -m addition seeds --seeds 10`` runs
the whole grid (the post's settings by default) from ten seeds, through the
suite's seed study (:mod:`shared.seeds`): every claim as "agrees in k of n
seeds". Here is what the claims do not show: each network's accuracy in every
seed, and the share of seeds that reach the post's "above 90 %".
"""
import os

import numpy as np

from addition import blog
from addition.config import PROFILES, Config
from shared.figures import plt, save
from shared.report import markdown_table
from shared.seeds import Plan


def run_grid(settings, out, seed, profile, resume):
    """One seed's grid: the post's own experiment, its networks trained side by side, one per core."""
    from addition import experiment

    return experiment.run(settings, out, seed, profile, resume, workers=os.cpu_count() or 1)


def networks(per_seed, study_dir):
    """Each network's test accuracy in every seed, their median and the share above 90 %;
    a figure with one dot per seed; and their table."""
    seeds = sorted(per_seed)
    table = {}
    first = per_seed[seeds[0]]["networks"]
    for name in sorted(first, key=lambda name: (first[name]["nodes"], first[name]["max_sum"])):
        accs = [per_seed[seed]["networks"][name]["accuracy"] for seed in seeds]
        net = first[name]
        table[name] = {"nodes": net["nodes"], "max_sum": net["max_sum"], "accuracies": accs,
                       "median": float(np.median(accs)), "share_above_90": float(np.mean(np.array(accs) > 0.9))}
    figure(table, len(seeds), study_dir / "figures" / "networks.png")
    rows = [[n["nodes"], n["max_sum"], f"{n['median']:.1%}",
             f"{round(n['share_above_90'] * len(seeds))} of {len(seeds)}",
             " ".join(f"{100 * a:.0f}" for a in n["accuracies"])] for n in table.values()]
    text = "\n".join([
        "## Each network over the seeds",
        "",
        markdown_table(["hidden nodes", "max sum", "median accuracy", "seeds above 90 %",
                        f"accuracy per seed {seeds[0]}…{seeds[-1]} (%)"], rows),
        "",
        "A network whose start leaves every output weight positive settles on a plateau (about 15 % "
        "accuracy at max sum 16, MSE ≈ 5) where early stopping's patience of 5 ends it; the ones that "
        "find a negative output weight add correctly.",
        "",
        "![networks](figures/networks.png)",
        "",
    ])
    return table, text


def figure(table, seeds, path):
    nets = list(table.values())
    fig, ax = plt.subplots(figsize=(0.9 * len(nets) + 2, 3.6), layout="constrained")
    for i, net in enumerate(nets):
        accs = np.array(net["accuracies"])
        jitter = np.linspace(-0.15, 0.15, len(accs)) if len(accs) > 1 else np.zeros(1)
        ax.scatter(i + jitter, 100 * accs, s=14)
    ax.axhline(90, color="grey", lw=0.6, ls="--")
    ax.set_xticks(range(len(nets)), [f"{n['nodes']}\nmax {n['max_sum']}" for n in nets], fontsize=7)
    ax.set_xlabel("hidden nodes, max sum")
    ax.set_ylabel("test accuracy (%)")
    ax.set_ylim(-3, 103)
    ax.set_title(f"One dot per random start ({seeds} seeds); dashed: the post's 90 %", fontsize=9)
    return save(fig, path)


PLAN = Plan("addition", "grid", Config, PROFILES, blog.CLAIMS, run_grid, details=networks)
