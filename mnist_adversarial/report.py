"""Each experiment's work, figures and report section; ``finish`` writes the run's files."""
from pathlib import Path

import numpy as np

from mnist_adversarial import blog
from mnist_adversarial import figures as figs
from shared import runs
from shared.report import claims_table, compare, markdown_table, tally_line


def _models(networks_dir, names=("mlp100", "mlp30", "cnn")):
    from mnist_adversarial.networks import load_model

    return {n: load_model(networks_dir, n) for n in names}


def _stats(data):
    from mnist_adversarial.stats import digit_stats

    (xtr, ytr), _ = data
    return digit_stats(xtr, ytr)


def _class_means(data):
    (xtr, ytr), _ = data
    return [xtr[ytr == d].mean(0) for d in range(10)]


def _pct(x):
    return f"{100 * x:.2f} %"


def networks(run_dir, settings, seed, _nets, _data):
    from mnist_adversarial import networks as nets

    results, timings = nets.run(run_dir, settings, seed)
    rows = [[n, r["params"], r["epochs"], _pct(r["test_accuracy"])] for n, r in results.items()]
    body = markdown_table(["network", "weights", "epochs", "test accuracy"], rows)
    paths = []
    from shared.figures import plt, save

    fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
    for n in results:
        h = np.genfromtxt(Path(run_dir) / "nets" / n / "history.csv", delimiter=",", names=True)
        ax.plot(np.arange(1, h.size + 1), 100 * np.atleast_1d(h["val_categorical_accuracy"]), label=n)
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation accuracy (%)")
    ax.legend()
    paths.append(save(fig, Path(run_dir) / "figures" / "validation_accuracy.png"))
    return results, paths, body


def pca(run_dir, settings, seed, _nets, data):
    from mnist_adversarial import pca as pc

    (xtr, ytr), test = data
    n = settings.get("pca_train")
    results, arrays = pc.run(((xtr[:n], ytr[:n]), test))
    paths = pc.figures(arrays, results, Path(run_dir) / "figures")
    rows = [[k, _pct(v), _pct(results["explained_variance"][k])]
            for k, v in results["accuracy_by_components"].items()]
    body = (f"Method: {results['method']}. {results['components_for_90_percent']} components explain "
            "90 % of the variance.\n\n" + markdown_table(["components", "test accuracy", "variance explained"],
                                                         rows))
    return results, paths, body


def descent(run_dir, settings, seed, nets, _data):
    from mnist_adversarial import descent as gd

    models = _models(nets, settings["ga_networks"])
    results, images = gd.run(models, settings, np.random.default_rng(seed))
    paths = []
    for name, imgs in images.items():
        conf = results[name]["confidence"]
        paths.append(figs.grid(imgs, [f"'{d}': {100 * c:.1f} %" for d, c in zip(settings["digits"], conf)],
                               Path(run_dir) / "figures" / f"descent_{name}.png",
                               suptitle=f"Gradient descent on the pixels, {name} "
                                        f"(title: the network's output for that digit)"))
    rows = [[name] + [f"{100 * c:.1f}" for c in r["confidence"]] for name, r in results.items()]
    body = markdown_table(["network"] + [f"'{d}' %" for d in settings["digits"]], rows)
    return results, paths, body


def genetic(run_dir, settings, seed, nets, data):
    from mnist_adversarial.experiments import run_genetic

    models = _models(nets, settings["ga_networks"])
    results, images = run_genetic(models, _stats(data), settings, np.random.default_rng(seed))
    np.savez_compressed(Path(run_dir) / "ga_images.npz", **images)
    paths = []
    for name, imgs in images.items():
        r = results[name]
        titles = [f"'{d}': {100 * c:.3f} %\n{g} gen." for d, c, g in
                  zip(r["digits"], r["confidence"], r["generations"])]
        paths.append(figs.grid(imgs, titles, Path(run_dir) / "figures" / f"genetic_{name}.png",
                               suptitle=f"The genetic-ish algorithm against {name}, drawn as 1 − pixel"))
    rows = [[name, d, f"{100 * r['confidence'][i]:.4f}", r["generations"][i], r["first_9999"][i],
             "yes" if r["converged"][i] else "no", f"{r['mutate_factor'][i]:g}"]
            for name, r in results.items() for i, d in enumerate(r["digits"])]
    body = ("One run per digit with the post's settings (population 100, best 10 kept, "
            f"mutate_factor 1, stop at cost < {settings['ga_tol']:g} or {settings['ga_max_iter']} "
            "generations); a digit left below 99.99 % runs again with the post's mutate_factor knob "
            f"at {settings.get('ga_retry_mutate_factor')} (and cost < 1e-4).\n\n"
            + markdown_table(["network", "digit", "confidence %", "generations (to stop)",
                              "first generation ≥ 99.99 %", "reached tol", "mutate_factor"], rows))
    return results, paths, body


def mean(run_dir, settings, seed, nets, data):
    from mnist_adversarial.experiments import run_mean

    out, paths, parts = {}, [], []
    digit_stats, class_means = _stats(data), _class_means(data)
    for name, model in _models(nets, settings["mean_networks"]).items():
        folder = Path(run_dir) / name
        folder.mkdir(exist_ok=True)
        results, means = run_mean(model, digit_stats, class_means, settings,
                                  np.random.default_rng(seed), folder)
        out[name] = results
        order = sorted(means)
        paths.append(figs.grid([means[d] for d in order],
                               [f"mean of {results[str(d)]['images']} '{d}'s" for d in order],
                               Path(run_dir) / "figures" / f"mean_{name}.png",
                               suptitle=f"Means of GA digits against {name} (1 − pixel)"))
        parts.append(markdown_table(
            ["digit", "images", "GA runs", "network calls the mean", "most like the training mean of"],
            [[d, r["images"], r["attempts"], r["mean_predicted"], r["most_like"]] for d, r in results.items()]))
    return out["mlp100"] if "mlp100" in out else out, paths, "\n\n".join(parts)


def stats(run_dir, settings, seed, nets, data):
    from mnist_adversarial.experiments import run_stats

    digit_stats = _stats(data)
    paths = [figs.stats_plot(digit_stats, Path(run_dir) / "figures" / "digit_stats.png")]
    model = _models(nets, ["mlp100"])["mlp100"]
    results, imgs, mean_img = run_stats(model, digit_stats, _class_means(data), settings,
                                        np.random.default_rng(seed), run_dir, settings.get("as_posted", False))
    results["histogram_2"] = digit_stats["histogram"][2].tolist()
    results["g_x_2"] = digit_stats["g_x"][2].tolist()
    results["g_y_2"] = digit_stats["g_y"][2].tolist()
    shown = list(imgs[:19]) + [mean_img]
    paths.append(figs.grid(shown, [f"'2' #{i + 1}" for i in range(len(shown) - 1)] + ["mean"],
                           Path(run_dir) / "figures" / "stats_twos.png",
                           suptitle="The second GA (statistics in the cost): some '2's and the mean"))
    body = (f"{results['count']} '2's from {results['attempts']} runs (median {results['median_generations']} "
            f"generations); the mean of {results['mean_count']} is called '{results['mean_predicted']}' "
            f"and looks most like the training '{results['most_like']}'. Variogram: {results['variogram']}.")
    return results, paths, body


def drawn(run_dir, settings, seed, nets, data):
    from mnist_adversarial import drawn as dr

    _, (xte, yte) = data
    results, images, stretched = dr.run(_models(nets), xte, yte, np.random.default_rng(seed), settings["rescaled"])
    labels = list(images)
    paths = [figs.grid([images[k] for k in labels], labels, Path(run_dir) / "figures" / "drawn.png",
                       suptitle="Digits drawn from a font (1 − pixel)", scale=2.2),
             figs.grid(np.concatenate([xte[:5], stretched[:5]]),
                       [f"test '{y}'" for y in yte[:5]] + [f"stretched '{y}'" for y in yte[:5]],
                       Path(run_dir) / "figures" / "stretched_test_digits.png",
                       suptitle="MNIST test digits, and the same stretched to the frame's edges")]
    rows = []
    for label, row in results["drawn"].items():
        rows.append([label] + [f"'{v['top']}' {100 * v['top_output']:.2f} %, '{v['second']}' "
                               f"{100 * v['second_output']:.2f} %" for v in row["networks"].values()])
    nets_order = list(next(iter(results["drawn"].values()))["networks"])
    body = (markdown_table(["image"] + [f"{n}: top two outputs" for n in nets_order], rows) + "\n\n" +
            markdown_table(["network", "test digits as drawn", "stretched to the edges"],
                           [[n, _pct(v["original"]), _pct(v["filling_the_frame"])]
                            for n, v in results["rescaled_test"].items()]))
    return results, paths, body


def transfer(run_dir, settings, seed, nets, data):
    from mnist_adversarial.experiments import run_transfer

    models = _models(nets)
    results = run_transfer(models, settings["ga_networks"], settings, np.random.default_rng(seed), _stats(data))
    rows = [[src, tgt, f"{100 * v['mean_confidence']:.1f} %", _pct(v["share_called_target"])]
            for src, r in results.items() for tgt, v in r["scored_by"].items()]
    body = ("GA images made against one network (rows), scored by every network.\n\n" +
            markdown_table(["made against", "scored by", "mean confidence in the target",
                            "called the target digit"], rows))
    return results, [], body


EXPERIMENT_RUNNERS = {"networks": networks, "pca": pca, "descent": descent, "genetic": genetic,
                      "mean": mean, "stats": stats, "drawn": drawn, "transfer": transfer}


def finish(run_dir, config, name, results, paths, body, seconds):
    settings = config["settings"]
    rows = compare(blog.CLAIMS.get(name, []), results, settings["profile"])
    text = [f"# {blog.POST}: {name}, run {Path(run_dir).name}", "",
            f"Profile **{settings['profile']}**, seed {config['seed']}, backend {config['backend']}"
            + (f", networks from `{config['networks']}`" if config.get("networks") else "") + ".", "",
            body, ""]
    if rows:
        text += ["## The post's claims beside ours", "", f"{tally_line(rows)}.", "", claims_table(rows), ""]
    text += [f"![{p.stem}](figures/{p.name})" for p in paths]
    if settings["profile"] != "full":
        text += ["", f"This is a **{settings['profile']}** run: claims read \"needs full\"."]
    runs.write_text(Path(run_dir) / "report.md", "\n".join(text) + "\n")
    if rows:
        results = dict(results, claims={r["key"]: {"ours": r["ours"], "verdict": r["verdict"]} for r in rows})
    runs.write_json(Path(run_dir) / "timings.json", {"seconds": seconds})
    runs.write_json(Path(run_dir) / "results.json", results)
    print(f"{name}: " + (tally_line(rows) + "; " if rows else "") + f"report {Path(run_dir) / 'report.md'}")
