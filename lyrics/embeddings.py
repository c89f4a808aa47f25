"""The 50-d word vectors Gene Lyrica One starts from.

``glove``: a GloVe text file (``word v1 ... v50`` per line, e.g. glove.6B.50d.txt);
``word2vec``: skip-gram with negative sampling trained here on the songs
themselves (Mikolov et al. 2013); ``random``: Keras' uniform initialisation.
Row 0 (padding/unknown) is zero for the first two.
"""
import numpy as np

from shared import UserError, runtime
from shared.cli import log


def from_glove(path, tokens, dim=50, seed=0):
    """Rows for ``tokens`` (index 1..n) from a GloVe file; words it lacks stay random (reported).

    A file with none of the words is refused: it would start every row at random.
    """
    index = {t: i for i, t in enumerate(tokens, 1)}
    rng = runtime.rng(seed, "words GloVe lacks")
    matrix = rng.uniform(-0.05, 0.05, (len(tokens) + 1, dim)).astype(np.float32)
    matrix[0] = 0
    found = n = 0
    try:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                parts = line.rstrip().split(" ")
                if len(parts) != dim + 1:
                    raise UserError(f"{path} line {n} has {len(parts) - 1} numbers: a {dim}-d GloVe file "
                                    f"(such as glove.6B.{dim}d.txt) is needed")
                i = index.get(parts[0])
                if i is not None:
                    matrix[i] = np.asarray(parts[1:], dtype=np.float32)
                    found += 1
    except OSError as exc:
        raise UserError(f"cannot read the GloVe file {path}: {exc.strerror}") from None
    except ValueError:
        raise UserError(f"{path} is not a GloVe text file (a word and {dim} numbers per line)") from None
    if not found:
        raise UserError(f"the GloVe file {path} has none of the songs' {len(tokens):,} words"
                        + (" (it is empty)" if n == 0 else "")
                        + f": give a {dim}-d GloVe text file such as glove.6B.{dim}d.txt, or --embedding word2vec")
    return matrix, {"source": "glove", "path": str(path), "words_found": found, "words": len(tokens)}


def skipgram_pairs(encoded_songs, window, negatives, vocab_size, rng):
    """(target, context, label) arrays: every pair within ``window``, and ``negatives``
    random contexts per pair drawn from the unigram distribution to the 3/4 power."""
    targets, contexts = [], []
    counts = np.zeros(vocab_size)
    for ids in encoded_songs:
        ids = np.asarray(ids)
        ids = ids[ids > 0]
        np.add.at(counts, ids, 1)
        for k in range(1, window + 1):
            if len(ids) > k:
                targets += [ids[:-k], ids[k:]]
                contexts += [ids[k:], ids[:-k]]
    if not targets:
        raise UserError("the songs are too short to train word vectors; use --embedding random")
    t, c = np.concatenate(targets), np.concatenate(contexts)
    p = counts ** 0.75
    p /= p.sum()
    neg_t = np.repeat(t, negatives)
    neg_c = rng.choice(vocab_size, size=len(neg_t), p=p)
    target = np.concatenate([t, neg_t]).astype(np.int32)
    context = np.concatenate([c, neg_c]).astype(np.int32)
    label = np.concatenate([np.ones(len(t)), np.zeros(len(neg_t))]).astype(np.float32)
    order = rng.permutation(len(target))
    return target[order], context[order], label[order]


def word2vec(encoded_songs, vocab_size, dim=50, window=2, negatives=4, epochs=3, seed=0):
    """Skip-gram word vectors trained on the songs (a Keras model of two embeddings and a dot)."""
    import keras

    rng = runtime.rng(seed, "word2vec")
    target, context, label = skipgram_pairs(encoded_songs, window, negatives, vocab_size, rng)
    t_in = keras.Input((), dtype="int32")
    c_in = keras.Input((), dtype="int32")
    t_vec = keras.layers.Embedding(vocab_size, dim, name="target")(t_in)
    c_vec = keras.layers.Embedding(vocab_size, dim, name="context")(c_in)
    logit = keras.ops.sum(t_vec * c_vec, axis=-1)
    model = keras.Model([t_in, c_in], logit)
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True))
    log(f"word2vec: {len(target):,} skip-gram pairs, {epochs} epochs")
    history = model.fit([target, context], label, batch_size=4096, epochs=epochs, verbose=0, shuffle=False)
    matrix = keras.ops.convert_to_numpy(model.get_layer("target").embeddings).astype(np.float32)
    matrix[0] = 0
    return matrix, {"source": "word2vec", "pairs": int(len(target)), "epochs": epochs, "window": window,
                    "negatives": negatives, "loss": [float(v) for v in history.history["loss"]]}


def nearest(matrix, tokens, word, k=5):
    """The ``k`` words whose vectors are closest (cosine) to ``word``'s."""
    index = {t: i for i, t in enumerate(tokens, 1)}
    if word not in index:
        return []
    unit = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    sims = unit[1:] @ unit[index[word]]
    order = [i for i in np.argsort(-sims) if tokens[i] != word][:k]
    return [tokens[i] for i in order]
