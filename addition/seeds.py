"""Beyond the post: how much of its table is the luck of one random start?

The post trained each network once. ``python -m addition seeds`` trains the
same networks (the post's settings, max sum 16 by default) from several seeds
and reports, per network, the share of seeds that reach the post's "above 90 %".
Each seed is a complete grid in ``seed<k>/`` inside the run folder, so an
interrupted study resumes like any run.
"""
import time

import numpy as np

from addition.analysis import predict
from addition.data import accuracy, data_seed, make_pairs, max_sum, net_name
from addition.models import load
from addition.train import train
from shared.cli import log
from shared.figures import plt, save
from shared.report import markdown_table


def study(run_dir, settings, first_seed, workers=None):
    """Train the grid once per seed, from ``first_seed`` on; return the seconds it took."""
    start = time.perf_counter()
    for k in range(settings.seeds):
        seed = first_seed + k
        log(f"seed {seed} ({k + 1} of {settings.seeds})")
        train(settings, run_dir / f"seed{seed}", seed, workers)
    return time.perf_counter() - start


def measure(run_dir, settings, first_seed):
    """Each network's test accuracy from every seed, their median and the share above 90 %."""
    seeds = list(range(first_seed, first_seed + settings.seeds))
    table = {}
    for bits in settings.bits:
        for nodes in settings.nodes:
            accs = []
            for seed in seeds:
                x, y = make_pairs(settings.test_pairs, bits, data_seed(seed, bits, "test"))
                accs.append(accuracy(predict(load(run_dir / f"seed{seed}", nodes, bits), x), y))
            table[net_name(nodes, bits)] = {
                "nodes": nodes, "max_sum": max_sum(bits), "accuracies": accs,
                "median": float(np.median(accs)), "share_above_90": float(np.mean(np.array(accs) > 0.9)),
            }
    return {"seeds": seeds, "networks": table}


def figure(results, path):
    nets = list(results["networks"].values())
    fig, ax = plt.subplots(figsize=(1.3 * len(nets) + 2, 3.6), layout="constrained")
    for i, net in enumerate(nets):
        accs = np.array(net["accuracies"])
        jitter = np.linspace(-0.15, 0.15, len(accs)) if len(accs) > 1 else np.zeros(1)
        ax.scatter(i + jitter, 100 * accs, s=18)
    ax.axhline(90, color="grey", lw=0.6, ls="--")
    ax.set_xticks(range(len(nets)), [f"{n['nodes']} nodes\nmax {n['max_sum']}" for n in nets])
    ax.set_ylabel("test accuracy (%)")
    ax.set_ylim(-3, 103)
    ax.set_title(f"One dot per random start ({len(results['seeds'])} seeds); dashed: the post's 90 %",
                 fontsize=9)
    return save(fig, path)


def report(run_dir, config, settings, results, figure_path):
    """The text of the study's report.md."""
    rows = [[n["nodes"], n["max_sum"], f"{n['median']:.1%}", f"{n['share_above_90']:.0%}",
             " ".join(f"{100 * a:.0f}" for a in n["accuracies"])] for n in results["networks"].values()]
    profile = config.get("profile") or config["settings"].get("profile")  # older runs: in the settings
    return "\n".join([
        f"# Seed study: run {run_dir.name}",
        "",
        f"Profile **{profile}** settings ({settings.pairs:,} pairs, up to {settings.max_epochs} epochs, "
        f"patience {settings.patience}), seeds {results['seeds'][0]} to {results['seeds'][-1]}; each seed "
        "draws its own data and its own initial weights.",
        "",
        markdown_table(["hidden nodes", "max sum", "median accuracy", "seeds above 90 %",
                        "accuracy per seed (%)"], rows),
        "",
        "The post reports one run per network and says networks with 2 or more hidden nodes get "
        "above 90 % at max sum 16. A network whose start leaves every output weight positive settles "
        "on a plateau (about 15 % accuracy, MSE ≈ 5) where early stopping's patience of 5 ends it; "
        "the ones that find a negative output weight add correctly.",
        "",
        f"![seeds](figures/{figure_path.name})",
        "",
    ])

