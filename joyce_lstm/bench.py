"""The post's speed and memory (``python -m joyce_lstm bench``).

Pipelines (:func:`compare`): the training's streaming input (one-hot vectors made
batch by batch) against the post's materialised one-hot arrays, both into Keras'
LSTM. Each trains for one epoch on the same slice of the corpus (``sequences``
windows) in a process of its own, so that each peak memory (RSS) is its own; it
returns seconds per epoch, peak RSS, the ratios, and the full 60-epoch run
estimated from the streaming epoch time.

Models (:func:`compare_models`, ``bench --models``): the same network fed four
ways on streaming batches: one-hot vectors or character ids, each with and
without XLA (``jit_compile``). Each variant times ``steps`` training steps in a
fresh process; the variants take turns, ``rounds`` times over, so that a
machine busy with other work slows them all alike, and the medians are reported.
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import time

from joyce_lstm import corpus
from shared import UserError, runtime
from shared.cli import log

FULL_SEQUENCES = 633_105
FULL_EPOCHS = 60
FULL_STEPS = -(-FULL_SEQUENCES // 128)  # training steps in one of the post's epochs
MODEL_VARIANTS = {  # name: (the model's input, jit_compile)
    "onehot": ("onehot", False),    # the post's model
    "onehot+xla": ("onehot", True),
    "ids": ("ids", False),          # the training's model: row lookup
    "ids+xla": ("ids", True),
}


def child(kind, sequences, warmup):
    """One epoch of the ``kind`` pipeline ("streaming" or "original"): its seconds and memory."""
    runtime.setup(seed=0)
    from joyce_lstm import models, pipeline  # Keras: after runtime.setup() has quieted it

    text, _ = corpus.load()
    vocab = corpus.Vocabulary.of(text)
    encoded = vocab.encode(text[:sequences * 3 + 101])
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    model = models.build(len(vocab))  # one-hot vectors into Keras' LSTM, as the training
    begun = time.perf_counter()
    if kind == "original":
        x, y = pipeline.materialise(encoded, 100, 3, len(vocab))
        prepared = time.perf_counter() - begun
        model.fit(x[:warmup * 128], y[:warmup * 128], batch_size=128, epochs=1, verbose=0)
        start = time.perf_counter()
        model.fit(x, y, batch_size=128, epochs=1, shuffle=True, verbose=0)
        n = len(x)
    else:
        data = pipeline.OneHotWindows(encoded, 100, 3, len(vocab), 128, seed=0)
        prepared = time.perf_counter() - begun
        model.fit(data, epochs=1, steps_per_epoch=warmup, verbose=0)
        data.set_epoch(1)
        start = time.perf_counter()
        model.fit(data, epochs=1, verbose=0)
        n = data.starts.size
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"sequences": int(n), "epoch_seconds": round(seconds, 2),
            "prepare_seconds": round(prepared, 2), "peak_rss_mb": round(peak),
            "rss_before_data_mb": round(base_rss)}


def model_child(variant, steps, warmup):
    """``steps`` training steps of the model ``variant`` on streaming batches: milliseconds per step."""
    runtime.setup(seed=0)
    from joyce_lstm import models, pipeline  # Keras: after runtime.setup() has quieted it

    inputs, jit = MODEL_VARIANTS[variant]
    text, _ = corpus.load()
    vocab = corpus.Vocabulary.of(text)
    encoded = vocab.encode(text)
    model = models.build(len(vocab), inputs=inputs, jit_compile=jit)
    data = pipeline.Windows(encoded, 100, 3, len(vocab), 128, seed=0, inputs=inputs)
    model.fit(data, epochs=1, steps_per_epoch=warmup, verbose=0)  # traces (and compiles) the step
    data.set_epoch(1)
    start = time.perf_counter()
    model.fit(data, epochs=1, steps_per_epoch=steps, verbose=0)
    return {"variant": variant, "ms_per_step": round((time.perf_counter() - start) / steps * 1000, 2)}


def run_child(kind, *args):
    proc = subprocess.run([sys.executable, "-m", "joyce_lstm.bench", kind, *map(str, args)],
                          capture_output=True, text=True, env=dict(os.environ))
    if proc.returncode != 0:
        raise UserError(f"the {kind} bench failed: {proc.stderr.strip().splitlines()[-1:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def check(sequences, warmup):
    if not 1_000 <= sequences <= FULL_SEQUENCES:
        raise UserError(f"--sequences must be between 1000 and {FULL_SEQUENCES}")
    if warmup < 1:
        raise UserError("--warmup must be at least 1")


def check_models(steps, warmup, rounds):
    if not 1 <= steps <= FULL_STEPS:
        raise UserError(f"--steps must be between 1 and {FULL_STEPS}")
    if warmup < 1:
        raise UserError("--warmup must be at least 1")
    if rounds < 1:
        raise UserError("--rounds must be at least 1")


def compare_models(steps=100, warmup=8, rounds=3):
    """Every model variant timed ``rounds`` times, in turns: median milliseconds per step, the
    full epoch it means, and each variant's speed-up over the post's one-hot model."""
    check_models(steps, warmup, rounds)
    times = {variant: [] for variant in MODEL_VARIANTS}
    for r in range(rounds):
        for variant in MODEL_VARIANTS:
            log(f"bench: round {r + 1}/{rounds}, {steps} steps of the {variant} model ...")
            times[variant].append(run_child(variant, steps, warmup)["ms_per_step"])
    medians = {v: statistics.median(t) for v, t in times.items()}
    return {
        "steps": steps, "rounds": rounds,
        "ms_per_step": times,
        "median_ms_per_step": medians,
        "full_epoch_estimate_s": {v: round(ms * FULL_STEPS / 1000) for v, ms in medians.items()},
        "speedup_over_onehot": {v: round(medians["onehot"] / ms, 3) for v, ms in medians.items()},
    }


def compare(sequences=100_000, warmup=8):
    """One epoch of each pipeline on ``sequences`` windows after ``warmup`` steps, side by side."""
    check(sequences, warmup)
    log(f"bench: one epoch of {sequences:,} windows, streaming pipeline ...")
    stream = run_child("streaming", sequences, warmup)
    log(f"bench: one epoch of {sequences:,} windows, original pipeline ...")
    original = run_child("original", sequences, warmup)
    per_epoch_full = stream["epoch_seconds"] * FULL_SEQUENCES / stream["sequences"]
    return {
        "sequences": stream["sequences"],
        "streaming": stream, "original": original,
        "memory_ratio_original_over_streaming": round(original["peak_rss_mb"] / stream["peak_rss_mb"], 2),
        "data_memory_mb": {"streaming": stream["peak_rss_mb"] - stream["rss_before_data_mb"],
                           "original": original["peak_rss_mb"] - original["rss_before_data_mb"]},
        "time_ratio_streaming_over_original": round(stream["epoch_seconds"] / original["epoch_seconds"], 3),
        "full_epoch_estimate_s": round(per_epoch_full),
        "full_run_estimate_h": round(per_epoch_full * FULL_EPOCHS / 3600, 1),
        "original_full_onehot_gb": round(FULL_SEQUENCES * 100 * 117 / 1e9, 2),
    }


if __name__ == "__main__":  # in a process of its own: PIPELINE SEQUENCES WARMUP, or VARIANT STEPS WARMUP
    kind, size, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    print(json.dumps(model_child(kind, size, warmup) if kind in MODEL_VARIANTS else child(kind, size, warmup)))
