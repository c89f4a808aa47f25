"""``report.md`` for a run: our table, the post's claims beside ours, the 2 + 2 arithmetic."""
from addition import blog
from addition.blog import SURFACES
from addition.data import net_name
from addition.play import network_text
from shared.report import claims_table, compare, markdown_table, tally_line
from shared.runs import run_name


def write(run_dir, config, settings, results, figures):
    """(the text of report.md, the claim rows) for a run's results and drawn figures."""
    profile = config.get("profile") or config["settings"].get("profile")  # older runs: in the settings
    rows = compare(blog.CLAIMS, results, profile)
    table_rows = []
    for bits in settings.bits:
        for nodes in settings.nodes:
            n = results["networks"][net_name(nodes, bits)]
            table_rows.append([nodes, n["max_sum"], f"{n['accuracy']:.1%}", f"{n['mse']:.4g}",
                               f"{n['mae']:.3g}", n["epochs"], n["best_epoch"],
                               "yes" if n["stopped_early"] else "no"])
    parts = [
        f"# {blog.TITLE}: run {run_name(config)}",
        "",
        f"Profile **{profile}**, seed {config['seed']}, backend {config['backend']}, "
        f"commit {config.get('git_commit')}.",
        f"Settings: {settings.pairs:,} pairs, validation split {settings.validation_split}, "
        f"batch {settings.batch_size}, up to {settings.max_epochs} epochs, early stopping on "
        f"val_loss with patience {settings.patience}, best model by val_loss; evaluated on "
        f"{settings.test_pairs:,} fresh pairs.",
        "",
        "## Accuracy and error (the post's table)",
        "",
        "The post's own table did not survive; its prose gives the anchors checked below.",
        "",
        markdown_table(["hidden nodes", "max sum", "accuracy", "MSE", "MAE", "epochs", "best epoch",
                        "stopped early"], table_rows),
        "",
        "## The post's claims beside ours",
        "",
        f"{tally_line(rows)}.",
        "",
        claims_table(rows),
        "",
        "## What the networks compute for 2 + 2",
        "",
        "```",
        "\n\n".join(network_text(name, item) for name, item in results["two_plus_two"].items()
                    if name.endswith("_s16")),
        "```",
        "",
        "## Figures",
        "",
    ]
    parts += [f"![{p.stem}](figures/{p.name})" for p in figures]
    drawn = {p.name for p in figures}
    missing = [net_name(n, b) for n, b in SURFACES if f"surface_{net_name(n, b)}.png" not in drawn]
    if missing:
        parts += ["", f"Not drawn in this profile (networks not in its grid): "
                      f"surfaces of {', '.join(missing)}."]
    parts += [
        "",
        "## Where we differ from the post, and why",
        "",
        "- The exact numbers of one training run depend on its random start; the post reports a single "
        "run, so its figures are anchors, not targets. Tolerances are in the table.",
        "- Same math as the post (Adam, MSE, batches of 32, the last 20 % as validation, early stopping "
        "with patience 5, best model kept); faster plumbing: one compiled call per epoch, each epoch's "
        "shuffle keyed by its number, networks trained side by side.",
        "- Each max sum's networks share one training set and one test set, so the rows of the table "
        "compare networks, not data draws.",
    ]
    if profile != "full":
        parts.append(f"- This is a **{profile}** run (fewer epochs or networks): the claims read "
                     "\"needs full\". Run `python -m addition --profile full` to test them.")
    return "\n".join(parts) + "\n", rows
