"""The streaming input against the post's materialised arrays (``python -m joyce_lstm bench``).

Each pipeline trains the post's model for one epoch on the same slice of the
corpus (``sequences`` windows) in a process of its own, so that each peak
memory (RSS) is its own. :func:`compare` returns seconds per epoch, peak RSS,
the ratios, and the full 60-epoch run estimated from the streaming epoch time.
"""
import json
import os
import resource
import subprocess
import sys
import time

from joyce_lstm import corpus
from shared import UserError, runtime
from shared.cli import log

FULL_SEQUENCES = 633_105
FULL_EPOCHS = 60


def child(kind, sequences, warmup):
    """One epoch of the ``kind`` pipeline ("streaming" or "original"): its seconds and memory."""
    runtime.setup(seed=0)
    from joyce_lstm import models, pipeline  # Keras: after runtime.setup() has quieted it

    text, _ = corpus.load()
    vocab = corpus.Vocabulary.of(text)
    encoded = vocab.encode(text[:sequences * 3 + 101])
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    model = models.build(len(vocab))
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


def run_child(kind, sequences, warmup):
    log(f"bench: one epoch of {sequences:,} windows, {kind} pipeline ...")
    proc = subprocess.run([sys.executable, "-m", "joyce_lstm.bench", kind, str(sequences), str(warmup)],
                          capture_output=True, text=True, env=dict(os.environ))
    if proc.returncode != 0:
        raise UserError(f"the {kind} pipeline's bench failed: {proc.stderr.strip().splitlines()[-1:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def check(sequences, warmup):
    if not 1_000 <= sequences <= FULL_SEQUENCES:
        raise UserError(f"--sequences must be between 1000 and {FULL_SEQUENCES}")
    if warmup < 1:
        raise UserError("--warmup must be at least 1")


def compare(sequences=100_000, warmup=8):
    """One epoch of each pipeline on ``sequences`` windows after ``warmup`` steps, side by side."""
    check(sequences, warmup)
    stream = run_child("streaming", sequences, warmup)
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


if __name__ == "__main__":  # one pipeline's epoch, in a process of its own: KIND SEQUENCES WARMUP
    kind, sequences, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    print(json.dumps(child(kind, sequences, warmup)))
