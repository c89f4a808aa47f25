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
# a deeper, wider network of his own for colour ellipses, and ends with cartoon avatars. Here we write the two
# networks, the GAN's `train_step` and its `fit` in the notebook's own cells, train them on the sections that
# say most, the black-and-white ellipses (the tutorial's network) and the avatars (the author's), look at what
# a GAN learns epoch by epoch, put the post's claims beside our numbers, and draw new avatars.
#
# Run time on a 2-core CPU, for the whole notebook with its exercises:
#
# | profile | what it trains | time |
# |---|---|---|
# | `tiny` | 64 images of 16 × 16, 2 epochs per network: checks that everything runs | under a minute |
# | `quick` | 2000 images of 32 × 32; 10 epochs of ellipses, 4 of avatars | 9½ minutes (measured, 2-core CPU), the avatars trained twice: in the lesson's cells and in one command |
# | `full` | the post's settings: 10,000 images of 28 × 28 (ellipses) and 64 × 64 (avatars), 50 epochs | about 20 minutes for the ellipses and 3 hours for each training of the avatars (about 4 minutes on one H100 with JAX); the exercises as much again |
#
# At `tiny` and `quick` the networks have hardly started to learn: the pictures of our own training have the
# shape of the post's, not its content. Beside them the notebook shows the post's runs at full settings, kept
# with the suite in `dcgan/docs/full/`: the black-and-white ellipses (with their trained generator), and the
# colour ellipses and the avatars at 64 × 64, made on a GPU.

# %%
import sys; sys.path.insert(0, "..")  # the suite: this notebook sits in one of its post folders
from shared.notebook import PROFILE, RUNS, brief, section, show  # not found? open it from a checkout (make lab)

# %%
import base64
import json
import tempfile
from dataclasses import replace
from pathlib import Path

import keras
import numpy as np
from IPython.display import HTML, Image, Markdown, display
from keras import layers, ops

from dcgan import avatars, blog, config, data, experiment, gan, measures, media, play
from dcgan.models import NOISE  # 100 random numbers in, one image out
from shared.figures import plt, save
from shared.report import claims_table, compare

SEED = 0         # the training seed
RANDOM_SEED = 3  # the play section's latent vectors
SCRATCH = Path(tempfile.mkdtemp())  # the notebook's own figures, networks and epoch grids
FULL = Path("dcgan/docs/full")      # the post's runs at its own settings (the suite's root is the working folder)


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


def show_epochs(folder, most=6, epochs=None):
    """Some epoch grids (``epoch_NNN.png``) of a folder side by side: the ones named, else the first, the
    last and evenly between."""
    folder = Path(folder)
    pngs = sorted(folder.glob("epoch_*.png"))
    if epochs is None:
        picks = [pngs[i] for i in sorted(set(np.linspace(0, len(pngs) - 1, min(most, len(pngs))).round().astype(int)))]
    else:
        picks = [folder / f"epoch_{epoch:03d}.png" for epoch in epochs]
    show_images([media.imread(p) for p in picks], [f"epoch {int(p.stem.split('_')[1])}" for p in picks],
                f"{folder.parent.parent.name}_{folder.parent.name}_epochs")


def show_gif(path):
    """A GIF inline (as HTML, so that it plays in Jupyter, Colab and exported HTML alike)."""
    gif = base64.b64encode(Path(path).read_bytes()).decode()
    display(HTML(f'<img src="data:image/gif;base64,{gif}" width="256">'))


def plot_history(history, real, title, name):
    """The losses, and the diversity of the 16 fixed latent vectors' images beside the real images', per epoch."""
    epochs = [e + 1 for e in history.epoch]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3.2), layout="constrained")
    a1.plot(epochs, history.history["g_loss"], marker=".", label="generator")
    a1.plot(epochs, history.history["d_loss"], marker=".", label="discriminator")
    a1.axhline(2 * np.log(2), color="k", ls=":", lw=1, label="2 ln 2: the discriminator cannot tell")
    a1.set(xlabel="epoch", ylabel="binary cross-entropy", title="losses")
    a1.legend(fontsize=8)
    a2.plot(epochs, history.history["diversity"], marker=".", label="16 fixed latent vectors' images")
    a2.axhline(real["diversity"], color="k", ls="--", lw=1, label="16 real images")
    a2.set(xlabel="epoch", ylabel="mean pairwise RMS distance", title="diversity (a drop = mode collapse)")
    a2.set_ylim(bottom=0)
    a2.legend(fontsize=8)
    fig.suptitle(title, fontsize=10)
    display(Image(save(fig, SCRATCH / f"{name}.png")))


def our_claims(experiment_name, history, real, generator, discriminator, size):
    """The post's claims for one section (``blog.py``), checked on a training of the notebook's own."""
    results = {"size": size, "real": real,
               "parameters": {"generator": generator.count_params(), "discriminator": discriminator.count_params()},
               "history": [{"epoch": e + 1, **{k: v[e] for k, v in history.history.items()}} for e in history.epoch]}
    return Markdown(claims_table(compare(blog.CLAIMS[experiment_name], results, PROFILE)))


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
print("the Cartoon Set:", data.real_cartoonset() or "not under the data folder: the avatars are the stand-in")
print(f"\n{names[0]}.csv, the attributes of the first avatar (the Cartoon Set's format):")
print((standin / f"{names[0]}.csv").read_text())

# %% [markdown]
# ## The tutorial's DCGAN on white ellipses
#
# The post's second section, and the first that works: the TensorFlow tutorial's network and optimiser,
# unchanged, on opaque white ellipses on black. `config.profile` holds the section's settings at the profile
# of the set-up cell (at `full`, the post's: 10,000 images of 28 × 28, batches of 256, 50 epochs, Adam 1e-4).
# The generator ends in `tanh`, so the images are scaled from [0, 255] to [−1, 1], as the tutorial does.

# %%
bw = config.profile("bw-ellipses", PROFILE)
print(bw)
ellipse_images = data.ellipses(bw.images, bw.size, bw.dataset, seed=SEED)  # uint8, (n, size, size, 1)
print(f"{ellipse_images.shape[0]:,} images of {ellipse_images.shape[1:]}, values {ellipse_images.min()} to "
      f"{ellipse_images.max()}; in [−1, 1]: {data.to_tanh_range(ellipse_images[:1]).min():.0f} to "
      f"{data.to_tanh_range(ellipse_images[:1]).max():.0f}")
show_images([media.grid(data.to_tanh_range(ellipse_images[:16]))], ["the first 16 training images"], "bw_data")

# %% [markdown]
# ### The generator
#
# From 100 random numbers to an image: a Dense layer makes a quarter-size image of 256 channels, then three
# transposed convolutions, each a learnt upsampling: the first keeps the size (stride 1), the next two double
# it (stride 2) up to size × size × channels. Batch normalisation and LeakyReLU between them; `tanh` at the
# end, for [−1, 1]. No biases: batch normalisation right after each layer would cancel them.

# %%
def tutorial_generator(size, channels):
    noise = keras.Input((100,), name="noise")                 # the latent vector: 100 random numbers
    q = size // 4                                             # 7 for the tutorial's 28 × 28
    x = layers.Dense(q * q * 256, use_bias=False)(noise)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU()(x)
    x = layers.Reshape((q, q, 256))(x)                        # a q × q image of 256 channels
    for filters, stride in ((128, 1), (64, 2)):               # q → q → 2q
        x = layers.Conv2DTranspose(filters, 5, strides=stride, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.LeakyReLU()(x)
    image = layers.Conv2DTranspose(channels, 5, strides=2, padding="same", use_bias=False,
                                   activation="tanh")(x)      # 2q → 4q = size, in [−1, 1]
    return keras.Model(noise, image, name="tutorial_generator")


# %% [markdown]
# ### The discriminator
#
# An ordinary image classifier: two strided convolutions, each halving the image, with LeakyReLU and dropout,
# then one number: a **logit**, positive for "real", negative for "fake" (no sigmoid: the loss takes logits).

# %%
def tutorial_discriminator(size, channels):
    image = keras.Input((size, size, channels), name="image")
    x = image
    for filters in (64, 128):                                 # size → size/2 → size/4
        x = layers.Conv2D(filters, 5, strides=2, padding="same")(x)
        x = layers.LeakyReLU()(x)
        x = layers.Dropout(0.3)(x)
    logit = layers.Dense(1)(layers.Flatten()(x))              # > 0: "real", < 0: "fake"
    return keras.Model(image, logit, name="tutorial_discriminator")


# %% [markdown]
# Both networks at the profile's size. The post speaks of "a neural network with 1 million parameters"; at the
# tutorial's 28 × 28 these two have 2.33 M and 0.21 M (the full run's report, below), and no size we tried
# gives one million. Untrained, the generator draws gray noise:

# %%
keras.utils.set_random_seed(SEED)
generator = tutorial_generator(bw.size, bw.channels)
discriminator = tutorial_discriminator(bw.size, bw.channels)
generator.summary()
discriminator.summary()
print(f"generator {generator.count_params():,} + discriminator {discriminator.count_params():,} parameters "
      f"at {bw.size} × {bw.size}")
fixed_noise = np.random.default_rng(SEED).standard_normal((16, NOISE)).astype("float32")  # the tutorial's 16 seeds
show_images([media.grid(np.asarray(generator(fixed_noise, training=False)))],
            ["the untrained generator's 16 images"], "untrained", height=2.2)

# %% [markdown]
# ### The losses
#
# Binary cross-entropy on the discriminator's logits, the tutorial's two loss functions. The discriminator's
# target is 1 for real images and 0 for fakes; the generator's target for its fakes is 1: it is rewarded when
# the discriminator is fooled. `real_label` is the tutorial's 1 here; the author's network uses 0.9 below.

# %%
def bce(target, logits):
    return ops.mean(ops.binary_crossentropy(target, logits, from_logits=True))


def discriminator_loss(real_logits, fake_logits, real_label):
    return bce(ops.full_like(real_logits, real_label), real_logits) + bce(ops.zeros_like(fake_logits), fake_logits)


def generator_loss(fake_logits):
    return bce(ops.ones_like(fake_logits), fake_logits)


# %% [markdown]
# ### The training step
#
# One `keras.Model` holds both networks, as in keras-io's "DCGAN overriding `Model.train_step`", so that
# `fit` trains them. `compile` takes an optimiser for each; `train_step` is the tutorial's: the generator's
# fakes and a batch of real images go through the discriminator, both losses come from that one forward pass,
# and each network is stepped down its own loss with its own `GradientTape`. The latent vectors come with the
# batch (below) rather than being drawn in the step. The tapes are TensorFlow's, the suite's default
# backend; on JAX the cell that trains uses the package's `gan.DCGAN`, whose stateless step does the same
# arithmetic.

# %%
class DCGAN(keras.Model):
    def __init__(self, generator, discriminator, real_label=1.0, **kwargs):
        super().__init__(**kwargs)
        self.generator, self.discriminator, self.real_label = generator, discriminator, real_label
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")  # the epoch's mean losses, in fit's logs
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.built = True                                        # both networks are built already

    def compile(self, g_optimizer, d_optimizer, **kwargs):
        super().compile(optimizer=None, **kwargs)                  # no shared optimiser: one for each network
        self.g_optimizer, self.d_optimizer = g_optimizer, d_optimizer
        g_optimizer.build(self.generator.trainable_variables)
        d_optimizer.build(self.discriminator.trainable_variables)

    @property
    def metrics(self):
        return [self.g_loss_tracker, self.d_loss_tracker]       # reset by fit at every epoch's start

    def call(self, noise, training=False):
        return self.generator(noise, training=training)

    def train_step(self, batch):
        import tensorflow as tf  # the tapes

        g, d = self.generator, self.discriminator
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fakes = g(batch["noise"], training=True)
            real_logits = d(batch["images"], training=True)
            fake_logits = d(fakes, training=True)
            g_loss = generator_loss(fake_logits)
            d_loss = discriminator_loss(real_logits, fake_logits, self.real_label)
        grads = g_tape.gradient(g_loss, g.trainable_variables)   # the generator learns through the discriminator
        self.g_optimizer.apply_gradients(zip(grads, g.trainable_variables))
        grads = d_tape.gradient(d_loss, d.trainable_variables)
        self.d_optimizer.apply_gradients(zip(grads, d.trainable_variables))
        n = ops.cast(ops.shape(batch["images"])[0], "float32")    # a mean per image: the last batch may be smaller
        self.g_loss_tracker.update_state(g_loss, sample_weight=n)
        self.d_loss_tracker.update_state(d_loss, sample_weight=n)
        return {m.name: m.result() for m in self.metrics}


# %% [markdown]
# ### The batches
#
# `gan.GANBatches` is a `keras.utils.PyDataset`: each epoch it shuffles the images, and each batch is a dict of
# real images in [−1, 1] and as many latent vectors, 100 standard normal numbers each. The latent vectors are
# drawn from a stream named by the seed, the epoch and the batch, so that the same run draws the same ones
# again (the one-command run below relies on it to resume).

# %%
batches = gan.GANBatches(ellipse_images, None, bw.batch_size, SEED)
batch = batches[0]
print(f"{len(batches)} batches an epoch;", {k: (v.shape, v.dtype.name) for k, v in batch.items()})

# %% [markdown]
# ### After every epoch: the 16 fixed latent vectors' images
#
# The tutorial's `generate_and_save_images` as a Keras callback: after every epoch the generator draws the
# same 16 latent vectors (`training=False`: batch normalisation uses its running averages), as one 4 × 4 grid,
# saved as `epoch_NNN.png`. It also writes what the grid looks like as numbers into the epoch's logs, so that
# `fit`'s history and the CSV log hold them (`dcgan/measures.py`): the **diversity** of the 16 (their mean
# pairwise distance: mode collapse drives it towards 0), their **brightness**, the **ellipse fit** of their
# shapes (for the ellipses), the distance to the **nearest real** image, and their **change** from the epoch
# before.

# %%
class EpochImages(keras.callbacks.Callback):
    def __init__(self, folder, noise, reals, background=None):
        super().__init__()
        self.folder, self.noise, self.reals, self.background = Path(folder), noise, reals, background
        self.previous = None

    def on_epoch_end(self, epoch, logs=None):
        samples = np.asarray(self.model.generator(self.noise, training=False))
        media.save_png(media.upscale(media.grid(samples)), self.folder / f"epoch_{epoch + 1:03d}.png")
        logs.update(measures.sample_measures(samples, self.reals, self.background))
        logs["change"] = None if self.previous is None else measures.change(self.previous, samples)
        self.previous = samples


# %% [markdown]
# ### Training
#
# Build, compile, `fit`, with the post's callbacks: the epoch images above, the tutorial's checkpoint of both
# networks every `checkpoint_every` epochs (15 at `full`), and every epoch's losses and measures in a CSV log.
# A `LambdaCallback` prints a line every few epochs. All of it goes into a folder of the notebook's own. Change
# a layer in the cells above, `bw.epochs` (`bw = replace(bw, epochs=20)`) or the callbacks, and rerun from here.

# %%
folder = Path(tempfile.mkdtemp())                                # the epoch grids, checkpoints and log
reals = data.to_tanh_range(ellipse_images[np.random.default_rng(SEED).permutation(len(ellipse_images))[:256]])
real = measures.real_measures(reals, bw.background)              # the same measures of real images
every = max(1, bw.epochs // 5)

keras.utils.set_random_seed(SEED)                                # the same start every time the cell runs
generator = tutorial_generator(bw.size, bw.channels)
discriminator = tutorial_discriminator(bw.size, bw.channels)
GAN = DCGAN if keras.backend.backend() == "tensorflow" else gan.DCGAN
model = GAN(generator, discriminator, real_label=bw.real_label)
model.compile(g_optimizer=keras.optimizers.Adam(bw.learning_rate, beta_1=bw.beta_1),
              d_optimizer=keras.optimizers.Adam(bw.learning_rate, beta_1=bw.beta_1))


def checkpoint(epoch, logs):
    if (epoch + 1) % bw.checkpoint_every == 0:
        for net in (generator, discriminator):
            net.save(folder / f"epoch_{epoch + 1:03d}_{net.name}.keras")


callbacks = [
    EpochImages(folder / "epochs", fixed_noise, reals, bw.background),
    keras.callbacks.LambdaCallback(on_epoch_end=checkpoint),
    keras.callbacks.CSVLogger(str(folder / "history.csv")),
    keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: (epoch + 1) % every == 0 and print(
        f"epoch {epoch + 1:>3}: g_loss {logs['g_loss']:.3f}, d_loss {logs['d_loss']:.3f}, "
        f"diversity {logs['diversity']:.3f}, ellipse fit {logs['ellipse_iou']:.2f}")),
]
# shuffle=False: the batches bring their own order
history = model.fit(batches, epochs=bw.epochs, shuffle=False, callbacks=callbacks, verbose=0)
print(sorted(p.name for p in folder.iterdir()))

# %% [markdown]
# What the generator drew after some of the epochs, and the losses and the diversity per epoch. A GAN's losses
# do not fall to zero as a classifier's do; they are a contest, and a discriminator loss near 2 · ln 2 ≈ 1.39
# means it cannot tell the two apart. Diversity far below the real images' is mode collapse: the 16 latent
# vectors giving one image.

# %%
show_epochs(folder / "epochs")
plot_history(history, real, f"white ellipses, the tutorial's network, {bw.size} × {bw.size}", "bw_history")

# %% [markdown]
# The section's claims in `blog.py`, checked on what these cells just trained. A claim marked **needs full**
# can only be tested with the post's own settings (50 epochs on 10,000 images): at `tiny` and `quick` the
# number is shown but not judged. The parameter count is judged at any profile, at the profile's image size.

# %%
display(our_claims("bw-ellipses", history, real, generator, discriminator, bw.size))

# %% [markdown]
# At `quick` we saw the samples go from gray to black with a regular grid of white dots after 10 epochs (the
# transposed convolutions' checkerboard), no ellipse yet, and their diversity stay far below the real images'.
#
# The same section at the post's settings, kept in `dcgan/docs/full/bw-ellipses` (50 epochs on 10,000 images
# of 28 × 28, 22 minutes on the 2-core CPU): gray after epoch 1, black from epoch 3 to 7, then white blobs,
# with an ellipse fit of 0.80 to 0.92 from epoch 9 on and 0.89 at the end, against the real ellipses' 0.99. Not
# luck: five seeds at `full` (`python -m dcgan seeds bw-ellipses`, kept in `dcgan/docs/seeds/bw-ellipses/`)
# all end on ellipses, with a fit of 0.85 to 0.90. Its trained generator is kept too: `play.load` reads it,
# and below it draws 16 ellipses from new latent vectors.

# %%
bw_full = FULL / "bw-ellipses"
show_epochs(bw_full / "epochs", epochs=(1, 2, 5, 10, 20, 50))
show(bw_full, "losses", "measures")
display(section(bw_full, "Claims"))
ellipse_maker = play.load(bw_full)
show_images([ellipse_maker.grid(ellipse_maker.draw(16, random_seed=RANDOM_SEED), columns=4)],
            [f"the full run's generator, 16 new latent vectors (random seed {RANDOM_SEED})"], "bw_full_draw", 3.2)

# %% [markdown]
# ## The author's network, on avatars
#
# For the colour ellipses and then the avatars, the author built his own network "after reviewing some tips":
# deeper (four transposed convolutions from a 1/16-size image of 1024 channels, each doubling it), wider,
# weights drawn from N(0, 0.02), LeakyReLU(0.2), batch normalisation in the discriminator too. And he changed
# the optimiser and the targets: Adam at 2e-4 with β₁ 0.5 for both networks, batches of 128, and real images
# labelled 0.9 instead of 1 (one-sided label smoothing: a discriminator never quite sure of the real images
# gives the generator gradients to follow). The training step and the callbacks stay as they are.

# %%
def author_generator(size, channels):
    init = keras.initializers.RandomNormal(0.0, 0.02)
    noise = keras.Input((100,), name="noise")
    q = size // 16                                            # 4 for 64 × 64
    x = layers.Dense(q * q * 1024, use_bias=False)(noise)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Reshape((q, q, 1024))(x)
    for filters in (512, 256, 128):                           # q → 2q → 4q → 8q
        x = layers.Conv2DTranspose(filters, 5, strides=2, padding="same", use_bias=False,
                                   kernel_initializer=init)(x)
        x = layers.BatchNormalization()(x)
        x = layers.LeakyReLU(negative_slope=0.2)(x)
    image = layers.Conv2DTranspose(channels, 5, strides=2, padding="same", activation="tanh",
                                   kernel_initializer=init)(x)  # 8q → 16q = size
    return keras.Model(noise, image, name="author_generator")


# %%
def author_discriminator(size, channels):
    init = keras.initializers.RandomNormal(0.0, 0.02)
    image = keras.Input((size, size, channels), name="image")
    x = image
    for i, filters in enumerate((64, 128, 256)):             # size → size/2 → size/4 → size/8
        x = layers.Conv2D(filters, 5, strides=2, padding="same", kernel_initializer=init)(x)
        if i:                                                 # batch normalisation on the 2nd and 3rd
            x = layers.BatchNormalization()(x)
        x = layers.LeakyReLU(negative_slope=0.2)(x)
        x = layers.Dropout(0.3)(x)
    logit = layers.Dense(1)(layers.Flatten()(x))
    return keras.Model(image, logit, name="author_discriminator")


# %% [markdown]
# The avatars at the profile's size and number: the Cartoon Set's if it is under the data folder, else as many
# stand-in avatars drawn into the notebook's folder.

# %%
cartoon = config.profile("cartoon", PROFILE)
print(cartoon)
avatar_images, avatar_attributes = data.training_images(cartoon, SEED, data.data_source(cartoon), SCRATCH)
print(f"{avatar_images.shape[0]:,} avatars of {avatar_images.shape[1:]};",
      f"{len(avatar_attributes)} attributes each ({', '.join(sorted(avatar_attributes))})")
show_images([media.grid(data.to_tanh_range(avatar_images[:16]))], ["the first 16 training avatars"], "avatar_data")

# %% [markdown]
# The same build, `compile` and `fit` as for the ellipses, with the author's networks, optimiser and
# `real_label`. There is no ellipse fit for faces: `background` is None, and the progress line shows the
# distance to the nearest real avatar instead.

# %%
folder = Path(tempfile.mkdtemp())
reals = data.to_tanh_range(avatar_images[np.random.default_rng(SEED).permutation(len(avatar_images))[:256]])
real = measures.real_measures(reals, cartoon.background)
every = max(1, cartoon.epochs // 5)

keras.utils.set_random_seed(SEED)
generator = author_generator(cartoon.size, cartoon.channels)
discriminator = author_discriminator(cartoon.size, cartoon.channels)
model = GAN(generator, discriminator, real_label=cartoon.real_label)        # 0.9: one-sided label smoothing
model.compile(g_optimizer=keras.optimizers.Adam(cartoon.learning_rate, beta_1=cartoon.beta_1),
              d_optimizer=keras.optimizers.Adam(cartoon.learning_rate, beta_1=cartoon.beta_1))


def checkpoint(epoch, logs):
    if (epoch + 1) % cartoon.checkpoint_every == 0:
        for net in (generator, discriminator):
            net.save(folder / f"epoch_{epoch + 1:03d}_{net.name}.keras")


callbacks = [
    EpochImages(folder / "epochs", fixed_noise, reals, cartoon.background),
    keras.callbacks.LambdaCallback(on_epoch_end=checkpoint),
    keras.callbacks.CSVLogger(str(folder / "history.csv")),
    keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: (epoch + 1) % every == 0 and print(
        f"epoch {epoch + 1:>3}: g_loss {logs['g_loss']:.3f}, d_loss {logs['d_loss']:.3f}, "
        f"diversity {logs['diversity']:.3f}, nearest real {logs['nearest_real']:.3f}")),
]
history = model.fit(gan.GANBatches(avatar_images, None, cartoon.batch_size, SEED), epochs=cartoon.epochs,
                    shuffle=False, callbacks=callbacks, verbose=0)
print(f"generator {generator.count_params():,} + discriminator {discriminator.count_params():,} parameters "
      f"at {cartoon.size} × {cartoon.size}")

# %%
show_epochs(folder / "epochs")
plot_history(history, real, f"avatars, the author's network, {cartoon.size} × {cartoon.size}", "cartoon_history")
display(our_claims("cartoon", history, real, generator, discriminator, cartoon.size))

# %% [markdown]
# `cartoon = replace(cartoon, epochs=15)` before the training cell trains longer (about a minute an epoch at
# `quick` on 2 cores).

# %% [markdown]
# ## All of the above in one command
#
# `experiment.run` does what the cells above did, for one section of the post: the same networks
# (`dcgan/models.py`), the same `DCGAN` and its `train_step` (`dcgan/gan.py`), `compile`, the callbacks and
# `fit` (`dcgan/train.py`). It adds what a long run needs: a run folder under `RUNS` with a backup after every
# epoch, so that `--resume` carries an interrupted run on to the numbers an uninterrupted one would have given;
# both networks at the end, a GIF of the epoch grids, the figures and `report.md` with the claims. It is
# `python -m dcgan cartoon --profile quick` from the command line. Here, the avatars again:

# %%
with brief():  # progress lines: the first and the last two
    cartoon_dir = experiment.run("cartoon", cartoon, out=RUNS, seed=SEED, profile=PROFILE)
print(cartoon_dir, sorted(p.name for p in cartoon_dir.iterdir()))
show_epochs(cartoon_dir / "epochs")
show_gif(cartoon_dir / "training.gif")
show(cartoon_dir, "losses")
display(section(cartoon_dir, "Claims"))

# %% [markdown]
# At `quick` (4 epochs of 32 × 32) this run showed only the start: one gray, face-shaped smudge, the same for
# all 16 latent vectors (diversity 0.017 against the real avatars' 0.21), growing lighter (brightness 0.51 to
# 0.67, the real 0.86) as the generator learns the white background.
#
# ## The full runs: colour ellipses and avatars at 64 × 64
#
# The post's own settings for its last two sections, the author's network on 10,000 images of 64 × 64 for 50
# epochs, take 3 to 5 hours each on a 2-core CPU. The colour ellipses were run on one NVIDIA H100 with
# `KERAS_BACKEND=jax` (196 s), the avatars on a 2-core CPU with TensorFlow (about 5 hours, carried on twice
# with `--resume`), and their small outputs are kept in `dcgan/docs/full/`: the same files as any run folder,
# less the MP4 and most epoch grids, and with the avatars' generator. First the colour ellipses, real and
# after epochs 1, 2, 5, 10, 20 and 50:

# %%
colour_full = FULL / "colour-ellipses"
display(Image(colour_full / "figures" / "real_examples.png", width=256))
show_epochs(colour_full / "epochs", epochs=(1, 2, 5, 10, 20, 50))
show(colour_full, "losses")

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
show_epochs(cartoon_full / "epochs", epochs=(1, 5, 10, 15, 30, 50))
show_gif(cartoon_full / "training.gif")
show(cartoon_full, "losses")

# %% [markdown]
# A pale ghost of one face at epoch 1, faces with hair, eyes and mouths by epoch 5: "face-like images after
# just a few epochs". And in every epoch up to half of the 16 latent vectors give one face, a different one
# each time (a tan face with black hair in 8 of 16 at epoch 5, purple hair in 8 at 10, a striped beanie and
# glasses in 9 at 15): the post's "cycling the style of the face", mode collapse that moves. The diversity
# curve (0.15–0.27 from epoch 5, the real avatars' 0.22) hides it: the other faces, far from the shared one,
# keep the mean pairwise distance high. Look at the grids, not only the numbers.

# %% [markdown]
# ## The post's claims at its own settings
#
# Our trainings above could only show the post's claims, not judge most of them. The full runs' reports judge
# every one: the colour ellipses' and the avatars' (the black-and-white ellipses' are with their run, above).

# %%
for name, run_dir in (("colour-ellipses, full run (GPU)", colour_full), ("cartoon, full run (CPU)", cartoon_full)):
    display(Markdown(f"### {name}"), section(run_dir, "Claims"))

# %% [markdown]
# ## Play: new avatars
#
# `play.load(run_dir)` loads a finished run's generator. `draw(16, random_seed)` draws 16 latent vectors from
# the random seed and turns them into avatars; `walk(a, b, t)` follows the straight line from seed a's latent
# vector to seed b's. A GAN whose neighbouring latent points give neighbouring faces has learnt a smooth
# space of faces rather than a lookup table of the training set. At `tiny` and `quick` every seed draws
# nearly the same image: the generator has not yet left its mode collapse. `play.load()` with no run folder
# loads the post's own: the full run's generator, kept with the suite (in float16, 38 MB). The same random
# seeds, first to the generator this notebook just trained, then to the post's:

# %%
avatar_maker = play.load(cartoon_dir)
post_avatars = play.load()  # dcgan/docs/full/cartoon: 50 epochs on 10,000 avatars of 64 × 64
makers = {"this notebook's": avatar_maker, "the post's full run": post_avatars}
show_images([maker.grid(maker.draw(16, random_seed=RANDOM_SEED)) for maker in makers.values()],
            [f"{name}: 16 avatars from random seed {RANDOM_SEED}" for name in makers], "draw", height=3.2)

for i, (name, maker) in enumerate(makers.items()):
    walk = maker.walk(RANDOM_SEED, RANDOM_SEED + 1, t=np.linspace(0, 1, 8))
    show_images([maker.grid(walk, columns=8)],
                [f"{name}: from seed {RANDOM_SEED}'s latent vector (left) to seed {RANDOM_SEED + 1}'s (right)"],
                f"walk-{i}", 1.8)

# %% [markdown]
# ## Exercises
#
# ### 1. The first attempt, and its white collapse
#
# Train the tutorial's network on unfilled colour ellipses on white and watch the brightness of its samples.
# With the post's settings (`"full"`: 50 epochs, about 4 minutes on 2 cores) the README's run went from gray
# (0.50 after epoch 1) through colours to 0.93 at epochs 40–41 (0.81 at the end), while the 16 samples stayed
# nearly one image.
# It is the GAN, not the seed: five seeds at `full` (`python -m dcgan seeds first-attempt`, kept in
# `dcgan/docs/seeds/first-attempt/`) all end on white, at a brightness of 0.81 to 0.92. At `quick` we saw it only begin: from 0.50 to 0.58 in 10 epochs, a gray then coloured checkerboard. Set
# `EXERCISE_PROFILE = "full"` to see the collapse. (Or do it in the cells above: `data.ellipses(n, size,
# "outline")`, `channels=3`, and `background=1.0` for the ellipse fit.)

# %%
EXERCISE_PROFILE = PROFILE  # "full" shows the white collapse
with brief():
    first_dir = experiment.run("first-attempt", config.profile("first-attempt", EXERCISE_PROFILE), out=RUNS,
                               seed=SEED, profile=EXERCISE_PROFILE)
show_epochs(first_dir / "epochs")
first_history = json.loads((first_dir / "results.json").read_text())["history"]  # every epoch's measures
print("mean brightness per epoch (white = 1):", " ".join(f"{h['brightness']:.2f}" for h in first_history))
display(section(first_dir, "Claims"))

# %% [markdown]
# ### 2. Another random seed
#
# Draw from other random seeds, and walk the great circle between two latent vectors instead of the straight
# line (`spherical=True`: 100 Gaussian numbers lie near a sphere of radius 10, and the straight line's middle
# is nearer the centre, about 7, than the latent vectors the generator was trained on). Then train again with
# another `SEED` in the training cells (or `seed=1` in `experiment.run`): does the collapse come at the same
# epoch?

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
with brief():
    hair_dir = experiment.run("cartoon", hair_settings, out=RUNS, seed=SEED, profile=EXERCISE_PROFILE)
hair = play.load(hair_dir)
print("conditioned on:", hair.attributes)
rows = [hair.draw(8, random_seed=RANDOM_SEED, attributes={"hair_color": h})
        for h in range(hair.attributes["hair_color"])]
show_images([hair.grid(np.concatenate(rows), columns=8)],
            ["rows: hair_color 0 to 9; columns: the same 8 latent vectors"], "hair", height=6)
