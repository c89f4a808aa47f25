"""``python -m lyrics bench``: training and generation speed of Gene Lyrica One (or Two).

The model is the full profile's (the author's sizes) on the whole Oxford Book of
Ballads vocabulary. Training: samples per second over ``--samples`` windows
(one warm-up epoch on a few batches first). Generation: tokens per second when
every token is one ``model.predict`` call (Keras builds its data pipeline each
time) against one compiled single-step call (``predict_on_batch``, traced once),
and their ratio. Prints one JSON line.
"""
import json
import resource
import time
from dataclasses import replace

from lyrics.config import PROFILES
from lyrics.corpus import prepare
from lyrics.layout import SEED_TEXT
from shared import UserError, runtime
from shared.cli import ArgumentParser, log


def main(argv):
    p = ArgumentParser(prog="python -m lyrics bench", description="Training and generation speed.")
    p.add_argument("--model", choices=("one", "two"), default="one")
    p.add_argument("--samples", type=int, default=5120, metavar="N", help="training windows timed (default 5120)")
    p.add_argument("--tokens", type=int, default=100, metavar="N", help="tokens generated each way (default 100)")
    p.add_argument("--encoder", default="minilm", metavar="SPEC", help="two: the sentence encoder (default minilm)")
    args = p.parse_args(argv)
    if args.samples < 256 or args.tokens < 5:
        raise UserError("--samples must be at least 256 and --tokens at least 5")
    settings = PROFILES[args.model]["full"]
    if args.model == "two":
        settings = replace(settings, encoder=args.encoder)
    settings.check()
    corpus = prepare(settings)
    backend = runtime.setup(seed=0)
    # Keras is imported after the arguments and the songs are checked: a mistake is reported at once.
    from lyrics import encoders, sampling
    from lyrics.models import build
    from lyrics.train import training_data

    encoder = encoders.for_settings(settings) if args.model == "two" else None
    model = build(settings, corpus.tokenizer.size, corpus.seq_len, encoder)
    x, y = training_data(settings, corpus, encoder)
    take = min(args.samples, len(y))
    x = {k: v[:take] for k, v in x.items()} if isinstance(x, dict) else x[:take]
    y = y[:take]
    batch = settings.batch_size
    warm = ({k: v[:batch] for k, v in x.items()} if isinstance(x, dict) else x[:batch]), y[:batch]
    model.fit(*warm, batch_size=batch, epochs=1, verbose=0)
    log(f"timing one epoch of {take:,} samples (batch {batch})")
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=False)
    train_rate = take / (time.perf_counter() - start)

    context = sampling.Context(corpus.tokenizer, corpus.seq_len, encoder)

    def timed(predict):
        sampling.generate(predict, context, SEED_TEXT, 2, 0.3, 0)  # warm-up: traces and caches
        begun = time.perf_counter()
        sampling.generate(predict, context, SEED_TEXT, args.tokens, 0.3, 0)
        return args.tokens / (time.perf_counter() - begun)

    log(f"generating {args.tokens} tokens each way")
    per_call = timed(lambda inputs: model.predict(inputs, verbose=0))
    compiled = timed(model.predict_on_batch)
    print(json.dumps({
        "model": args.model, "backend": backend, "parameters": int(model.count_params()),
        "vocabulary": corpus.tokenizer.size, "sequence_length": corpus.seq_len, "batch_size": batch,
        "train_samples_per_s": round(train_rate, 1),
        "generate_tokens_per_s_predict": round(per_call, 1),
        "generate_tokens_per_s_compiled": round(compiled, 1),
        "generate_speedup": round(compiled / per_call, 2),
        "full_epoch_s_estimate": round(corpus.stats()["samples"] / train_rate, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }), flush=True)
    return 0
