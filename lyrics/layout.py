"""Names in a lyrics run folder, kept free of Keras so that commands can check them first."""
CHECKPOINT = "epoch-{epoch:03d}.weights.h5"
ENCODED = "encoded"  # Two's sentence vectors from a frozen encoder, while training runs
SEED_TEXT = "hello world"  # the post's seed, and the author's web page's
