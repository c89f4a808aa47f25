"""The post's "genetic-ish" algorithm, many runs side by side.

One run, exactly as the post's Rcpp ``kinda_genetic_digit``:

1. A population of ``n_total`` (100) images, each pixel drawn from the target
   digit's 10-bin intensity histogram (a bin by its share, then uniform inside it).
2. Each generation: rank by cost; stop when the best cost is below ``tol``.
   Otherwise keep the best ``n_selected`` (10, later 5) as parents and replace the
   *whole* population (no elitism, as in the post) by children: each child picks two
   distinct parents at random and takes every pixel from one of them (a fair coin
   per pixel); each pixel then mutates with probability
   min(0.5, 0.01 · |best cost| · mutate_factor) to a new histogram draw; pixels are
   clipped to [0, 1].
3. Cost: Σ |output − one-hot target| over the ten outputs, plus, for the second
   version, the mismatch of the "variogram" statistics (``image_stats.py``).

Many runs evolve together: their populations are one (runs × 100 × 784) array,
the network scores all of them in one batch, and a run leaves the batch when it
converges. The operators are NumPy (exact, testable); the network is Keras.
"""
from dataclasses import dataclass

import numpy as np


def cumulative(histogram):
    """Cumulative shares of a 10-bin histogram, the last forced to 1."""
    c = np.cumsum(np.asarray(histogram, dtype="float64"), axis=-1)
    c[..., -1] = 1.0
    return c


def histogram_draw(cumul, u_bin, u_within):
    """The Rcpp's ``histo_rand``: the first bin whose cumulative share exceeds u_bin,
    then uniform inside the bin. ``cumul`` is one histogram (10,) or one per draw (n, 10)."""
    n_bins = cumul.shape[-1]
    if cumul.ndim == 1:
        bins = np.searchsorted(cumul, u_bin, side="right")
    else:
        bins = (u_bin[..., None] >= cumul).sum(-1)
    bins = np.minimum(bins, n_bins - 1)
    return ((bins + u_within) / n_bins).astype("float32")


def crossover(parent1, parent2, take_first):
    """Each pixel from parent1 where ``take_first`` else from parent2."""
    return np.where(take_first, parent1, parent2)


def mutation_rate(best_cost, mutate_factor=1.0):
    return np.minimum(0.5, 0.01 * np.abs(best_cost) * mutate_factor)


def pick_parents(rng, shape, n_selected):
    """Two distinct parent indices per child, each pair uniform among the distinct pairs."""
    first = rng.integers(0, n_selected, size=shape)
    second = (first + rng.integers(1, n_selected, size=shape)) % n_selected
    return first, second


def abs_cost(outputs, targets):
    """Σ |output − one-hot target|: outputs (..., 10), targets int (...)."""
    onehot = np.eye(outputs.shape[-1], dtype=outputs.dtype)[targets]
    return np.abs(outputs - onehot).sum(-1)


@dataclass
class GAParameters:
    n_total: int = 100
    n_selected: int = 10
    max_iter: int = 1000
    tol: float = 1e-4
    mutate_factor: float = 1.0


def evolve(score, digits, cumuls, settings, rng, chunk=500, extra_cost=None, progress=None,
           confident=0.9999):
    """Run one GA per entry of ``digits``.

    Returns a dict of arrays: ``images`` (runs, 784), ``costs``, ``generations``
    (when each run stopped), ``converged`` (cost below tol) and ``first_confident``
    (the first generation whose best image the network gives the target digit at
    least ``confident``, −1 if never).

    ``score(images (N, 784)) -> outputs (N, 10)`` is the network. ``cumuls`` holds
    each run's cumulative histogram (runs, 10). ``extra_cost(images, run_index)``
    adds the statistics term of the second version.
    """
    digits = np.asarray(digits)
    runs = len(digits)
    out_images = np.zeros((runs, 784), "float32")
    out_costs = np.full(runs, np.inf)
    out_gens = np.zeros(runs, "int64")
    converged = np.zeros(runs, bool)
    first_confident = np.full(runs, -1, "int64")
    P, S = settings.n_total, settings.n_selected
    n_done = 0

    def cost_of(pop, idx):
        flat = pop.reshape(-1, 784)
        out = score(flat).reshape(len(idx), P, 10)
        c = abs_cost(out, digits[idx][:, None])
        if extra_cost is not None:
            c = c + extra_cost(flat, np.repeat(idx, P)).reshape(len(idx), P)
        return c, np.take_along_axis(out, digits[idx][:, None, None], 2)[:, :, 0]

    for start in range(0, runs, chunk):
        idx = np.arange(start, min(start + chunk, runs))
        cum = cumuls[idx]  # (runs, 10)
        pop = np.stack([histogram_draw(c, rng.random(P * 784), rng.random(P * 784, dtype="float32"))
                        for c in cum]).reshape(len(idx), P, 784)
        costs, target = cost_of(pop, idx)
        for gen in range(settings.max_iter + 1):
            order = np.argsort(costs, axis=1, kind="stable")[:, :S]
            best = np.take_along_axis(costs, order[:, :1], 1)[:, 0]
            sure = (np.take_along_axis(target, order[:, :1], 1)[:, 0] >= confident) & \
                (first_confident[idx] < 0)
            first_confident[idx[sure]] = gen
            done = best < settings.tol
            last = gen == settings.max_iter
            finished = done | last
            if finished.any():
                f = idx[finished]
                best_img = pop[finished, order[finished, 0]]
                out_images[f], out_costs[f], out_gens[f], converged[f] = best_img, best[finished], gen, done[finished]
                keep = ~finished
                idx, pop, costs, order, best, cum = idx[keep], pop[keep], costs[keep], order[keep], best[keep], cum[keep]
                target = target[keep]
                n_done += int(finished.sum())
                if progress:
                    progress(n_done, int(converged.sum()), runs)
            if len(idx) == 0:
                break
            selected = np.take_along_axis(pop, order[:, :, None], 1)  # (runs, S, 784)
            first, second = pick_parents(rng, (len(idx), P), S)
            rows = np.arange(len(idx))[:, None]
            take_first = rng.random((len(idx), P, 784), dtype="float32") < 0.5
            children = crossover(selected[rows, first], selected[rows, second], take_first)
            rate = mutation_rate(best, settings.mutate_factor).astype("float32")
            mutate = rng.random((len(idx), P, 784), dtype="float32") < rate[:, None, None]
            n_mut = int(mutate.sum())
            if n_mut:
                which = np.nonzero(mutate)
                children[which] = histogram_draw(cum[which[0]], rng.random(n_mut),
                                                 rng.random(n_mut, dtype="float32"))
            pop = np.clip(children, 0.0, 1.0, out=children)
            costs, target = cost_of(pop, idx)
    return {"images": out_images, "costs": out_costs, "generations": out_gens,
            "converged": converged, "first_confident": first_confident}
