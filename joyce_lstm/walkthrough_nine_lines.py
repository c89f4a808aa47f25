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
# # A neural network in 9 lines of Python
#
# A walkthrough of the "Simple Neural Network in 9 lines of Python" on the same page as the Joyce LSTM. The
# author ran the famous nine lines (one sigmoid neuron, three inputs, trained on four examples) and then
# asked his family what the answer for a new input should be. His 8-year-old daughter "quickly pointed
# out that Inputs 2 and 3 didn't matter and that the output only depended on Input 1"; others saw a
# logical AND of Inputs 1 and 3, which would answer 0. The network answers 0.99993704. Who is right? Here
# we run the nine lines, the same network in Keras, and then change the training data to see what decides
# the answer.
#
# Run time: about half a minute on a 2-core CPU at every profile, most of it starting TensorFlow. The
# notebook has no profile to speak of: the nine lines train in well under a second, so the post's network
# is trained in full (10,000 iterations) every time, and `REPRO_PROFILE` changes nothing here.

# %%
import sys; sys.path.insert(0, "..")  # the suite: this notebook sits in one of its post folders
from shared.notebook import PROFILE, RUNS, brief, section, show  # not found? open it from a checkout (make lab)

# %%
from shared import runtime

runtime.setup(seed=0)  # the same random draws every time (Keras itself was set up by the cell above)

import inspect
import itertools
import tempfile
from pathlib import Path

import numpy as np
from IPython.display import Code, Image, Markdown, display

from joyce_lstm import nine_lines
from shared.figures import plt, save
from shared.report import markdown_table

SCRATCH = Path(tempfile.mkdtemp())  # the notebook's figures


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# %% [markdown]
# ## The nine lines, as posted
#
# The post's code is Python 2:
#
# ```python
# from numpy import exp, array, random, dot
# training_set_inputs = array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]])
# training_set_outputs = array([[0, 1, 1, 0]]).T
# random.seed(1)
# synaptic_weights = 2 * random.random((3, 1)) - 1
# for iteration in xrange(10000):
#     output = 1 / (1 + exp(-(dot(training_set_inputs, synaptic_weights))))
#     synaptic_weights += dot(training_set_inputs.T, (training_set_outputs - output) * output * (1 - output))
# print 1 / (1 + exp(-(dot(array([1, 0, 0]), synaptic_weights))))
# ```
#
# and "The output: [0.99993704]". Below are the same nine lines in Python 3: `range` for `xrange`, and
# `print(...)` as a function. Nothing else changes.

# %%
from numpy import exp, array, random, dot
training_set_inputs = array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]])
training_set_outputs = array([[0, 1, 1, 0]]).T
random.seed(1)
synaptic_weights = 2 * random.random((3, 1)) - 1
for iteration in range(10000):
    output = 1 / (1 + exp(-(dot(training_set_inputs, synaptic_weights))))
    synaptic_weights += dot(training_set_inputs.T, (training_set_outputs - output) * output * (1 - output))
print(1 / (1 + exp(-(dot(array([1, 0, 0]), synaptic_weights)))))

# %% [markdown]
# ## What each line does
#
# | line | what it does |
# |---|---|
# | 1 | NumPy's exponential, arrays, random numbers and dot product |
# | 2 | the four training examples, one per row: three inputs each |
# | 3 | their answers, as a column (`.T`): 0, 1, 1, 0 |
# | 4 | a fixed random seed, so that every run starts from the same weights |
# | 5 | three weights, one per input, drawn uniformly from [−1, 1); there is **no bias** |
# | 6 | 10,000 training iterations, each on all four examples at once |
# | 7 | the neuron's output for every example: the sigmoid of the weighted sum of its inputs |
# | 8 | the delta rule: each weight moves by its input times the error (y − o) times the sigmoid's slope o·(1 − o), summed over the examples. This is gradient descent, with step 1, on half the summed squared error ½·Σ(y − o)² |
# | 9 | the trained neuron's output for the new situation [1, 0, 0] |
#
# The training data and the new situation, with what the trained neuron says to each:

# %%
table = nine_lines.truth_table()
answers = sigmoid(np.vstack([nine_lines.INPUTS, nine_lines.NEW]) @ synaptic_weights)[:, 0]
display(Markdown(markdown_table(["", "Input 1", "Input 2", "Input 3", "Output", "the network"],
                                [row + [f"{a:.5f}"] for row, a in zip(table, answers)])))
print("weights:", synaptic_weights.ravel())
assert str(answers[-1:]) == nine_lines.POSTED == "[0.99993704]"

# %% [markdown]
# How the network got there: the three weights, and its answer for [1, 0, 0], over the 10,000 iterations.
# The weight of Input 1 grows, the weight of Input 3 (always 1 in the training data) falls, and the
# weight of Input 2 ends near zero.

# %%
def delta_rule(inputs, outputs, iterations=10000, seed=1):
    """The nine lines as a function of the training data: the final weights and their history."""
    random.seed(seed)
    weights = 2 * random.random((inputs.shape[1], 1)) - 1
    history = []
    for _ in range(iterations):
        output = sigmoid(inputs @ weights)
        weights += inputs.T @ ((outputs - output) * output * (1 - output))
        history.append(weights[:, 0].copy())
    return weights, np.array(history)


weights, history = delta_rule(nine_lines.INPUTS, nine_lines.OUTPUTS)
assert np.array_equal(weights, synaptic_weights)  # the same arithmetic as the nine lines

steps = np.arange(1, len(history) + 1)
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")
for i in range(3):
    left.plot(steps, history[:, i], label=f"Input {i + 1}")
left.set_xscale("log")
left.set_xlabel("iteration")
left.set_ylabel("weight")
left.set_title("The weights", fontsize=9)
left.legend(fontsize=8)
right.plot(steps, sigmoid(history @ nine_lines.NEW), color="#c44e52")
right.set_xscale("log")
right.set_xlabel("iteration")
right.set_ylabel("output for [1, 0, 0]")
right.set_title("The answer for the new situation", fontsize=9)
for ax in (left, right):
    ax.grid(alpha=0.3)
display(Image(save(fig, SCRATCH / "weights.png")))

# %% [markdown]
# ## The same network in Keras
#
# One `Dense(1, activation="sigmoid", use_bias=False)` unit is the same neuron. `nine_lines.keras_network`
# gives it the nine lines' starting weights and trains it with Keras' SGD on all four examples per step,
# 10,000 steps. Keras' summed squared error Σ(y − o)² has twice the gradient of the delta rule's
# ½·Σ(y − o)², so a learning rate of 0.5 takes the very same steps. Computing in float64, it ends on the
# same weights.

# %%
display(Code(inspect.getsource(nine_lines.keras_network), language="python"))

# %%
keras_answer, keras_weights = nine_lines.keras_network()
display(Markdown(markdown_table(["", "prediction for [1, 0, 0]", "weight 1", "weight 2", "weight 3"], [
    ["the post", nine_lines.POSTED, "", "", ""],
    ["NumPy (the nine lines)", str(answers[-1:]), *(f"{w:.6f}" for w in synaptic_weights[:, 0])],
    ["Keras (Dense(1, sigmoid), no bias)", str(keras_answer), *(f"{w:.6f}" for w in keras_weights[:, 0])],
])))
print(f"largest weight difference NumPy vs Keras: {np.abs(keras_weights - synaptic_weights).max():.1e}")

# %% [markdown]
# ## The daughter's point: the training data decides, or cannot
#
# In the four examples the output is always Input 1. Input 2 varies and never matters; Input 3 is 1 in
# every example. So two rules explain the training data equally well:
#
# * the daughter's: **output = Input 1**, which answers 1 for [1, 0, 0];
# * the AND gate: **output = Input 1 AND Input 3**, which answers 0.
#
# The data cannot choose between them: they differ only where Input 3 is 0, and no example has that. The
# network answers 0.99994, and the weights above say why. It has no bias of its own, so it uses Input 3,
# always 1, as one: a weight of −4.6 that pulls every training answer down. At [1, 0, 0] that input is
# switched off, so the network is *more* sure there (0.99994) than on any example it was trained on
# (0.9921 and 0.9936 for the two ones). Its confidence comes from the network's design, not from the data.
#
# Now let the data decide. Below, the same training (`delta_rule`, the nine lines' arithmetic) on other
# training sets:
#
# * **one more example with Input 3 off**, [1, 1, 0], answered 1 (the daughter's rule) or 0 (the AND gate);
# * the AND example again, but the neuron gets a **bias**: a fourth input that is always 1, which is what
#   Keras' `use_bias=True` adds;
# * **another column decides**, or a combination: the answers are Input 2, or Input 2 AND NOT Input 1.

# %%
post_x, post_y = nine_lines.INPUTS, nine_lines.OUTPUTS
extra = np.array([[1, 1, 0]])


def with_bias(x):
    return np.hstack([x, np.ones((len(x), 1), dtype=x.dtype)])


cases = {  # name: (training inputs, training answers, the new situation as the network sees it)
    "the post's four examples": (post_x, post_y, nine_lines.NEW),
    "+ [1, 1, 0] → 1 (Input 1)": (np.vstack([post_x, extra]), np.vstack([post_y, [[1]]]), nine_lines.NEW),
    "+ [1, 1, 0] → 0 (1 AND 3)": (np.vstack([post_x, extra]), np.vstack([post_y, [[0]]]), nine_lines.NEW),
    "+ [1, 1, 0] → 0 (1 AND 3), with a bias": (with_bias(np.vstack([post_x, extra])), np.vstack([post_y, [[0]]]),
                                               with_bias(nine_lines.NEW[None])[0]),
    "answers = Input 2": (post_x, post_x[:, [1]], nine_lines.NEW),
    "answers = Input 2 AND NOT Input 1": (post_x, post_x[:, [1]] & (1 - post_x[:, [0]]), nine_lines.NEW),
}
rows, answers_new = [], {}
for name, (x, y, new) in cases.items():
    w, _ = delta_rule(x, y)
    fitted = sigmoid(x @ w)
    answers_new[name] = float(sigmoid(new @ w)[0])
    rows.append([name, " ".join(str(int(v)) for v in y[:, 0]), " ".join(f"{v:.2f}" for v in fitted[:, 0]),
                 np.array2string(w[:, 0], precision=2, suppress_small=True), f"{answers_new[name]:.5f}"])
display(Markdown(markdown_table(["training set", "answers", "the network on them", "weights",
                                 "answer for [1, 0, 0]"], rows)))

fig, ax = plt.subplots(figsize=(7, 3.2), layout="constrained")
ax.barh(list(answers_new)[::-1], list(answers_new.values())[::-1], color="#4c72b0")
ax.axvline(0.5, color="grey", lw=1, ls="--")
ax.set_xlim(0, 1)
ax.set_xlabel("the network's answer for [1, 0, 0]")
ax.set_title("The same neuron, trained on other data", fontsize=9)
display(Image(save(fig, SCRATCH / "other_data.png")))

# %% [markdown]
# What the table shows:
#
# * An example with Input 3 off that follows the daughter's rule changes nothing: the answer stays 0.99994.
# * One that follows the AND gate cannot be learned by this neuron at all: three of the five examples stay
#   at 0.5, and the answer for [1, 0, 0] is still near 1. Without a bias, an AND of Inputs 1 and 3 needs a
#   negative weight for each input alone and a positive sum of the two, which no weights give. The design
#   had ruled the AND gate out before any data was seen.
# * With a bias, the neuron learns all five examples and answers close to 0 for [1, 0, 0]: it follows the
#   data to the AND gate.
# * When Input 2 decides, the weights of Inputs 1 and 2 swap. For [1, 0, 0] the network then answers
#   about 0.45, not 0: with Inputs 2 and 3 off it sees almost nothing, and a neuron without a bias says 0.5
#   to nothing.
# * When the answer is Input 2 AND NOT Input 1, Input 1 gets a large negative weight, and the answer for
#   [1, 0, 0] falls close to 0, as that rule says.
#
# So the daughter was right about the data, and the other family members were right that the data does not
# prove her rule: a new situation outside what the examples cover is answered by the network's design.

# %% [markdown]
# ## Exercises
#
# **1. Every input.** There are only eight inputs of three bits. Ask the post's trained network about all
# of them: which of them is it sure about, and which rule (the daughter's, the AND gate, another) does it
# follow? Which answers are 0.5, and why?

# %%
rows = []
for bits in itertools.product([0, 1], repeat=3):
    x = np.array(bits)
    rows.append([str(bits), str(x[0]), str(x[0] & x[2]), f"{sigmoid(x @ synaptic_weights)[0]:.5f}"])
display(Markdown(markdown_table(["input", "Input 1", "1 AND 3", "the network"], rows)))

# %% [markdown]
# **2. Training time and the starting point.** Train for 10, 100 and 1,000 iterations instead of 10,000,
# and from other random seeds. Does the answer for [1, 0, 0] ever fall below 0.5? What does "0.99993704"
# measure: the truth of a rule, or how long the network was trained?

# %%
for iterations in (10, 100, 1000, 10000):
    answers_seeds = [float(sigmoid(nine_lines.NEW @ delta_rule(post_x, post_y, iterations, seed)[0])[0])
                     for seed in range(5)]
    print(f"{iterations:>6} iterations, seeds 0–4:", " ".join(f"{a:.5f}" for a in answers_seeds))

# %% [markdown]
# **3. The AND gate in Keras.** Train a Keras `Dense(1, activation="sigmoid")` unit on the five examples
# with [1, 1, 0] → 0, once with `use_bias=False` and once with `use_bias=True`. Do you get the table's
# answers? Then give it a hidden layer (`Dense(4, activation="sigmoid")` first) and train it on the post's
# four examples only: which rule does it pick for [1, 0, 0], and does it pick the same one from another
# seed?

# %%
import keras

and_x = np.vstack([post_x, extra]).astype("float32")
and_y = np.vstack([post_y, [[0]]]).astype("float32")
for use_bias in (False, True):
    keras.utils.set_random_seed(1)
    unit = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1, activation="sigmoid", use_bias=use_bias)])
    unit.compile(optimizer=keras.optimizers.Adam(learning_rate=0.1), loss="mse", steps_per_execution=100)
    unit.fit(np.tile(and_x, (2000, 1)), np.tile(and_y, (2000, 1)), batch_size=len(and_x), verbose=0)
    print(f"use_bias={use_bias}: answers {unit.predict_on_batch(and_x)[:, 0].round(2)}, "
          f"[1, 0, 0] → {unit.predict_on_batch(nine_lines.NEW[None].astype('float32'))[0, 0]:.3f}")
