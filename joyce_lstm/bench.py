"""``python -m joyce_lstm bench``: the streaming input against the post's materialised arrays.

Each pipeline trains the post's model for one epoch on the same slice of the
corpus (``--sequences`` windows) in a process of its own, so that each peak
memory (RSS) is its own. Prints one JSON line: seconds per epoch, peak RSS,
the ratios, and the full 60-epoch run estimated from the streaming epoch time.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

from shared import UserError
from shared.cli import ArgumentParser, log

FULL_SEQUENCES = 633_105
FULL_EPOCHS = 60


def child(kind, sequences, warmup):
    from joyce_lstm import corpus
    from shared import runtime

    runtime.setup(seed=0)
    from joyce_lstm import models, pipeline

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
    print(json.dumps({"sequences": int(n), "epoch_seconds": round(seconds, 2),
                      "prepare_seconds": round(prepared, 2), "peak_rss_mb": round(peak),
                      "rss_before_data_mb": round(base_rss)}))


def run_child(kind, sequences, warmup):
    log(f"bench: one epoch of {sequences:,} windows, {kind} pipeline ...")
    proc = subprocess.run([sys.executable, "-m", "joyce_lstm.bench", "--child", kind,
                           "--sequences", str(sequences), "--warmup", str(warmup)],
                          capture_output=True, text=True, env=dict(os.environ))
    if proc.returncode != 0:
        raise UserError(f"the {kind} pipeline's bench failed: {proc.stderr.strip().splitlines()[-1:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None):
    p = ArgumentParser(prog="python -m joyce_lstm bench",
                       description="Streaming one-hot batches against the post's materialised arrays.")
    p.add_argument("--sequences", type=int, default=100_000, help="windows in the slice (default 100000)")
    p.add_argument("--warmup", type=int, default=8, help="steps trained before timing (default 8)")
    p.add_argument("--child", choices=("streaming", "original"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if not 1_000 <= args.sequences <= FULL_SEQUENCES:
        raise UserError(f"--sequences must be between 1000 and {FULL_SEQUENCES}")
    if args.warmup < 1:
        raise UserError("--warmup must be at least 1")
    if args.child:
        child(args.child, args.sequences, args.warmup)
        return 0
    stream = run_child("streaming", args.sequences, args.warmup)
    original = run_child("original", args.sequences, args.warmup)
    per_epoch_full = stream["epoch_seconds"] * FULL_SEQUENCES / stream["sequences"]
    print(json.dumps({
        "sequences": stream["sequences"],
        "streaming": stream, "original": original,
        "memory_ratio_original_over_streaming": round(original["peak_rss_mb"] / stream["peak_rss_mb"], 2),
        "data_memory_mb": {"streaming": stream["peak_rss_mb"] - stream["rss_before_data_mb"],
                           "original": original["peak_rss_mb"] - original["rss_before_data_mb"]},
        "time_ratio_streaming_over_original": round(stream["epoch_seconds"] / original["epoch_seconds"], 3),
        "full_epoch_estimate_s": round(per_epoch_full),
        "full_run_estimate_h": round(per_epoch_full * FULL_EPOCHS / 3600, 1),
        "original_full_onehot_gb": round(FULL_SEQUENCES * 100 * 117 / 1e9, 2),
    }))
    return 0


if __name__ == "__main__":
    from shared.cli import guarded

    sys.exit(guarded(main)())
