"""The post's eight experiments, and how one of them runs.

    from mnist_adversarial import experiment
    from mnist_adversarial.config import PROFILES

    nets = experiment.run("networks", PROFILES["tiny"], out="runs", seed=0)   # train first
    experiment.run("genetic", PROFILES["tiny"], out="runs", networks=nets)   # -> the run folder

One step function per experiment, in the post's order, does its work, draws its
figures and writes its section of the report: ``networks_step`` trains the three
networks (``train.py``); ``pca_step`` finds eigen-digits; ``descent_step`` walks the
pixels down the cost's gradient; ``genetic_step``, ``mean_step``, ``stats_step`` and
``transfer_step`` run the post's genetic-ish algorithm (``ga_experiments.py``);
``drawn_step`` shows the networks digits drawn to the edges and centred. :func:`run`
gives each one the suite's run lifecycle (``shared.runs``): every input is found and
read first, then the run folder is made, the work done, and results.json written last.
"""
import time
from pathlib import Path

import numpy as np

from mnist_adversarial import blog, descent, drawn, figures, ga_experiments, pca, play, train
from mnist_adversarial.config import FULL, NETWORKS, PROFILES, Config
from mnist_adversarial.data import load
from mnist_adversarial.report import markdown_table, pct, report_text, summary_line
from mnist_adversarial.image_stats import digit_stats
from shared import UserError, runs, runtime
from shared.cli import log
from shared.config import from_dict, profile_name
from shared.report import compare

POST = "mnist_adversarial"
EXPERIMENTS = ("networks", "pca", "descent", "genetic", "mean", "stats", "drawn", "transfer")


_stats_of = (None, None, None)  # the training arrays last measured, and their statistics


def training_stats(data):
    """Per digit, the histogram and variogram of the training images (``image_stats``): a few
    seconds on all 60,000, so measured once for the read-only arrays that ``load`` shares."""
    global _stats_of
    (xtr, ytr), _ = data
    if _stats_of[0] is not xtr or _stats_of[1] is not ytr:
        stats = digit_stats(xtr, ytr)
        for array in stats.values():
            array.setflags(write=False)
        _stats_of = (xtr, ytr, stats)
    return _stats_of[2]


def class_means(data):
    """Each digit's mean training image."""
    (xtr, ytr), _ = data
    return [xtr[ytr == d].mean(0) for d in range(10)]


def networks_step(run_dir, settings, seed, _models, data):
    results, _seconds = train.train(settings, run_dir, seed, train.split(settings, data))  # kept in summary.json
    rows = [[n, r["params"], r["epochs"], pct(r["test_accuracy"])] for n, r in results.items()]
    body = markdown_table(["network", "weights", "epochs", "test accuracy"], rows)
    paths = [figures.validation_accuracy(run_dir, results, Path(run_dir) / "figures" / "validation_accuracy.png")]
    return results, paths, body


def pca_step(run_dir, settings, seed, _models, data):
    (xtr, ytr), test = data
    n = settings.pca_train
    results, arrays = pca.run(((xtr[:n], ytr[:n]), test))
    paths = figures.pca(arrays, results, Path(run_dir) / "figures")
    rows = [[k, pct(v), pct(results["explained_variance"][k])]
            for k, v in results["accuracy_by_components"].items()]
    body = (f"Method: {results['method']}. {results['components_for_90_percent']} components explain "
            "90 % of the variance.\n\n" + markdown_table(["components", "test accuracy", "variance explained"],
                                                         rows))
    return results, paths, body


def descent_step(run_dir, settings, seed, models, _data):
    chosen = {n: models[n] for n in settings.ga_networks}
    results, images = descent.run(chosen, settings, np.random.default_rng(seed))
    paths = []
    for name, imgs in images.items():
        conf = results[name]["confidence"]
        paths.append(figures.grid(imgs, [f"'{d}': {100 * c:.1f} %" for d, c in zip(settings.digits, conf)],
                               Path(run_dir) / "figures" / f"descent_{name}.png",
                               suptitle=f"Gradient descent on the pixels, {name} "
                                        f"(title: the network's output for that digit)"))
    rows = [[name] + [f"{100 * c:.1f}" for c in r["confidence"]] for name, r in results.items()]
    body = markdown_table(["network"] + [f"'{d}' %" for d in settings.digits], rows)
    return results, paths, body


def genetic_step(run_dir, settings, seed, models, data):
    chosen = {n: models[n] for n in settings.ga_networks}
    results, images = ga_experiments.run_genetic(chosen, training_stats(data), settings,
                                                 np.random.default_rng(seed))
    with runs.atomic_path(Path(run_dir) / "ga_images.npz") as tmp:
        np.savez_compressed(tmp, **images)
    paths = []
    for name, imgs in images.items():
        r = results[name]
        titles = [f"'{d}': {100 * c:.3f} %\n{g} gen." for d, c, g in
                  zip(r["digits"], r["confidence"], r["generations"])]
        paths.append(figures.grid(imgs, titles, Path(run_dir) / "figures" / f"genetic_{name}.png",
                               suptitle=f"The genetic-ish algorithm against {name}, drawn as 1 − pixel"))
    rows = [[name, d, f"{100 * r['confidence'][i]:.4f}", r["generations"][i],
             r["first_9999"][i] if r["first_9999"][i] >= 0 else "never",
             "yes" if r["converged"][i] else "no", f"{r['mutate_factor'][i]:g}"]
            for name, r in results.items() for i, d in enumerate(r["digits"])]
    body = (f"One run per digit with the post's settings (population {settings.ga_population}, best "
            f"{settings.ga_selected} kept, mutate_factor 1, stop at cost < {settings.ga_tol:g} or "
            f"{settings.ga_max_iter} generations); a digit left below 99.99 % runs again with the post's "
            f"mutate_factor knob at {settings.ga_retry_mutate_factor} (and cost < 1e-4).\n\n"
            + markdown_table(["network", "digit", "confidence %", "generations (to stop)",
                              "first generation ≥ 99.99 %", "reached tol", "mutate_factor"], rows))
    return results, paths, body


def mean_step(run_dir, settings, seed, models, data):
    out, paths, parts = {}, [], []
    per_digit, means_of_training = training_stats(data), class_means(data)
    for name in settings.mean_networks:
        folder = Path(run_dir) / name
        folder.mkdir(exist_ok=True)
        results, means = ga_experiments.run_mean(models[name], per_digit, means_of_training, settings,
                                                 np.random.default_rng(seed), folder)
        out[name] = results
        order = sorted(means)
        paths.append(figures.grid([means[d] for d in order],
                               [f"mean of {results[str(d)]['images']} '{d}'s" for d in order],
                               Path(run_dir) / "figures" / f"mean_{name}.png",
                               suptitle=f"Means of GA digits against {name} (1 − pixel)"))
        parts.append(markdown_table(
            ["digit", "images", "GA runs", "network calls the mean", "most like the training mean of"],
            [[d, r["images"], r["attempts"], r["mean_predicted"], r["most_like"]] for d, r in results.items()]))
    return out["mlp100"] if "mlp100" in out else out, paths, "\n\n".join(parts)


def stats_step(run_dir, settings, seed, models, data):
    per_digit = training_stats(data)
    paths = [figures.stats_plot(per_digit, Path(run_dir) / "figures" / "digit_stats.png")]
    results, imgs, mean_img = ga_experiments.run_stats(models["mlp100"], per_digit, class_means(data), settings,
                                                       np.random.default_rng(seed), run_dir, settings.as_posted)
    results["histogram_2"] = per_digit["histogram"][2].tolist()
    results["g_x_2"] = per_digit["g_x"][2].tolist()
    results["g_y_2"] = per_digit["g_y"][2].tolist()
    shown = list(imgs[:19]) + [mean_img]
    paths.append(figures.grid(shown, [f"'2' #{i + 1}" for i in range(len(shown) - 1)] + ["mean"],
                           Path(run_dir) / "figures" / "stats_twos.png",
                           suptitle="The second GA (statistics in the cost): some '2's and the mean"))
    body = (f"{results['count']} '2's from {results['attempts']} runs (median {results['median_generations']} "
            f"generations); the mean of {results['mean_count']} is called '{results['mean_predicted']}' "
            f"and looks most like the training '{results['most_like']}'. Variogram: {results['variogram']}.")
    return results, paths, body


def drawn_step(run_dir, settings, seed, models, data):
    _, (xte, yte) = data
    results, images, stretched = drawn.run(models, xte, yte, np.random.default_rng(seed), settings.rescaled)
    labels = list(images)
    paths = [figures.grid([images[k] for k in labels], labels, Path(run_dir) / "figures" / "drawn.png",
                       suptitle="Digits drawn from a font (1 − pixel)", scale=2.2),
             figures.grid(np.concatenate([xte[:5], stretched[:5]]),
                       [f"test '{y}'" for y in yte[:5]] + [f"stretched '{y}'" for y in yte[:5]],
                       Path(run_dir) / "figures" / "stretched_test_digits.png",
                       suptitle="MNIST test digits, and the same stretched to the frame's edges")]
    rows = [[label] + [f"'{v['top']}' {100 * v['top_output']:.2f} %, '{v['second']}' "
                       f"{100 * v['second_output']:.2f} %" for v in row["networks"].values()]
            for label, row in results["drawn"].items()]
    body = (markdown_table(["image"] + [f"{n}: top two outputs" for n in models], rows) + "\n\n" +
            markdown_table(["network", "test digits as drawn", "stretched to the edges"],
                           [[n, pct(v["original"]), pct(v["filling_the_frame"])]
                            for n, v in results["rescaled_test"].items()]))
    return results, paths, body


def transfer_step(run_dir, settings, seed, models, data):
    results = ga_experiments.run_transfer(models, settings.ga_networks, settings, np.random.default_rng(seed),
                                          training_stats(data))
    rows = [[src, tgt, f"{100 * v['mean_confidence']:.1f} %", pct(v["share_called_target"])]
            for src, r in results.items() for tgt, v in r["scored_by"].items()]
    body = ("GA images made against one network (rows), scored by every network.\n\n" +
            markdown_table(["made against", "scored by", "mean confidence in the target",
                            "called the target digit"], rows))
    return results, [], body


STEPS = {"networks": networks_step, "pca": pca_step, "descent": descent_step, "genetic": genetic_step,
         "mean": mean_step, "stats": stats_step, "drawn": drawn_step, "transfer": transfer_step}


def find_networks(out="runs", networks=None, profile="quick"):
    """The networks run to use: ``networks`` if given, else the newest complete one under ``out``."""
    if networks is not None:
        return Path(networks)
    found = runs.latest_run(out, POST, "networks")
    if found is None:
        raise UserError(f"no trained networks under {out}: run `python -m {POST} networks --profile "
                        f"{profile or 'quick'}` first, or give --networks RUN_DIR")
    return found


def run(name, settings=FULL, out="runs", seed=0, profile=None, resume=None, networks=None):
    """Run experiment ``name`` (or finish the interrupted run ``resume``); return its run folder.

    ``networks`` is the networks run that every experiment but ``networks`` uses
    (default: the newest complete one under ``out``). The networks, the data and
    the settings are all checked before the run folder is made; a complete run
    given as ``resume`` is left as it is.
    """
    if name not in EXPERIMENTS:
        raise UserError(f"unknown experiment {name!r}: choose one of {', '.join(EXPERIMENTS)}, or all")
    if resume is not None:
        run = runs.resume(resume, POST, name)
        if run is None:
            return Path(resume)
        settings, seed = from_dict(Config, run.settings), run.seed
        networks, profile = run.config.get("networks"), run.config.get("profile")
    else:
        settings.check()
        profile = profile or profile_name(PROFILES, settings, "custom")
        networks = None if name == "networks" else find_networks(out, networks, profile)
    models = {} if name == "networks" else play.load(networks, NETWORKS).models
    data = load(limit_test=settings.n_test)
    if resume is None:
        run = runs.start(POST, name, settings, seed, out, profile,
                             extra={"networks": str(networks)} if networks else None)
    with run:
        runtime.seed_everything(seed)
        start = time.perf_counter()
        results, paths, body = STEPS[name](run.path, settings, seed, models, data)
        rows = compare(blog.CLAIMS.get(name, []), results, profile)
        text = report_text(run.config, name, body, rows, paths)
        run.finish(results, rows, text, {"seconds": time.perf_counter() - start})
    print(summary_line(name, rows, run.path), flush=True)
    return run.path


def run_all(settings=FULL, out="runs", seed=0, profile=None, networks=None):
    """Every experiment in the post's order (training the networks first unless ``networks``
    names a finished run); returns the run folders."""
    settings.check()
    profile = profile or profile_name(PROFILES, settings, "custom")
    load(limit_test=settings.n_test)  # a missing data file is reported before any run folder is made
    done = []
    for name in EXPERIMENTS:
        if name == "networks" and networks is not None:
            continue
        log(f"== {name}")
        done.append(run(name, settings, out, seed, profile, networks=networks))
        if name == "networks":
            networks = done[-1]
    return done

