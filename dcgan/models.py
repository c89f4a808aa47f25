"""The two DCGANs of the post: the TensorFlow tutorial's, and the author's deeper, wider one.

Both are plain Keras (no backend-specific code). With ``n_classes`` > 0 they
are conditional (beyond the post, its own wish): the generator gets the
one-hot attributes beside the noise, and the discriminator gets them as
constant image planes beside the pixels.
"""
NOISE = 100


def _inputs(keras, size, channels, n_classes):
    image = keras.Input((size, size, channels), name="image")
    if not n_classes:
        return image, image, None
    labels = keras.Input((n_classes,), name="labels")
    planes = keras.layers.Reshape((1, 1, n_classes))(labels)
    planes = keras.layers.UpSampling2D(size)(planes)
    return [image, labels], keras.layers.Concatenate()([image, planes]), labels


def _noise(keras, n_classes):
    noise = keras.Input((NOISE,), name="noise")
    if not n_classes:
        return noise, noise
    labels = keras.Input((n_classes,), name="labels")
    return [noise, labels], keras.layers.Concatenate()([noise, labels])


def tutorial_generator(size, channels, n_classes=0):
    """Dense(s/4 · s/4 · 256) → Conv2DTranspose 128 (stride 1), 64, channels (stride 2), tanh."""
    import keras
    from keras import layers

    if size % 4:
        raise ValueError("the tutorial's generator needs a size divisible by 4")
    inputs, x = _noise(keras, n_classes)
    q = size // 4
    x = layers.Dense(q * q * 256, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU()(x)
    x = layers.Reshape((q, q, 256))(x)
    for filters, stride in ((128, 1), (64, 2)):
        x = layers.Conv2DTranspose(filters, 5, strides=stride, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.LeakyReLU()(x)
    out = layers.Conv2DTranspose(channels, 5, strides=2, padding="same", use_bias=False,
                                 activation="tanh")(x)
    return keras.Model(inputs, out, name="tutorial_generator")


def tutorial_discriminator(size, channels, n_classes=0):
    """Conv2D 64, 128 (stride 2) with LeakyReLU and Dropout 0.3 → Dense(1) logit."""
    import keras
    from keras import layers

    inputs, x, _ = _inputs(keras, size, channels, n_classes)
    for filters in (64, 128):
        x = layers.Conv2D(filters, 5, strides=2, padding="same")(x)
        x = layers.LeakyReLU()(x)
        x = layers.Dropout(0.3)(x)
    out = layers.Dense(1)(layers.Flatten()(x))
    return keras.Model(inputs, out, name="tutorial_discriminator")


def author_generator(size, channels, n_classes=0):
    """The author's: Dense(s/16 · s/16 · 1024) → Conv2DTranspose 512, 256, 128, channels (stride 2)."""
    import keras
    from keras import layers

    if size % 16:
        raise ValueError("the deeper generator needs a size divisible by 16")
    init = keras.initializers.RandomNormal(0.0, 0.02)
    inputs, x = _noise(keras, n_classes)
    q = size // 16
    x = layers.Dense(q * q * 1024, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Reshape((q, q, 1024))(x)
    for filters in (512, 256, 128):
        x = layers.Conv2DTranspose(filters, 5, strides=2, padding="same", use_bias=False,
                                   kernel_initializer=init)(x)
        x = layers.BatchNormalization()(x)
        x = layers.LeakyReLU(negative_slope=0.2)(x)
    out = layers.Conv2DTranspose(channels, 5, strides=2, padding="same", activation="tanh",
                                 kernel_initializer=init)(x)
    return keras.Model(inputs, out, name="author_generator")


def author_discriminator(size, channels, n_classes=0):
    """The author's: Conv2D 64, 128, 256 (stride 2), LeakyReLU(0.2), Dropout 0.3, BN on the 2nd and 3rd."""
    import keras
    from keras import layers

    init = keras.initializers.RandomNormal(0.0, 0.02)
    inputs, x, _ = _inputs(keras, size, channels, n_classes)
    for i, filters in enumerate((64, 128, 256)):
        x = layers.Conv2D(filters, 5, strides=2, padding="same", kernel_initializer=init)(x)
        if i:
            x = layers.BatchNormalization()(x)
        x = layers.LeakyReLU(negative_slope=0.2)(x)
        x = layers.Dropout(0.3)(x)
    out = layers.Dense(1)(layers.Flatten()(x))
    return keras.Model(inputs, out, name="author_discriminator")


NETWORKS = {"tutorial": (tutorial_generator, tutorial_discriminator),
            "author": (author_generator, author_discriminator)}


def build(network, size, channels, n_classes=0):
    """(generator, discriminator) of ``network`` ("tutorial" or "author") for images of size × size × channels."""
    make_g, make_d = NETWORKS[network]
    return make_g(size, channels, n_classes), make_d(size, channels, n_classes)


def tutorial_counts(size, channels):
    """(generator, discriminator) parameters of the tutorial networks, by hand."""
    q = size // 4
    g = (NOISE * q * q * 256 + 4 * q * q * 256          # dense (no bias) + BN
         + 25 * 256 * 128 + 4 * 128 + 25 * 128 * 64 + 4 * 64 + 25 * 64 * channels)
    d = (25 * channels * 64 + 64) + (25 * 64 * 128 + 128) + (q * q * 128 + 1)
    return g, d


def author_counts(size, channels):
    """(generator, discriminator) parameters of the author's networks, by hand."""
    q = size // 16
    g = (NOISE * q * q * 1024 + 4 * q * q * 1024 + 25 * 1024 * 512 + 4 * 512
         + 25 * 512 * 256 + 4 * 256 + 25 * 256 * 128 + 4 * 128 + 25 * 128 * channels + channels)
    d = ((25 * channels * 64 + 64) + (25 * 64 * 128 + 128) + 4 * 128 + (25 * 128 * 256 + 256) + 4 * 256
         + ((size // 8) ** 2 * 256 + 1))
    return g, d


def counts(network, size, channels):
    return (tutorial_counts if network == "tutorial" else author_counts)(size, channels)
