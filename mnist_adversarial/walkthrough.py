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
# # My artificial neural networks are not human
#
# A walkthrough of the 2015 post in which a reader of Michael Nielsen's book trains MNIST networks that
# "correctly classify about 98% of the digits in the MNIST test set", and then asks how human they are. They
# are not: noise evolved by a "genetic-ish" algorithm is called a digit with 99.99 % confidence, and a clear
# digit drawn to the edges of the frame is called the wrong digit.
#
# We write the post's code in the cells below, in the post's order: MNIST, the 784-100-10 sigmoid network
# and its 30-neuron sibling, `compile` and `fit`, then the post's two ways of making a digit *for* a network:
# gradient descent on the pixels and the genetic-ish algorithm's generations. Then one command runs every
# experiment of the post (eigen-digits, means of many fooling images, the second GA, hand-drawn digits) and,
# beyond the post, the same against a CNN.
#
# What each profile runs (set `REPRO_PROFILE` before starting the notebook):
#
# | profile | what it runs | time on a 2-core CPU |
# |---|---|---|
# | `tiny` | 2,000 training images, one epoch, 3 GA generations: checks that everything runs | a few minutes |
# | `quick` | all 50,000 training images, 3 epochs, up to 100 GA generations | 4 min 6 s (measured, 2-core CPU) |
# | `full` | the post's settings: 60 epochs, up to 1000 GA generations, means of 1000 GA images | most of an hour: the README times the experiments at 7 (networks), 31 (means), 6 (second GA) and 8 (transfer) minutes |
#
# At `tiny` and `quick` the networks are far from the post's 98 %, so the images below are only the shape of
# the post's results; `full` gives the post's numbers (the package's README shows a full run, and its figures
# are shown beside ours below).

# %%
import sys; sys.path.insert(0, "..")  # the suite: this notebook sits in one of its post folders
from shared.notebook import PROFILE, RUNS, brief, section, show  # not found? open it from a checkout (make lab)

# %%
import json
import tempfile
from dataclasses import replace
from pathlib import Path

import keras
import numpy as np
from keras import ops
from IPython.display import Image, Markdown, display

from mnist_adversarial import blog, experiment, figures, image_stats, play
from mnist_adversarial.config import NETWORKS, PROFILES
from mnist_adversarial.data import centre_like_mnist, load, one_hot, stretch_to_edges
from mnist_adversarial.report import markdown_table
from shared.figures import plt, save
from shared.report import claims_table, compare

settings = PROFILES[PROFILE]
SEED = 0
SCRATCH = Path(tempfile.mkdtemp())  # the notebook's own files (the runs keep theirs in their folders)
DOCS = Path("mnist_adversarial/docs")  # the README's figures, and the kept full run under full/


def show_digits(images, titles, name, columns=10, invert=True, suptitle=None):
    """Draw 28 × 28 images in a grid (as the post does: 1 − pixel, dark ink on paper) and show it."""
    display(Image(figures.grid(images, titles, SCRATCH / f"{name}.png", columns=columns, invert=invert,
                               suptitle=suptitle)))


def top_two(outputs):
    """'7' 98.1 %, '9' 1.2 %: a network's two highest outputs."""
    best = np.argsort(outputs)[::-1][:2]
    return ", ".join(f"'{d}' {100 * outputs[d]:.1f} %" for d in best)


def experiment_table(run_dir):
    """A run's own tables from its report.md: what comes before the post's claims."""
    text = (Path(run_dir) / "report.md").read_text()
    body = text.split("\n\n", 2)[2]  # after the title and the line naming the profile
    return Markdown(body.split("## The post's claims beside ours")[0].split("\n![")[0].strip())


# %% [markdown]
# ## The idea
#
# The author had trained Nielsen's networks, which "correctly classify about 98% of the digits", and wondered
# what a digit made *by* a network would look like. Three ways in, in the post's order:
#
# 1. **Eigen-digits**: the principal components of the training images, "ghostly but recognisable"; the post
#    got "to 70% classification accuracy with them" (it does not say how: we use the nearest class mean).
# 2. **Gradient descent on the pixels**: start from a random image and walk its pixels down the network's
#    cost for the wanted digit, the weights held fixed. Nine digits reached 96 % to 99.8 %; the '1'
#    "spectacularly failed to converge, with no output neuron firing past 12%".
# 3. **A genetic-ish algorithm** (after Nguyen et al., "Deep neural networks are easily fooled"): breed a
#    population of noisy images until the network is sure: "It often returned images which the network
#    classified with 'probability' greater than 99.99%". None of them looks like a digit.
#
# Then the other way round: a clear digit drawn to the frame's edges is misread, because MNIST's digits
# always sit in a 20 × 20 box with a clear border. Where we differ: the CNN is ours (the post had only the
# sigmoid networks), and the post drew its digits with a mouse, where we render them from a font and stretch
# test digits instead.
#
# The cells below write out the post's networks, their training and the two ways of making a digit (2 and 3);
# the eigen-digits and the rest come from the one-command run after them.

# %% [markdown]
# ## The data
#
# MNIST: 28 × 28 grey-level digits, 60,000 for training and 10,000 for testing, pixels scaled to [0, 1]
# and flattened to 784 numbers. As in the book, the networks train on the first 50,000 training images and
# are validated on the last 10,000 (the profile takes the first `n_train` and `n_val` of each). The digits
# are white ink on black; like the post, we draw every image as 1 − pixel, dark ink on light paper.

# %%
(x_all, y_all), (x_test, y_test) = load(limit_test=settings.n_test)
x_train, y_train = x_all[:settings.n_train], y_all[:settings.n_train]            # the book's training set
x_val, y_val = x_all[50000:][:settings.n_val], y_all[50000:][:settings.n_val]  # its validation set
print(f"MNIST: {x_all.shape} training images, {x_test.shape} test images, pixels in "
      f"[{x_all.min():g}, {x_all.max():g}]")
print(f"profile {PROFILE}: {len(x_train):,} images train the networks, {len(x_val):,} validate them")
show_digits(x_train[:20], [f"label {y}" for y in y_train[:20]], "mnist")

# %% [markdown]
# Every digit sits inside a clear border: MNIST fitted each digit's ink in a 20 × 20 box and centred it by
# its centre of mass in the 28 × 28 frame. Keep that in mind for the play section.

# %% [markdown]
# ## The model
#
# Nielsen's chapter-3 network, as the post used it: 784 inputs, 100 sigmoid hidden neurons, 10 sigmoid
# outputs (ten independent "probabilities", not a softmax), and its sibling with 30 hidden neurons. The cost
# is the cross-entropy summed over the ten outputs (the book's C), with L2 regularisation λ = 5 scaled by the
# training-set size n, and plain SGD with η = 0.1. The weights start N(0, 1/√fan-in) and the biases N(0, 1):
# the book's improved initialisation.

# %%
def build(name, eta=0.1, lmbda=5.0, n_train=50000):
    # "mlp100" is the post's 784-100-10, "mlp30" its 784-30-10 sibling
    if name not in ("mlp100", "mlp30"):
        raise ValueError(f"{name}: the post's networks are mlp100 and mlp30 (the CNN is models.cnn)")
    hidden = int(name[3:])

    def nielsen_cost(y_true, y_pred):
        # the book's cross-entropy of sigmoid outputs, summed over the ten outputs, per image
        p = ops.clip(y_pred, keras.config.epsilon(), 1 - keras.config.epsilon())
        return -ops.sum(y_true * ops.log(p) + (1 - y_true) * ops.log(1 - p), axis=-1)

    reg = keras.regularizers.L2(lmbda / (2 * n_train))  # its gradient is λ/n · w, as in the book
    model = keras.Sequential([
        keras.Input(shape=(784,)),                                                  # the 28 × 28 pixels
        keras.layers.Dense(hidden, activation="sigmoid", kernel_regularizer=reg,
                           kernel_initializer=keras.initializers.RandomNormal(stddev=1 / float(np.sqrt(784))),
                           bias_initializer=keras.initializers.RandomNormal(stddev=1.0), name="hidden"),
        keras.layers.Dense(10, activation="sigmoid", kernel_regularizer=reg,        # one neuron per digit
                           kernel_initializer=keras.initializers.RandomNormal(stddev=1 / float(np.sqrt(hidden))),
                           bias_initializer=keras.initializers.RandomNormal(stddev=1.0), name="output"),
    ], name=name)
    # mini-batches of 10 are tiny: 500 of them per call into the backend keeps the steps fast
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=eta), loss=nielsen_cost,
                  metrics=["categorical_accuracy"], steps_per_execution=500, jit_compile=False)
    return model


# %% [markdown]
# The post's network has 784 · 100 + 100 weights and biases into the hidden layer and 100 · 10 + 10 out of it:

# %%
mlp = build("mlp100", eta=settings.eta, lmbda=settings.lmbda, n_train=len(x_train))
mlp.summary()

# %% [markdown]
# ## Training the post's two networks
#
# Keras' own `fit`, with the book's recipe: mini-batches of 10, the training images shuffled every epoch, the
# validation images scored after each epoch. Every epoch is logged to a CSV file (`CSVLogger`), and a line is
# printed every `settings.log_every` epochs. Each network has its own seed (the seed plus its place in the
# list of networks), as in the package's `train.py`. The profile sets the epochs: 1 at `tiny`, 3 at `quick`,
# the post's 60 at `full`. Change `epochs` or the hidden sizes in `build` and rerun the cells below.

# %%
folder = Path(tempfile.mkdtemp())  # the CSV logs
nets, histories = {}, {}
for name in ("mlp100", "mlp30"):
    keras.utils.set_random_seed(SEED + NETWORKS.index(name))  # the same start every time the cell runs
    model = build(name, eta=settings.eta, lmbda=settings.lmbda, n_train=len(x_train))
    epochs = settings.epochs
    callbacks = [
        keras.callbacks.CSVLogger(str(folder / f"{name}.csv")),
        keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs, name=name, epochs=epochs: (
            epoch == 0 or (epoch + 1) % settings.log_every == 0) and print(
            f"[{name}] epoch {epoch + 1}/{epochs}: loss {logs['loss']:.3f}, validation accuracy "
            f"{100 * logs['val_categorical_accuracy']:.2f} %")),
    ]
    history = model.fit(x_train, one_hot(y_train), batch_size=settings.batch, epochs=epochs, shuffle=True,
                        validation_data=(x_val, one_hot(y_val)), callbacks=callbacks, verbose=0)
    nets[name], histories[name] = model, history.history

# %% [markdown]
# ## Test accuracy
#
# Each network's answer is its highest output. The post's network reaches about 98 % on the 10,000 test
# images with the post's settings (the README's full run: 97.94 %, and 96.45 % for the 30-neuron one); a
# network trained for one or three epochs is well below that.

# %%
test_accuracy = {}
for name, model in nets.items():
    predicted = model.predict(x_test, batch_size=1000, verbose=0).argmax(1)
    test_accuracy[name] = float(np.mean(predicted == y_test))
    print(f"{name}: {model.count_params():,} weights, test accuracy {100 * test_accuracy[name]:.2f} % "
          f"on {len(y_test):,} test images")

fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
for name, h in histories.items():
    epochs_run = np.arange(1, len(h["val_categorical_accuracy"]) + 1)
    ax.plot(epochs_run, 100 * np.array(h["val_categorical_accuracy"]), "o-", label=name)
ax.set(xlabel="epoch", ylabel="validation accuracy (%)", title="The post's networks, trained above")
ax.legend()
display(Image(save(fig, SCRATCH / "validation_accuracy.png")))
mlp100 = nets["mlp100"]  # the network the post fooled


# %% [markdown]
# ## Gradient descent on the pixels
#
# Training walks the weights down the cost's gradient with the images fixed. The post turned this round:
# hold the weights, start from an image of uniform noise, and walk the *pixels* down the gradient of the
# network's cost for the wanted digit, clipping them to [0, 1] after each step. The cost is the one the
# network was compiled with (`model.loss`, the book's cross-entropy above); TensorFlow's `GradientTape` gives
# its gradient with respect to the input. All ten digits descend together, one image each, in one batch.

# %%
def descend(model, digits, steps, rate, rng):
    # images (len(digits), 784) after `steps` steps of size `rate` from uniform noise
    if keras.backend.backend() != "tensorflow":  # on JAX: the package's version, with jax.grad
        from mnist_adversarial import descent
        return descent.descend(model, digits, steps, rate, rng)
    import tensorflow as tf

    digits = np.asarray(digits)
    x = rng.random((len(digits), 784), dtype="float32")   # the starting noise
    y = np.eye(10, dtype="float32")[digits]               # the output we want: one-hot
    for _ in range(steps):
        pixels = tf.convert_to_tensor(x)
        with tf.GradientTape() as tape:
            tape.watch(pixels)                            # the pixels are the variables; the weights stay
            cost = tf.reduce_sum(model.loss(y, model(pixels, training=False)))
        x = np.clip(x - rate * tape.gradient(cost, pixels).numpy(), 0.0, 1.0).astype("float32")
    return x


# %% [markdown]
# `settings.descent_steps` steps of `settings.descent_rate` (0.1): 5 steps at `tiny`, 300 at `quick`, the
# post's 1000 at `full`. Each title is the network's output for its digit. With the post's settings the
# README's run had nine digits above 99 % and the '1' at 0.0 %, as the post found. At `tiny` the few steps
# leave every digit far from sure; at `quick` (300 steps, a network of 3 epochs) we saw the post's network
# take nine digits to about 99 % and the '1' lag behind at 95 %.

# %%
digits = np.asarray(settings.digits)
made_by_descent = descend(mlp100, digits, settings.descent_steps, settings.descent_rate,
                          np.random.default_rng(SEED))
out = mlp100.predict(made_by_descent, verbose=0)
descent_confidence = out[np.arange(len(digits)), digits]
show_digits(made_by_descent, [f"'{d}': {100 * c:.1f} %" for d, c in zip(digits, descent_confidence)],
            "descent", suptitle=f"Gradient descent on the pixels, {settings.descent_steps} steps, mlp100")
print(f"{int((descent_confidence >= 0.96).sum())} of {len(digits)} digits at 96 % or more; the network's "
      f"top answer for each: {out.argmax(1).tolist()}")


# %% [markdown]
# ## The genetic-ish algorithm
#
# The post's Rcpp `kinda_genetic_digit`, after Nguyen et al. Its pixels are drawn from the wanted digit's
# intensity histogram: the share of the digit's training pixels in each of 10 bins of brightness (most are
# black, a few white, some grey). The '2''s histogram:

# %%
histograms = np.stack([image_stats.histogram(x_all[y_all == d]) for d in range(10)])  # (digit, bin)
print("shares of a '2''s pixels in the bins (0, 0.1], ..., (0.9, 1]:", np.round(histograms[2], 3).tolist())


# %% [markdown]
# One run, step by step:
#
# 1. A population of `n_total` (100) images, every pixel drawn from the histogram: a bin by its share, then
#    a value uniform inside the bin.
# 2. Each generation, rank the images by the cost Σ |output − one-hot target| over the ten outputs; stop
#    when the best is below `tol`, or after `max_iter` generations.
# 3. Otherwise keep the best `n_selected` (10) as parents and replace the *whole* population (no elitism, as
#    in the post) by children: each child picks two distinct parents and takes every pixel from one or the
#    other (a fair coin per pixel).
# 4. Each pixel of a child then mutates, with probability min(0.5, 0.01 · |best cost| · `mutate_factor`), to
#    a new draw from the histogram. The rate shrinks as the population gets close.
#
# `score` is the network: images (N, 784) in, outputs (N, 10) out.

# %%
def kinda_genetic_digit(score, digit, histogram, rng, n_total=100, n_selected=10, max_iter=1000, tol=1e-4,
                        mutate_factor=1.0):
    # the best image, its cost and the generation the run stopped at
    cumul = np.cumsum(np.asarray(histogram, dtype="float64"))
    cumul[-1] = 1.0

    def draw(n):  # n pixels from the histogram: a bin by its share, then uniform inside it
        bins = np.minimum(np.searchsorted(cumul, rng.random(n), side="right"), 9)
        return ((bins + rng.random(n, dtype="float32")) / 10).astype("float32")

    target = np.eye(10, dtype="float32")[digit]
    pop = draw(n_total * 784).reshape(n_total, 784)
    costs = np.abs(score(pop) - target).sum(-1)
    for generation in range(max_iter + 1):
        order = np.argsort(costs, kind="stable")[:n_selected]   # the best first
        best = costs[order[0]]
        if best < tol or generation == max_iter:
            return pop[order[0]], best, generation
        parents = pop[order]
        first = rng.integers(0, n_selected, size=n_total)       # two distinct parents per child
        second = (first + rng.integers(1, n_selected, size=n_total)) % n_selected
        take_first = rng.random((n_total, 784), dtype="float32") < 0.5
        children = np.where(take_first, parents[first], parents[second])
        rate = min(0.5, 0.01 * abs(best) * mutate_factor)
        mutate = rng.random((n_total, 784), dtype="float32") < rate
        if mutate.any():
            children[mutate] = draw(int(mutate.sum()))
        pop = np.clip(children, 0.0, 1.0)
        costs = np.abs(score(pop) - target).sum(-1)


# %% [markdown]
# One run per digit against the post's network, with the profile's settings (stop at cost <
# `settings.ga_tol`, at most `settings.ga_max_iter` generations: 3 at `tiny`, 100 at `quick`, the post's
# 1000 at `full`). As the package does, a digit left below 99.99 % runs again with the post's
# `mutate_factor` knob raised (`settings.ga_retry_mutate_factor`, 10), and keeps the better image.
# Titles: the network's output for the digit, and the generations run.

# %%
def score(images):
    return keras.ops.convert_to_numpy(mlp100(images, training=False))


rng = np.random.default_rng(SEED)
ga_images, ga_generations = [], []
for d in digits:
    image, cost, gens = kinda_genetic_digit(score, d, histograms[d], rng, settings.ga_population,
                                            settings.ga_selected, settings.ga_max_iter, settings.ga_tol)
    if score(image[None])[0, d] < 0.9999 and settings.ga_retry_mutate_factor:
        again = kinda_genetic_digit(score, d, histograms[d], rng, settings.ga_population, settings.ga_selected,
                                    settings.ga_max_iter, min(settings.ga_tol, 1e-4),
                                    settings.ga_retry_mutate_factor)
        if score(again[0][None])[0, d] > score(image[None])[0, d]:
            image, cost, gens = again
    ga_images.append(image)
    ga_generations.append(gens)
ga_images = np.stack(ga_images)
ga_confidence = score(ga_images)[np.arange(len(digits)), digits]
show_digits(ga_images, [f"'{d}': {100 * c:.3f} %\n{g} gen." for d, c, g in
                        zip(digits, ga_confidence, ga_generations)],
            "genetic", suptitle="The genetic-ish algorithm against mlp100, drawn as 1 − pixel")

# %% [markdown]
# Scattered ink on an empty page, hardly a stroke: nothing a person would call a digit, whatever the network
# says. With the post's settings nine digits of ten pass 99.99 % against the post's network, eight within
# 15 generations; the '1' stays at 99.989 % even with the mutation knob raised (the README's full run, its
# figure below). Whether the last digit passes is the seed's call: over five seeds (the README's seed study)
# the lowest of the ten ends between 99.986 and 99.992 %, above 99.99 % in two.

# %%
display(Image(DOCS / "full" / "genetic" / "figures" / "genetic_mlp100.png"))

# %% [markdown]
# ## The post's numbers beside ours
#
# The post's claims (`blog.py`), checked on the networks, descents and GA images made above. A claim that only
# the post's own settings can test reads **needs full** at `tiny` and `quick`: a network trained for one or
# three epochs is not the post's network, so its numbers are not the post's to compare. Claims about the CNN
# and about the first generation at 99.99 % are measured by the one-command run below.

# %%
ours = {
    "networks": {name: {"test_accuracy": acc} for name, acc in test_accuracy.items()},
    "descent": {"mlp100": {"digits": digits.tolist(), "confidence": descent_confidence.tolist()}},
    "genetic": {"mlp100": {"digits": digits.tolist(), "confidence": ga_confidence.tolist()}},
}
rows = [row for part, results in ours.items() for row in compare(blog.CLAIMS[part], results, PROFILE)
        if row["key"] not in ("ga_9999_cnn", "nguyen_50")]
display(Markdown(claims_table(rows)))

# %% [markdown]
# ## All of the above in one command, and the rest of the post
#
# `experiment.run_all` does what the cells above did, with run folders, resume and a report per experiment:
# it trains the three networks (the two above with the same seeds, `compile` and `fit`, in
# `mnist_adversarial/train.py`, plus a LeNet-style CNN: two 5 × 5 convolutions with pooling, a dense layer
# of 100, softmax, Adam), then runs every experiment of the post against them, in the post's order: `pca`
# (eigen-digits), `descent`, `genetic` (many runs side by side in one batch, `genetic.py`), `mean` (the mean
# of many GA images), `stats` (the second GA, with image statistics in its cost), `drawn` (digits drawn to the
# edges), and `transfer` (beyond the post: do fooling images fool the other networks?). Each can also be run
# alone, as `python -m mnist_adversarial genetic --profile quick` or `experiment.run("genetic", ...)`.

# %%
with brief():  # progress lines: the first and the last two
    run_dirs = dict(zip(experiment.EXPERIMENTS,
                        experiment.run_all(settings, out=RUNS, seed=SEED, profile=PROFILE)))
nets_dir = run_dirs["networks"]

# %% [markdown]
# ### The networks
#
# The run trained the same two sigmoid networks as the lesson above (same data, seeds and settings, so the
# same test accuracies), and the CNN. Another seed changes little here: at `full`, five seeds (the README's
# seed study, `python -m mnist_adversarial seeds networks`) give the 784-100-10 network 97.65–97.94 % and
# the 784-30-10 one 96.35–96.67 %. What the seed does change is below, in the GA's last decimal.

# %%
display(experiment_table(nets_dir))
show(nets_dir, "validation_accuracy")

# %% [markdown]
# ### Eigen-digits
#
# The 784 × 784 covariance matrix of the mean-centred training images; its eigenvectors in order of
# eigenvalue, each rescaled to [0, 1], are the eigen-digits. The second figure classifies test digits by the
# nearest class mean in the space of the first k components (the dashed line is the post's 70 %). With the
# post's settings: 64 % with 5 components, 75 % with 10, 82 % from 50 on (the README).

# %%
display(experiment_table(run_dirs["pca"]))
show(run_dirs["pca"], "eigen_digits", "pca_accuracy")

# %% [markdown]
# ### Gradient descent and the GA, against both networks
#
# The package's descent and GA, against the post's network and the CNN. With the post's settings the CNN
# makes all ten digits by descent, the '1' included (the README's full run).

# %%
display(experiment_table(run_dirs["descent"]))
show(run_dirs["descent"], "descent_*")
display(experiment_table(run_dirs["genetic"]))
show(run_dirs["genetic"], "genetic_*")

# %% [markdown]
# ### The mean of many fooling images
#
# The post averaged a thousand GA '2's ("not obviously a '2', but you can sort of see it") and left the other
# digits for lack of compute; the run averages `settings.mean_count` GA images of every digit (2 at `tiny`,
# 50 at `quick`, 1000 at `full`). Averaging cancels the noise and leaves the strokes the network rewards.
# Ours, then the README's full run:

# %%
display(experiment_table(run_dirs["mean"]))
show(run_dirs["mean"], "mean_*")
display(Image(DOCS / "full" / "mean" / "figures" / "mean_mlp100.png"))

# %% [markdown]
# ### The second GA: image statistics in the cost
#
# The post's second GA adds to the cost the mismatch between a candidate's statistics and the digit's: for
# lags k = 1 … 14, the mean |pixel − pixel k further| along x and along y (the author's "variograms").
# The per-digit statistics, then some '2's it made and their mean; with the post's settings the mean of 1000
# is a '2' to the network and to the eye (the README).

# %%
display(experiment_table(run_dirs["stats"]))
show(run_dirs["stats"], "digit_stats", "stats_twos")

# %% [markdown]
# ### Hand-drawn digits, and transfer
#
# Digits rendered from a font: stretched to the frame's edges as the author drew, fitted in 20 × 20 and
# centred as MNIST's are, and the centred '2' on a scrambled background. Then, beyond the post, GA images
# made against one network shown to every network.

# %%
display(experiment_table(run_dirs["drawn"]))
show(run_dirs["drawn"], "drawn", "stretched_test_digits")
display(experiment_table(run_dirs["transfer"]))

# %% [markdown]
# ### The post's claims beside the run's
#
# Each run's report.md ends with the post's claims, each checked against the run (the transfer experiment is
# ours, with no claim of the post's).

# %%
for name, run_dir in run_dirs.items():
    if blog.CLAIMS.get(name):
        claims = section(run_dir, "The post's claims beside ours").data.split("\n![")[0]  # the figures are above
        display(Markdown(f"#### {name}\n\n{claims}"))

# %% [markdown]
# ## Play: a digit from the test set, and the same digit stretched
#
# `play.load` gives the networks of a finished run; `classify(image)` returns each network's ten outputs for
# a 28 × 28 image in [0, 1]. We take a test digit, stretch its ink to the edges of the frame (as the author
# drew his digits with a mouse), and then prepare the stretched digit as MNIST prepared its digits
# (`centre_like_mnist`: the ink fitted in 20 × 20, centred by mass) with `centre=True`. The digit shown is
# the first test digit that the post's network reads right as it is and wrong stretched (the first test digit
# if there is none).

# %%
classifiers = play.load(nets_dir)


def called(image, centre=False):
    return int(np.argmax(classifiers.classify(image, centre=centre)["mlp100"]))


i = next((i for i in range(len(x_test)) if called(x_test[i].reshape(28, 28)) == y_test[i]
          and called(stretch_to_edges(x_test[i].reshape(28, 28))) != y_test[i]), 0)
digit = x_test[i].reshape(28, 28)
stretched = stretch_to_edges(digit)
cases = {"test digit": classifiers.classify(digit),
         "stretched to the edges": classifiers.classify(stretched),
         "stretched, then centred": classifiers.classify(stretched, centre=True)}
show_digits([digit, stretched, centre_like_mnist(stretched)],
            [f"test digit {i}: '{y_test[i]}'", "stretched", "stretched, then centred"], "play", columns=3)
display(Markdown(markdown_table(["image"] + [f"{n}: top two outputs" for n in classifiers.names],
                                [[label] + [top_two(out[n]) for n in classifiers.names]
                                 for label, out in cases.items()])))

# %% [markdown]
# One digit is an anecdote. Here are the first 500 test digits: each network's accuracy on them as they are,
# stretched to the edges, and stretched then centred; the networks trained in this notebook, and beside them
# the post's own, trained at its settings and kept with the suite (`play.load()` with no run folder opens
# `mnist_adversarial/docs/full/networks`).

# %%
n = min(500, len(x_test))
as_drawn = x_test[:n].reshape(-1, 28, 28)
to_edges = np.stack([stretch_to_edges(im) for im in as_drawn])
recentred = np.stack([centre_like_mnist(im) for im in to_edges])


def accuracy(model, images):
    return np.mean(model.predict(images.reshape(-1, 784), verbose=0).argmax(1) == y_test[:n])


post_classifiers = play.load()
display(Markdown(markdown_table(
    ["network", "trained", "as drawn", "stretched to the edges", "stretched, then centred"],
    [[name, trained] + [f"{100 * accuracy(model, imgs):.1f} %" for imgs in (as_drawn, to_edges, recentred)]
     for trained, found in (("in this notebook", classifiers), ("the post's settings, kept", post_classifiers))
     for name, model in found.models.items()])))

# %% [markdown]
# The same ink, three framings. A person reads them alike; a network trained only on digits with a clear
# border has never seen ink at the edges. With the post's settings the README's run stretched every test
# digit: the post's network fell from 97.9 % to 33.6 %, the CNN from 99.2 % to 60.9 %. Centring brings much
# of it back, though not all: stretching also changed the digit's proportions (a slanted '1' becomes a thick
# diagonal bar), and centring keeps them. The post's guess, "I drew to the edge of the image, instead of
# keeping a clear border like there is in most of the training images", is what the last column tests.

# %% [markdown]
# ## Exercises
#
# ### 1. Raise the GA's mutation factor
#
# The mutation rate min(0.5, 0.01 · |best cost| · mutate_factor) shrinks with the cost, so a population
# close to the target stops changing: with the post's settings the '1' stalls below 99.99 %. Run
# `kinda_genetic_digit` from above on the '1' and the '4' against the network trained in this notebook with
# larger factors, and see how many generations each takes (at `full` give it a minute or two; `max_iter`
# caps the generations).

# %%
for factor in (1.0, 10.0, 30.0):
    rng = np.random.default_rng(SEED)
    for d in (1, 4):
        image, cost, gens = kinda_genetic_digit(score, d, histograms[d], rng, max_iter=settings.ga_max_iter,
                                                tol=1e-4, mutate_factor=factor)
        print(f"mutate_factor {factor:g}: '{d}' {100 * score(image[None])[0, d]:.4f} % after {gens} generations")

# %% [markdown]
# ### 2. Fool the CNN instead of the MLP
#
# The GA images of the run were made against each network. Are the images made against the post's network
# also called digits by the CNN? And does gradient descent make a '1' for the CNN, where the sigmoid network
# fails with the post's settings? Start from here; then try more descent steps (`descent_steps`) or other digits.

# %%
genetic_dir = run_dirs["genetic"]
made = np.load(genetic_dir / "ga_images.npz")["mlp100"]
targets = json.loads((genetic_dir / "results.json").read_text())["mlp100"]["digits"]
for d, image in zip(targets, made):
    out = classifiers.classify(image)
    print(f"made for '{d}' against mlp100 | mlp100: {top_two(out['mlp100'])} | cnn: {top_two(out['cnn'])}")

cnn_only = replace(settings, ga_networks=("cnn",), digits=(1,))
with brief():
    cnn_descent = experiment.run("descent", cnn_only, out=RUNS, seed=SEED, networks=nets_dir)
show(cnn_descent, "descent_*")

# %% [markdown]
# ### 3. Draw your own digit
#
# An image is a 28 × 28 array in [0, 1], white ink on black. Here is a '7' drawn with NumPy to the edges of
# the frame, as one draws with a mouse. Classify it as it is and centred like MNIST; then draw your own
# (a '1' is one line; try a thin and a thick one, small and large) and see which framing each network needs.

# %%
seven = np.zeros((28, 28), "float32")
seven[1:4, 1:27] = 1.0                      # the top bar, edge to edge
for row in range(4, 27):                    # the stroke down to the bottom left
    col = int(round(25 - (row - 4) * 16 / 22))
    seven[row, col - 1:col + 2] = 1.0
show_digits([seven, centre_like_mnist(seven)], ["my '7'", "centred like MNIST"], "seven", columns=2)
for centre in (False, True):
    out = classifiers.classify(seven, centre=centre)
    print(("centred:   " if centre else "as drawn:  ")
          + " | ".join(f"{n}: {top_two(out[n])}" for n in classifiers.names))
