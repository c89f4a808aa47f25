"""Play with a finished run: ask its networks what a + b is, and see how they get there.

    from addition import play

    adders = play.load("runs/addition/grid/<time>-seed0")
    adders.networks                      # [(1, 16), (2, 16), ..., (16, 65536)]: (hidden nodes, max sum)
    adders.ask(2, 2, nodes=8, max_sum=16)
    # [{'nodes': 8, 'max_sum': 16, 'prediction': 4.06, 'rounded': 4.0, 'right': True,
    #   'inside_range': True, 'hidden': [...], 'w_in': [[...], [...]], 'w_out': [...]}]

The networks are read once, with Keras; each question is then the network's own
arithmetic in NumPy (:func:`forward`), which gives Keras' answer to float32 precision.
"""
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from addition.config import of_run
from addition.data import rounded
from shared import UserError, runs, runtime

POST, EXPERIMENT = "addition", "grid"
LIMIT = 1e6
"""The largest |a| or |b| the networks are asked about (the post's largest inputs are below 32,768)."""


def check_number(value):
    """``value`` as a float, if it is a finite number within ±LIMIT; else a UserError."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UserError(f"{value!r} is not a number") from None
    if not math.isfinite(number) or abs(number) > LIMIT:
        raise UserError(f"the networks are asked about finite numbers from {-LIMIT:g} to {LIMIT:g}, "
                        f"not {value}")
    return number


def forward(w_in, w_out, a, b):
    """The network's arithmetic spelled out: hidden activations and the output, in float64."""
    x = np.array([a, b], dtype="float64")
    hidden = 0.5 * (1.0 + np.tanh(0.5 * (x @ w_in.astype("float64"))))  # sigmoid, overflow-free
    return hidden, float(hidden @ w_out.astype("float64"))


@dataclass
class Adders:
    """A finished run's trained networks, as NumPy weights, keyed by (hidden nodes, max sum)."""
    run_dir: Path
    weights: dict
    """{(hidden nodes, max sum): (input->hidden weights (2, n), hidden->output weights (n,))}"""

    @property
    def networks(self):
        """The networks, as (hidden nodes, max sum), in the order of the post's table."""
        return list(self.weights)

    def ask(self, a, b, nodes=None, max_sum=None):
        """What each network (or those with ``nodes`` hidden nodes / ``max_sum``) says a + b is."""
        a, b = check_number(a), check_number(b)
        chosen = [key for key in self.weights
                  if nodes in (None, key[0]) and max_sum in (None, key[1])]
        if not chosen:
            raise UserError(no_network(self.run_dir, self.networks, nodes, max_sum))
        answers = []
        for n, total in chosen:
            w_in, w_out = self.weights[(n, total)]
            hidden, prediction = forward(w_in, w_out, a, b)
            answers.append({
                "nodes": n, "max_sum": total, "prediction": prediction,
                "rounded": float(rounded(prediction)), "right": bool(rounded(prediction) == a + b),
                "inside_range": bool(0 <= min(a, b) and max(a, b) < total // 2),  # as the pairs were drawn
                "hidden": hidden.tolist(), "w_in": w_in.tolist(), "w_out": w_out.tolist(),
            })
        return answers


def load(run_dir=None, nodes=None, max_sum=None):
    """The networks of a complete run (those with ``nodes`` / ``max_sum`` only, if given);
    with no ``run_dir``, the post's full run kept with the suite (``docs/full/grid``)."""
    path, config, _ = runs.load(run_dir or runs.kept(POST, EXPERIMENT), POST, EXPERIMENT)
    settings = of_run(config)
    grid = [(n, b) for b in settings.bits for n in settings.nodes]
    chosen = [(n, b) for n, b in grid if nodes in (None, n) and max_sum in (None, 2 ** b)]
    if not chosen:
        raise UserError(no_network(path, [(n, 2 ** b) for n, b in grid], nodes, max_sum))
    runtime.setup()
    # Keras loads only now, after the run folder was checked: a wrong folder is reported at once.
    from addition.models import load as load_network, weights

    return Adders(path, {(n, 2 ** b): weights(load_network(path, n, b)) for n, b in chosen})


def no_network(run_dir, networks, nodes, max_sum):
    return (f"{run_dir} has no trained network with {nodes or 'any'} hidden nodes and max sum "
            f"{max_sum or 'any'}: it has nodes {sorted({n for n, _ in networks})} and max sums "
            f"{sorted({s for _, s in networks})}")


def latest(out="runs"):
    """The newest complete grid run under ``out``."""
    found = runs.latest_run(out, POST, EXPERIMENT)
    if found is None:
        raise UserError(f"no complete addition run under {out}: train one with "
                        "`python -m addition --profile quick`, or give --run RUN_DIR")
    return found


def network_text(name, item, a=2, b=2):
    """The a + b computation (2 + 2 by default) as text: weights, hidden outputs, output."""
    nodes = len(item["w_out"])
    lines = [f"{name}: {nodes} hidden node{'s' if nodes > 1 else ''}"]
    for j in range(nodes):
        w_a, w_b = item["w_in"][0][j], item["w_in"][1][j]
        lines.append(f"  h{j + 1} = sigmoid({a:g} × {w_a:+.3f} + {b:g} × {w_b:+.3f}) = {item['hidden'][j]:.3f}"
                     f"   → output weight {item['w_out'][j]:+.2f}")
    lines.append(f"  {a:g} + {b:g} = " + " ".join(f"{'+' if i else ''} {h:.3f} × {w:+.2f}"
                                          for i, (h, w) in enumerate(zip(item["hidden"], item["w_out"])))
                 + f" = {item['prediction']:.3f}")
    return "\n".join(lines)


def answers_text(adders, a, b, answers):
    """What ``python -m addition ask`` prints: a line per network, the arithmetic when there is one."""
    lines = [f"{a:g} + {b:g} = {a + b:g}; the networks of {adders.run_dir}:"]
    for item in answers:
        if len(answers) == 1:
            lines.append(network_text(f"n{item['nodes']}_s{item['max_sum']}", item, a, b))
        outside = "" if item["inside_range"] else \
            f" (inputs outside the training range [0, {item['max_sum'] // 2}))"
        lines.append(f"{item['nodes']:>2} hidden nodes, max sum {item['max_sum']:>5}: "
                     f"{item['prediction']:10.2f} → {item['rounded']:g} "
                     f"({'right' if item['right'] else 'wrong'}){outside}; hidden "
                     + " ".join(f"{h:.2f}" for h in item["hidden"]))
    return "\n".join(lines)
