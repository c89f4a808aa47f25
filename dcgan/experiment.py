"""One section of the post, end to end: data, training, measures, figures, report."""
import shutil
import sys
from pathlib import Path

import numpy as np

from shared import UserError
from shared.cli import log

POST = "dcgan"
REAL_SET_NAMES = ("cartoonset/cartoonset10k", "cartoonset/cartoonset10k.tgz", "cartoonset10k", "cartoonset10k.tgz")


def real_cartoonset():
    """Google's Cartoon Set under the data folder, if it is there."""
    from shared.data import data_home

    for name in REAL_SET_NAMES:
        path = data_home() / name
        if path.exists():
            return path
    return None


def data_source(settings, data_arg):
    """What the cartoon experiment learns from: (kind, path or None)."""
    if settings["data"] != "cartoon":
        return "ellipses", None
    if data_arg:
        path = Path(data_arg)
        if not path.exists():
            raise UserError(f"--data {path} does not exist: give the Cartoon Set folder or its .tgz")
        return "folder", str(path)
    real = real_cartoonset()
    return ("cartoonset", str(real)) if real else ("standin", None)


def load_data(settings, seed, source, run_dir=None):
    """uint8 images and attributes {name: (values, count)} for the run."""
    from dcgan import data

    kind, path = source
    if kind == "ellipses":
        return data.ellipses(settings["images"], settings["size"], settings["data"], seed), {}
    if kind == "standin":
        from dcgan.avatars import write_set

        folder = Path(run_dir) / "standin_avatars"
        if not (folder / "README.txt").exists():
            log(f"drawing {settings['images']:,} stand-in avatars (the Cartoon Set is not under the data folder)")
            write_set(folder, settings["images"], seed)
        path = folder
    images, _, attributes = data.load_images(path, settings["size"], settings["channels"],
                                             limit=settings["images"])
    return images, attributes


def check_condition(condition, attributes, source):
    if not condition:
        return
    if not attributes:
        raise UserError(f"--condition needs attributes, and {source[1]} has no attribute CSV files")
    unknown = [a for a in condition if a not in attributes]
    if unknown:
        raise UserError(f"unknown attribute {unknown[0]!r}: the data has {', '.join(sorted(attributes))}")


def standin_attributes():
    from dcgan.avatars import ATTRIBUTES

    return {k: (None, v) for k, v in ATTRIBUTES.items()}


def one_hot(attributes, condition):
    blocks = []
    for name in condition:
        values, count = attributes[name]
        blocks.append(np.eye(count, dtype=np.float32)[values])
    return np.concatenate(blocks, axis=1)


def run(experiment, args):
    from dcgan.__main__ import check_settings, settings_for
    from shared import runs, runtime

    loaded = None  # images read while checking the input, kept for training
    if args.resume:
        opened = runs.open_resumable(args.resume, POST, experiment)
        if opened is None:
            return 0
        run_dir, config = opened
        settings = config["settings"]
        source = tuple(config["data_source"])
        backend = runtime.setup()
    else:
        condition = getattr(args, "condition", None)
        settings = check_settings(settings_for(experiment, args.profile,
                                               {"epochs": args.epochs, "images": args.images}))
        source = data_source(settings, getattr(args, "data", None))
        if source[0] in ("folder", "cartoonset"):
            loaded = load_data(settings, args.seed, source)  # a bad folder fails here, before a run exists
        if condition:
            settings["condition"] = list(dict.fromkeys(condition))
            attrs = standin_attributes() if source[0] == "standin" else loaded[1]
            check_condition(settings["condition"], attrs, source)
        runs.check_writable(args.out)
        backend = runtime.setup()
        run_dir = runs.create_run(args.out, POST, experiment, args.seed, settings, backend,
                                  {"data_source": list(source)})
        config = runs.read_json(run_dir / "config.json")
        log(f"run folder: {run_dir}")
        if source[0] == "standin":
            log("the Cartoon Set is not under the data folder: training on procedural STAND-IN avatars")
    seed = config["seed"]
    images, attributes = loaded or load_data(settings, seed, source, run_dir)
    labels = grid_labels = None
    if settings.get("condition"):
        labels = one_hot(attributes, settings["condition"])
        grid_labels = labels[np.random.default_rng([seed, 17]).choice(len(labels), 16)]
    from dcgan import media
    from dcgan.data import to_unit

    sample = images[np.random.default_rng([seed, 5]).choice(len(images), 16, replace=False)]
    media.save_png(media.upscale(media.grid(to_unit(sample))), run_dir / "figures" / "real_examples.png")
    from dcgan.train import train

    log(f"{experiment}: {settings['network']} network, {len(images):,} images of "
        f"{settings['size']}×{settings['size']}×{settings['channels']}, {settings['epochs']} epochs ({backend})")
    try:
        summary = train(run_dir, settings, seed, images, labels, grid_labels)
    except KeyboardInterrupt:
        print(f"\ninterrupted; continue with: python -m dcgan {experiment} --resume {run_dir}", file=sys.stderr)
        return 130
    if attributes:
        from shared.runs import write_json

        write_json(run_dir / "attributes.json",
                   {k: {"variants": c, "values": v.tolist()} for k, (v, c) in attributes.items()})
    finish(run_dir, config, summary)
    return 0


def collect(run_dir, config, summary):
    from dcgan import models
    from shared.training import read_history

    settings = config["settings"]
    history = []
    for row in read_history(run_dir / "history.csv"):
        history.append({k: (None if v in ("", "None") else (int(v) if k == "epoch" else float(v)))
                        for k, v in row.items() if k != "seconds"})
    counts = (models.tutorial_counts if settings["network"] == "tutorial" else models.final_counts)(
        settings["size"], settings["channels"])
    return {"experiment": settings["experiment"], "size": settings["size"],
            "parameters": {"generator": counts[0], "discriminator": counts[1]},
            "images": summary["images"], "real": summary["real"], "history": history,
            "final": history[-1] if history else None}


def finish(run_dir, config, summary):
    from dcgan import blog, figures
    from shared import report as rep
    from shared.runs import read_json, write_json, write_text

    settings = config["settings"]
    results = collect(run_dir, config, summary)
    figures.losses_and_diversity(results["history"], results["real"], run_dir / "figures" / "losses.png",
                                 f"{settings['experiment']}: losses and sample diversity per epoch")
    figures.shape_measures(results["history"], results["real"], run_dir / "figures" / "measures.png",
                           f"{settings['experiment']}: what the samples look like")
    rows = rep.compare(blog.CLAIMS[settings["experiment"]], results, settings["profile"])
    results["claims"] = {r["key"]: {"ours": r["ours"], "verdict": r["verdict"]} for r in rows}
    timings_path = run_dir / "timings.json"
    timings = read_json(timings_path) if timings_path.exists() else {}
    if summary.get("seconds") is not None:
        timings["train_seconds"] = timings.get("train_seconds", 0) + summary["seconds"]
    epochs = sorted(run_dir.glob("epochs/epoch_*.png"))
    write_json(timings_path, timings)
    source = config["data_source"]
    data_line = {"ellipses": f"generated ellipses ({settings['data']})",
                 "standin": "procedural STAND-IN avatars (the Cartoon Set was not under the data folder)",
                 "cartoonset": f"Google's Cartoon Set ({source[1]})", "folder": f"images from {source[1]}"}[source[0]]
    p = results["parameters"]
    hist_rows = [[str(h["epoch"]), f"{h['g_loss']:.3f}", f"{h['d_loss']:.3f}", f"{h['diversity']:.3f}",
                  "" if h["change"] is None else f"{h['change']:.3f}", f"{h['brightness']:.2f}",
                  "" if h.get("ellipse_iou") is None else f"{h['ellipse_iou']:.2f}", f"{h['nearest_real']:.3f}"]
                 for h in results["history"]]
    attributes_md = ""
    if (run_dir / "attributes.json").exists():
        import numpy as np

        from dcgan.data import attribute_table

        attrs = {k: (np.asarray(v["values"]), v["variants"]) for k, v in read_json(run_dir / "attributes.json").items()}
        attributes_md = ("\n## The images' attributes\n\n"
                         + rep.markdown_table(["attribute", "variants", "values seen", "most common"],
                                              attribute_table(attrs)) + "\n")
    text = f"""# Generating cartoon avatars with GANs: {settings['experiment']}

Profile **{settings['profile']}**, seed {config['seed']}, backend {config['backend']}. Data: {data_line},
{results['images']:,} images of {settings['size']}×{settings['size']}×{settings['channels']}.
Network: {settings['network']} (generator {p['generator']:,} parameters, discriminator {p['discriminator']:,}),
Adam {settings['learning_rate']:g} (beta_1 {settings['beta_1']}), batch {settings['batch_size']},
real label {settings['real_label']}, {settings['epochs']} epochs{f", conditioned on {', '.join(settings['condition'])}" if settings.get('condition') else ""}.
{f"Training took {timings['train_seconds']:.0f} s on this machine." if 'train_seconds' in timings else ""}
Claims: {rep.tally_line(rows)}.

Real images:

![real](figures/real_examples.png)

The 16 fixed latent vectors after the last epoch (every epoch: `epochs/`; all of them: `training.gif`, `training.mp4`):

![last epoch]({epochs[-1].relative_to(run_dir) if epochs else ''})

![training](training.gif)

![losses](figures/losses.png)

![measures](figures/measures.png)

## Claims

{rep.claims_table(rows)}

{attributes_md}
## Per epoch

{rep.markdown_table(["epoch", "g loss", "d loss", "diversity", "change", "brightness", "ellipse fit", "nearest real"], hist_rows)}

Real images: diversity {results['real']['diversity']:.3f}, brightness {results['real']['brightness']:.2f},
{"ellipse fit " + format(results['real']['ellipse_iou'], '.2f') + ", " if results['real'].get('ellipse_iou') is not None else ""}nearest real {results['real']['nearest_real']:.3f}.
"""
    write_text(run_dir / "report.md", text)
    write_json(run_dir / "results.json", results)
    shutil.rmtree(run_dir / "backup", ignore_errors=True)
    print(f"{run_dir}: {rep.tally_line(rows)}; report {run_dir / 'report.md'}")


def redraw(run_arg):
    from shared import runs, runtime
    from shared.runs import read_json

    run_dir, config = runs.open_run(run_arg, POST)
    if not (run_dir / "results.json").exists():
        raise UserError(f"{run_dir} has not finished: continue it with python -m dcgan "
                        f"{config['experiment']} --resume {run_dir}")
    runtime.setup()
    results = read_json(run_dir / "results.json")
    finish(run_dir, config, {"real": results["real"], "images": results["images"], "seconds": None})
    return 0

