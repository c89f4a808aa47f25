"""Gene Lyrica One (embedding + bidirectional GRUs) and Gene Lyrica Two (sentence encoder)."""
import keras
import numpy as np

from lyrics.config import experiment_of


def build_one(vocab_size, seq_len, embedding=None, embedding_dim=50, units=128, dense=128):
    """The author's word model.

    Embedding(50-d, mask_zero; initialised from ``embedding`` when given) ->
    Bidirectional GRU(128, sequences) -> Bidirectional GRU(128, dropout 0.2,
    recurrent dropout 0.2) -> Dense(128, relu) -> Dropout(0.3) -> softmax over
    ``vocab_size`` (the tokens and index 0); RMSprop, sparse cross-entropy.
    """
    init = "uniform" if embedding is None else keras.initializers.Constant(np.asarray(embedding))
    inputs = keras.Input((seq_len,), dtype="int32", name="tokens")
    x = keras.layers.Embedding(vocab_size, embedding_dim, embeddings_initializer=init,
                               mask_zero=True, name="embedding")(inputs)
    x = keras.layers.Bidirectional(keras.layers.GRU(units, return_sequences=True), name="bigru_1")(x)
    x = keras.layers.Bidirectional(keras.layers.GRU(units, dropout=0.2, recurrent_dropout=0.2),
                                   name="bigru_2")(x)
    x = keras.layers.Dense(dense, activation="relu", name="dense")(x)
    x = keras.layers.Dropout(0.3, name="dropout")(x)
    outputs = keras.layers.Dense(vocab_size, activation="softmax", name="next_token")(x)
    model = keras.Model(inputs, outputs, name="gene_lyrica_one")
    model.compile(optimizer=keras.optimizers.RMSprop(), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def build_two(encoder, vocab_size, dense=64, learning_rate=1e-3):
    """The sentence-embedding model: the encoder's inputs -> sentence vector ->
    Dense(64, relu) -> softmax over ``vocab_size``; Adam."""
    inputs = encoder.inputs()
    x = encoder.apply(inputs)
    x = keras.layers.Dense(dense, activation="relu", name="dense")(x)
    outputs = keras.layers.Dense(vocab_size, activation="softmax", name="next_token")(x)
    model = keras.Model(inputs, outputs, name="gene_lyrica_two")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def build(settings, vocab_size, seq_len, encoder=None, embedding=None):
    """The model of ``settings`` (One or Two) for ``vocab_size`` output classes, compiled."""
    if experiment_of(settings) == "one":
        return build_one(vocab_size, seq_len, embedding, settings.embedding_dim, settings.units, settings.dense)
    return build_two(encoder, vocab_size, settings.dense, settings.learning_rate)


def trained_part(model, settings):
    """What training changes: the whole model, or with a frozen encoder only the layers
    after it (a model of its own, from the sentence vector to the softmax, sharing the
    whole model's layers). Its weights are what checkpoints hold."""
    if not getattr(settings, "freeze_encoder", False):
        return model
    dense = model.get_layer("dense")
    head = keras.Model(dense.input, model.output, name="gene_lyrica_two_head")
    head.compile(optimizer=keras.optimizers.Adam(settings.learning_rate),
                 loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return head
