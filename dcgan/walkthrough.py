# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Generating cartoon avatars with GANs
#
# A walkthrough of the post in which the author wanted "to play around with GANs ... specifically for
# generating small cartoon-like images". He starts from the TensorFlow DCGAN tutorial, trains it on drawn
# ellipses (a first attempt that collapses to white, then opaque white ellipses on black that work), moves to
# a deeper, wider network of his own for colour ellipses, and ends with cartoon avatars. Here we train the two
# sections that say most, the black-and-white ellipses (the tutorial's network) and the avatars (the author's),
# look at what a GAN learns epoch by epoch, put the post's claims beside our numbers, and draw new avatars.
#
# Run time on a 2-core CPU, for the whole notebook with its exercises:
#
# | profile | what it trains | time |
# |---|---|---|
# | `tiny` | 64 images of 16 × 16, 2 epochs per run: checks that everything runs | under a minute |
# | `quick` | 2000 images of 32 × 32; 10 epochs of ellipses, 4 of avatars | about 8 minutes |
# | `full` | the post's settings: 10,000 images of 28 × 28 (ellipses) and 64 × 64 (avatars), 50 epochs | about 20 minutes for the ellipses and 3 hours for the avatars (about 4 minutes on one H100 with JAX); the exercises as much again |
#
# At `tiny` and `quick` the networks have hardly started to learn: the pictures of our own runs have the shape
# of the post's, not its content. Beside them the notebook shows the post's two 64 × 64 runs at full
# settings, the colour ellipses and the avatars, made on a GPU and kept with the suite in `dcgan/docs/full/`.

# %%
import os, subprocess, sys
from pathlib import Path

PROFILE = os.environ.get("REPRO_PROFILE", "quick")   # tiny · quick · full (the post's own settings)
ROOT = next((p for p in [Path.cwd(), *Path.cwd().parents] if (p / "shared" / "runs.py").is_file()), None)
if ROOT is None:  # a hosted notebook without the suite: fetch it and install what it needs
    SUITE = os.environ.get("REPRO_SUITE", "https://github.com/OWNER/repro-blogs")  # where you got the suite
    subprocess.run(["git", "clone", "--depth", "1", SUITE, "repro-blogs"], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-r", "repro-blogs/requirements.txt"], check=True)
    ROOT = Path("repro-blogs").resolve()
os.chdir(ROOT)
sys.path.insert(0, str(ROOT))
RUNS = os.environ.get("REPRO_RUNS", "runs")           # where run folders go

# %%
from shared import runtime

runtime.setup()  # before Keras is imported: the backend, quiet TensorFlow start-up

import base64
import inspect
import json
import tempfile
from dataclasses import replace

import keras
import numpy as np
from IPython.display import HTML, Image, Markdown, display

from dcgan import avatars, config, data, experiment, gan, media, play, train
from shared.figures import plt, save

SEED = 0         # the training seed
RANDOM_SEED = 3  # the play section's latent vectors
SCRATCH = Path(tempfile.mkdtemp())  # the notebook's own figures (the runs keep theirs in their folders)
FULL = ROOT / "dcgan" / "docs" / "full"  # the 64 × 64 runs at the post's settings, made on a GPU


def show_images(images, titles, name, height=2.8):
    """uint8 RGB images side by side, each with its title, as one figure inline."""
    widths = [im.shape[1] / im.shape[0] for im in images]
    fig, axes = plt.subplots(1, len(images), figsize=(height * sum(widths), height + 0.4), squeeze=False,
                             gridspec_kw={"width_ratios": widths})
    for ax, image, title in zip(axes[0], images, titles):
        ax.imshow(image, interpolation="nearest")
        ax.set_title(title, fontsize=9)
        ax.axis("off")
    display(Image(save(fig, SCRATCH / f"{name}.png")))


def show_epochs(run_dir, most=6, epochs=None):
    """Some of a run's epoch grids side by side: the ones named, else the first, the last and evenly between."""
    pngs = sorted((Path(run_dir) / "epochs").glob("epoch_*.png"))
    if epochs is None:
        picks = [pngs[i] for i in sorted(set(np.linspace(0, len(pngs) - 1, min(most, len(pngs))).round().astype(int)))]
    else:
        picks = [Path(run_dir) / "epochs" / f"epoch_{epoch:03d}.png" for epoch in epochs]
    show_images([media.imread(p) for p in picks], [f"epoch {int(p.stem.split('_')[1])}" for p in picks],
                f"{Path(run_dir).parent.name}_{Path(run_dir).name}_epochs")


def show_gif(path):
    """A GIF inline (as HTML, so that it plays in Jupyter, Colab and exported HTML alike)."""
    gif = base64.b64encode(Path(path).read_bytes()).decode()
    display(HTML(f'<img src="data:image/gif;base64,{gif}" width="256">'))


def claims(run_dir):
    """The post's claims beside ours, from a run's report.md."""
    text = (Path(run_dir) / "report.md").read_text()
    return text.split("## Claims", 1)[1].split("\n## ", 1)[0].strip()


def history(run_dir):
    """Every epoch's losses and measures, from a run's results.json."""
    return json.loads((Path(run_dir) / "results.json").read_text())["history"]


# %% [markdown]
# ## The idea
#
# A GAN is two networks trained against each other: a **generator** turns 100 random numbers into an image,
# and a **discriminator** tells real images from the generator's. Each step, the discriminator learns to say
# "real" to real images and "fake" to fakes, and the generator learns to make the discriminator say "real" to
# its fakes. Neither is ever shown what a good image is; the generator only learns what fools the
# discriminator. The post's story follows from that:
#
# - **First attempt**: unfilled colour ellipses on white. "At the beginning of training, the output of the
#   generator is a gray blob ... Over time, some colors emerge, until training collapses in the end and it
#   just generates white backgrounds": images that are mostly white are fooled best by white.
# - **Black and white**: 10,000 opaque white ellipses on black, as the tutorial's digits are white on black.
#   "The generator ended up creating something that resembles circles."
# - **Deeper, wider, colour**: the author's own network after "reviewing some tips"; colour blobs that "change
#   dramatically between epochs", mode collapse.
# - **Cartoon avatars**: Google's Cartoon Set; "face-like images after just a few epochs", and then "cycling
#   the style of the face".
#
# Where we differ: the Cartoon Set is not bundled (below), the post gives no image sizes (we use the
# tutorial's 28 × 28 for its network and 64 × 64 for the author's), and the first attempt trains on 2000
# ellipses where the post says "a few hundred" (with 300, 50 epochs are only 100 steps: still a gray blob).

# %% [markdown]
# ## The data
#
# The ellipses are drawn here, centred, with radii in [w/4, w/2) and a random angle, in the post's three
# kinds. The avatars are **not the post's**: the Cartoon Set (Google, CC-BY 4.0, 10,000 PNGs of 500 × 500)
# is not bundled with the suite, so unless you put it under the data folder (`REPRO_DATA/cartoonset/
# cartoonset10k.tgz`), the cartoon section trains on a **stand-in**: faces drawn by the suite with PIL and
# written in the Cartoon Set's format (a PNG on white and a CSV of attributes per avatar, every avatar a
# different combination).

# %%
SHOW = 64  # the side the samples are drawn at here
kinds = {"outline": "unfilled, on white (first attempt)", "bw": "opaque white on black",
         "colour": "opaque colours on black"}
standin = avatars.write_set(SCRATCH / "standin", 16, seed=SEED)
faces, names, attributes = data.load_images(standin, SHOW)
show_images([media.grid(data.to_tanh_range(data.ellipses(16, SHOW, kind, seed=SEED))) for kind in kinds]
            + [media.grid(data.to_tanh_range(faces))],
            list(kinds.values()) + ["stand-in avatars (not the Cartoon Set)"], "data")
print("the Cartoon Set:", data.real_cartoonset() or "not under the data folder: the cartoon run uses the stand-in")
print(f"\n{names[0]}.csv, the attributes of the first avatar (the Cartoon Set's format):")
print((standin / f"{names[0]}.csv").read_text())

# %% [markdown]
# ## The models
#
# `train.make_gan(settings)` builds the generator and the discriminator that a section's settings name and
# compiles them into one `gan.DCGAN`, a `keras.Model` trained by `fit`. First the TensorFlow tutorial's, at
# the black-and-white ellipses' 28 × 28 × 1: a Dense layer reshaped to 7 × 7 × 256, then transposed
# convolutions up to the image; the discriminator two strided convolutions and one logit. The post's
# "1 million parameters" is not this network at any size we tried: 2.33 M + 0.21 M here.

# %%
tutorial = train.make_gan(config.EXPERIMENTS["bw-ellipses"])
tutorial.generator.summary()
tutorial.discriminator.summary()

# %% [markdown]
# The author's network for the colour ellipses and the avatars, at 64 × 64 × 3: deeper (four transposed
# convolutions from 4 × 4 × 1024), wider, weights drawn from N(0, 0.02), LeakyReLU(0.2), batch
# normalisation in the discriminator too; trained with Adam 2e-4, β₁ 0.5, and real images labelled 0.9
# instead of 1 (one-sided label smoothing).

# %%
author = train.make_gan(config.EXPERIMENTS["cartoon"])
author.generator.summary()
author.discriminator.summary()
del tutorial, author

# %% [markdown]
# The heart of a GAN on `fit` is its `train_step`: one batch of real images and one of latent vectors, the
# generator's fakes through the discriminator beside the reals, and each network stepped down its own loss
# (the tutorial's two `GradientTape`s; on JAX, `DCGAN` has a stateless step doing the same arithmetic). The
# losses are binary cross-entropy on the discriminator's logits:

# %%
step = gan.DCGAN._jax_train_step if keras.backend.backend() == "jax" else gan.DCGAN._tf_train_step
for function in (gan.discriminator_loss, gan.generator_loss, step):
    display(Markdown(f"```python\n{inspect.getsource(function)}```"))

# %% [markdown]
# ## Training: white ellipses on black
#
# The same code path as `python -m dcgan bw-ellipses --profile quick`, at the profile of the set-up cell. The
# run folder keeps a 4 × 4 grid of the same 16 latent vectors after every epoch (`epochs/`), a GIF of them,
# the losses and the measures per epoch (`history.csv`), both networks, and its report.

# %%
bw_settings = config.profile("bw-ellipses", PROFILE)
print(bw_settings)
bw_dir = experiment.run("bw-ellipses", bw_settings, out=RUNS, seed=SEED, profile=PROFILE)

# %%
display(Image(bw_dir / "figures" / "real_examples.png", width=256))
show_epochs(bw_dir)
show_gif(bw_dir / "training.gif")
display(Image(bw_dir / "figures" / "losses.png"))
display(Image(bw_dir / "figures" / "measures.png"))

# %% [markdown]
# Left, the losses: a GAN's do not fall to zero as a classifier's do; they are a contest, and a
# discriminator loss near 2 · ln 2 ≈ 1.39 means it cannot tell the two apart. Right, the **diversity** of
# the 16 samples (their mean pairwise distance) against 16 real images': a drop is mode collapse, all latent
# vectors giving one image. The measures: brightness, the **ellipse fit** (how well a sample's bright pixels
# fill the ellipse of the same moments) and the distance to the nearest real image. With the post's settings
# the README's run stayed black for seven epochs, then drew white blobs with an ellipse fit of 0.91. At
# `quick` we saw the samples go from gray to black with a regular grid of white dots after 10 epochs (the
# transposed convolutions' checkerboard), no ellipse yet, and their diversity stay far below the real images'.

# %% [markdown]
# ## Training: cartoon avatars
#
# The author's network on the avatars (the stand-in unless the Cartoon Set is under the data folder; the log
# says which).

# %%
cartoon_settings = config.profile("cartoon", PROFILE)
print(cartoon_settings)
cartoon_dir = experiment.run("cartoon", cartoon_settings, out=RUNS, seed=SEED, profile=PROFILE)

# %%
display(Image(cartoon_dir / "figures" / "real_examples.png", width=256))
show_epochs(cartoon_dir)
show_gif(cartoon_dir / "training.gif")
display(Image(cartoon_dir / "figures" / "losses.png"))

# %% [markdown]
# At `quick` (4 epochs of 32 × 32) we saw only the start: one gray, face-shaped smudge, the same for all 16
# latent vectors (diversity 0.017 against the real avatars' 0.21), growing lighter (brightness 0.51 to 0.67,
# the real 0.86) as the generator learns the white background.
# `replace(cartoon_settings, epochs=15)` trains longer (about a minute an epoch on 2 cores).
#
# ## The full runs: colour ellipses and avatars at 64 × 64
#
# The post's own settings for its last two sections, the author's network on 10,000 images of 64 × 64 for 50
# epochs, take about 3 hours each on a 2-core CPU. They were run on one NVIDIA H100 with `KERAS_BACKEND=jax`
# (196 s and 202 s), and their small outputs are kept in `dcgan/docs/full/`: the same files as any run
# folder, less the networks, the MP4 and most epoch grids. First the colour ellipses, real and after epochs
# 1, 2, 5, 10, 20 and 50:

# %%
colour_full = FULL / "colour-ellipses"
display(Image(colour_full / "figures" / "real_examples.png", width=256))
show_epochs(colour_full, epochs=(1, 2, 5, 10, 20, 50))
display(Image(colour_full / "figures" / "losses.png"))

# %% [markdown]
# One dark square for all 16 latent vectors at epoch 1 and one black square at epoch 2 (diversity 0.012 and
# 0.003 against the real images' 0.33): mode collapse at the start. Fuzzy coloured blobs at epoch 5, then 16
# discs of 16 colours from epoch 10, with an ellipse fit of 0.7 or more at every epoch from there (the post:
# "after about 20-25 epochs"; ours are sooner, and rounder than the real ellipses). Their colours keep moving
# from epoch to epoch, 0.12 RMS per epoch in the second half, but the 16 never collapse onto one again.
#
# Then the avatars (the stand-in, as above), after epochs 1, 5, 10, 15, 30 and 50:

# %%
cartoon_full = FULL / "cartoon"
show_epochs(cartoon_full, epochs=(1, 5, 10, 15, 30, 50))
show_gif(cartoon_full / "training.gif")
display(Image(cartoon_full / "figures" / "losses.png"))

# %% [markdown]
# A pale ghost of one face at epoch 1, faces with hair, eyes, glasses and beards by epoch 5: "face-like
# images after just a few epochs". And in every epoch most of the 16 latent vectors give one face, a different
# one each time (a bearded man in 11 of 16 at epoch 5, a blue hat at 10, a pink face with blue glasses in 10
# of 16 at 30): the post's "cycling the style of the face", mode collapse that moves. The diversity curve
# (0.13–0.22, the real avatars' 0.22) hides it: a few odd faces far from the shared one keep the mean pairwise
# distance high. Look at the grids, not only the numbers.

# %% [markdown]
# ## The post's claims beside ours
#
# Each run's report checks the post's claims. A claim marked **needs full** can only be tested with the
# post's own settings (50 epochs on 10,000 images): at `tiny` and `quick` the number is shown but not judged.
# The parameter count is judged at any profile, at the run's own image size. Below our two runs, the two full
# runs' reports: there every claim is judged.

# %%
for name, run_dir in (("bw-ellipses, this notebook's run", bw_dir), ("cartoon, this notebook's run", cartoon_dir),
                      ("colour-ellipses, full run (GPU)", colour_full), ("cartoon, full run (GPU)", cartoon_full)):
    display(Markdown(f"### {name}\n\n{claims(run_dir)}"))

# %% [markdown]
# ## Play: new avatars
#
# `play.load(run_dir)` loads a finished run's generator. `draw(16, random_seed)` draws 16 latent vectors from
# the random seed and turns them into avatars; `walk(a, b, t)` follows the straight line from seed a's latent
# vector to seed b's. A GAN whose neighbouring latent points give neighbouring faces has learnt a smooth
# space of faces rather than a lookup table of the training set. At `tiny` and `quick` every seed draws
# nearly the same image: the generator has not yet left its mode collapse. (The full runs' generators, 73 MB
# each, are not kept with the suite; train one to play with it.)

# %%
avatar_maker = play.load(cartoon_dir)
drawn = avatar_maker.draw(16, random_seed=RANDOM_SEED)
show_images([avatar_maker.grid(drawn)], [f"16 avatars from random seed {RANDOM_SEED}"], "draw", height=3.2)

walk = avatar_maker.walk(RANDOM_SEED, RANDOM_SEED + 1, t=np.linspace(0, 1, 8))
show_images([avatar_maker.grid(walk, columns=8)],
            [f"from seed {RANDOM_SEED}'s latent vector (left) to seed {RANDOM_SEED + 1}'s (right)"], "walk", 1.8)

# %% [markdown]
# ## Exercises
#
# ### 1. The first attempt, and its white collapse
#
# Train the tutorial's network on unfilled colour ellipses on white and watch the brightness of its samples.
# With the post's settings (`"full"`: 50 epochs, about 6 minutes on 2 cores) the README's run went from gray
# (0.50 after epoch 1) through colours to 0.91 at epoch 36, while the 16 samples stayed nearly one image.
# At `quick` we saw it only begin: from 0.50 to 0.58 in 10 epochs, a gray then coloured checkerboard. Set
# `EXERCISE_PROFILE = "full"` to see the collapse.

# %%
EXERCISE_PROFILE = PROFILE  # "full" shows the white collapse
first_dir = experiment.run("first-attempt", config.profile("first-attempt", EXERCISE_PROFILE), out=RUNS,
                           seed=SEED, profile=EXERCISE_PROFILE)
show_epochs(first_dir)
print("mean brightness per epoch (white = 1):", " ".join(f"{h['brightness']:.2f}" for h in history(first_dir)))
display(Markdown(claims(first_dir)))

# %% [markdown]
# ### 2. Another random seed
#
# Draw from other random seeds, and walk the great circle between two latent vectors instead of the straight
# line (`spherical=True`: 100 Gaussian numbers lie near a sphere of radius 10, and the straight line's middle
# is nearer the centre, about 7, than the latent vectors the generator was trained on). Then train again with
# `seed=1` in `experiment.run`: does the collapse come at the same epoch?

# %%
for random_seed in (7, 11):
    show_images([avatar_maker.grid(avatar_maker.draw(16, random_seed=random_seed))],
                [f"random seed {random_seed}"], f"seed{random_seed}", height=3.2)
show_images([avatar_maker.grid(avatar_maker.walk(7, 11, t=np.linspace(0, 1, 8), spherical=spherical), columns=8)
             for spherical in (False, True)],
            ["straight line from seed 7 to 11", "great circle"], "walks", 1.8)

# %% [markdown]
# ### 3. Choose the hair colour
#
# The post wished "to be able to provide the facial features (hair color, eye color, etc.) as inputs to the
# network". `condition=("hair_color",)` trains a conditional DCGAN: the generator gets the one-hot hair colour
# beside its 100 random numbers, and the discriminator gets it as constant image planes beside the pixels, so
# that it can reject an avatar whose hair does not match its label. Below, each row asks for one hair colour
# (0 to 9; the stand-in's colours are `avatars.HAIR`) from the same 8 latent vectors. Do the rows differ in
# hair colour and the columns in everything else? At `tiny` and `quick` we saw all 80 alike, one collapsed
# blob; train longer (`epochs`, or `"full"`), then try `condition=("hair_color", "eye_color")`.

# %%
hair_settings = replace(config.profile("cartoon", EXERCISE_PROFILE), condition=("hair_color",))
hair_dir = experiment.run("cartoon", hair_settings, out=RUNS, seed=SEED, profile=EXERCISE_PROFILE)
hair = play.load(hair_dir)
print("conditioned on:", hair.attributes)
rows = [hair.draw(8, random_seed=RANDOM_SEED, attributes={"hair_color": h})
        for h in range(hair.attributes["hair_color"])]
show_images([hair.grid(np.concatenate(rows), columns=8)],
            ["rows: hair_color 0 to 9; columns: the same 8 latent vectors"], "hair", height=6)
