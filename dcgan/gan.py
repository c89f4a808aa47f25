"""The DCGAN as one ``keras.Model``: a generator and a discriminator that ``fit`` trains together.

The shape of keras-io's "DCGAN overriding ``Model.train_step``": ``compile`` takes an
optimiser for each network, two ``keras.metrics.Mean`` track the losses, and
``train_step`` steps both networks once on a batch. A batch is a dict: ``"images"``
(real images in [−1, 1]), ``"noise"`` (the generator's latent vectors, drawn by the
data pipeline so that a resumed epoch draws the same ones) and, for a conditional GAN,
``"labels"`` (one-hot attributes); :class:`GANBatches` makes them.

The losses are the TensorFlow tutorial's: binary cross-entropy on logits; the
discriminator learns real → ``real_label`` and fake → 0, the generator learns to make
the discriminator say 1 for its fakes. ``real_label`` is 1 in the tutorial's sections
and 0.9 (one-sided label smoothing) in the author's.

Gradients need the backend: on TensorFlow, the tutorial's two ``GradientTape``s; on
JAX, a stateless step (``stateless_call``, ``jax.value_and_grad``,
``optimizer.stateless_apply``) as in the Keras guide "Customizing what happens in
``fit()`` with JAX". Both do the same arithmetic.

On several devices (:mod:`shared.distribute`) the JAX step needs no change: the jitted
step sees the whole batch, sharded. TensorFlow's ``MirroredStrategy`` runs the step once
per device on its share, and the optimizer sums the devices' gradients: each device's
mean loss is divided by the number of devices first, as Keras' own ``train_step`` does
(``scale_loss_for_distribution``), so that the sum is the gradient of the whole batch's mean.
"""
import keras
import numpy as np
from keras import ops

from dcgan import models
from dcgan.data import to_tanh_range
from shared import runtime
from shared.training import ShuffledArrays


def bce(target, logits):
    return ops.mean(ops.binary_crossentropy(target, logits, from_logits=True))


def discriminator_loss(real_logits, fake_logits, real_label):
    return (bce(ops.full_like(real_logits, real_label), real_logits)
            + bce(ops.zeros_like(fake_logits), fake_logits))


def generator_loss(fake_logits):
    return bce(ops.ones_like(fake_logits), fake_logits)


class OptimizerPair:
    """What ``fit`` needs of ``model.optimizer`` when a model has two: their variables together.

    JAX's ``fit`` carries ``model.optimizer.variables`` through its jitted step and writes
    them back after each epoch; this hands it both networks' Adam states, generator first.
    """
    built = True

    def __init__(self, g_optimizer, d_optimizer):
        self.g_optimizer, self.d_optimizer = g_optimizer, d_optimizer

    @property
    def variables(self):
        return self.g_optimizer.variables + self.d_optimizer.variables


class GANBatches(ShuffledArrays):
    """Batches of ``{"images", "noise"[, "labels"]}``: images in [−1, 1] in an order fixed by
    (seed, epoch), and latent vectors drawn from a stream keyed by (seed, epoch, batch), so
    that a resumed epoch sees the images and the noise an uninterrupted one did."""

    def __init__(self, images, labels, batch_size, seed):
        super().__init__(images, np.zeros(len(images), np.int8), batch_size, seed)  # no targets in a GAN
        self.labels = labels

    def __getitem__(self, i):
        rows = self.rows(i)
        noise = runtime.rng(self.seed, "batch noise", self.epoch, i).standard_normal((len(rows), models.NOISE))
        batch = {"images": to_tanh_range(self.x[rows]), "noise": noise.astype(np.float32)}
        if self.labels is not None:
            batch["labels"] = self.labels[rows]
        return batch


class DCGAN(keras.Model):
    """Generator and discriminator, trained by ``fit``; ``train_g``/``train_d`` freeze either (the tests)."""

    def __init__(self, generator, discriminator, real_label=1.0, train_g=True, train_d=True, **kwargs):
        super().__init__(**kwargs)
        self.generator, self.discriminator = generator, discriminator
        self.real_label, self.train_g, self.train_d = real_label, train_g, train_d
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.built = True  # both networks are built; BackupAndRestore asks

    def compile(self, g_optimizer, d_optimizer, **kwargs):
        super().compile(optimizer=None, **kwargs)
        # Attributes of the model, so that its weight files (and so the backups) hold both.
        self.g_optimizer, self.d_optimizer = g_optimizer, d_optimizer
        g_optimizer.build(self.generator.trainable_variables)
        d_optimizer.build(self.discriminator.trainable_variables)
        self.optimizer = OptimizerPair(g_optimizer, d_optimizer)

    @property
    def metrics(self):
        return [self.g_loss_tracker, self.d_loss_tracker]

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def train_step(self, *args):
        if keras.backend.backend() == "jax":
            return self._jax_train_step(*args)
        if keras.backend.backend() == "tensorflow":
            return self._tf_train_step(*args)
        raise RuntimeError(f"no GAN step for the {keras.backend.backend()} backend: use tensorflow or jax")

    @staticmethod
    def _with_labels(x, batch):
        return [x, batch["labels"]] if "labels" in batch else x

    # -- TensorFlow: the tutorial's train_step -------------------------------------------
    def _tf_train_step(self, batch):
        import tensorflow as tf

        g, d = self.generator, self.discriminator
        replicas = tf.distribute.get_strategy().num_replicas_in_sync  # 1 without a strategy
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fakes = g(self._with_labels(batch["noise"], batch), training=True)
            real_logits = d(self._with_labels(batch["images"], batch), training=True)
            fake_logits = d(self._with_labels(fakes, batch), training=True)
            g_loss = generator_loss(fake_logits)
            d_loss = discriminator_loss(real_logits, fake_logits, self.real_label)
            # This device's share of the update: the optimizer adds up every device's gradients.
            g_share, d_share = g_loss / replicas, d_loss / replicas
        if self.train_g:
            grads = g_tape.gradient(g_share, g.trainable_variables)
            self.g_optimizer.apply_gradients(zip(grads, g.trainable_variables))
        if self.train_d:
            grads = d_tape.gradient(d_share, d.trainable_variables)
            self.d_optimizer.apply_gradients(zip(grads, d.trainable_variables))
        # Mean losses per image, as the tutorial's loop sums them (the last batch may be smaller);
        # on several devices the trackers add up the devices' shares, weighted by their images.
        n = ops.cast(ops.shape(batch["images"])[0], "float32")
        self.g_loss_tracker.update_state(g_loss, sample_weight=n)
        self.d_loss_tracker.update_state(d_loss, sample_weight=n)
        return {m.name: m.result() for m in self.metrics}

    # -- JAX: the same arithmetic as a pure function of the state ------------------------
    def _jax_train_step(self, state, batch):
        import jax

        trainable, non_trainable, optimizer_values, metric_values = state
        g, d = self.generator, self.discriminator
        g_tr, d_tr = (pick(trainable, self.trainable_variables, m.trainable_variables) for m in (g, d))
        g_nt, d_nt = (pick(non_trainable, self.non_trainable_variables, m.non_trainable_variables) for m in (g, d))
        split = len(self.g_optimizer.variables)
        g_ov, d_ov = optimizer_values[:split], optimizer_values[split:]

        def forward(g_weights, d_weights):
            fakes, g_nt2 = g.stateless_call(g_weights, g_nt, self._with_labels(batch["noise"], batch), training=True)
            real_logits, d_nt2 = d.stateless_call(d_weights, d_nt, self._with_labels(batch["images"], batch),
                                                  training=True)
            fake_logits, d_nt2 = d.stateless_call(d_weights, d_nt2, self._with_labels(fakes, batch), training=True)
            g_loss = generator_loss(fake_logits)
            return g_loss, discriminator_loss(real_logits, fake_logits, self.real_label), g_nt2, d_nt2

        def g_objective(g_weights):
            g_loss, d_loss, g_nt2, d_nt2 = forward(g_weights, d_tr)
            return g_loss, (d_loss, g_nt2, d_nt2)

        def d_objective(d_weights):
            return forward(g_tr, d_weights)[1]

        # Both gradients from the same forward pass (same inputs, same dropout masks), as the tapes.
        (g_loss, (d_loss, new_g_nt, new_d_nt)), g_grads = jax.value_and_grad(g_objective, has_aux=True)(g_tr)
        d_grads = jax.grad(d_objective)(d_tr)
        new_g_tr, new_d_tr = g_tr, d_tr
        if self.train_g:
            new_g_tr, g_ov = self.g_optimizer.stateless_apply(g_ov, g_grads, g_tr)
        if self.train_d:
            new_d_tr, d_ov = self.d_optimizer.stateless_apply(d_ov, d_grads, d_tr)
        trainable = put(trainable, self.trainable_variables, {**zip_ids(g.trainable_variables, new_g_tr),
                                                              **zip_ids(d.trainable_variables, new_d_tr)})
        non_trainable = put(non_trainable, self.non_trainable_variables,
                            {**zip_ids(g.non_trainable_variables, new_g_nt),
                             **zip_ids(d.non_trainable_variables, new_d_nt)})
        n = ops.cast(ops.shape(batch["images"])[0], "float32")
        logs, new_metric_values, start = {}, [], 0
        for metric, loss in zip(self.metrics, (g_loss, d_loss)):
            values = metric_values[start:start + len(metric.variables)]
            start += len(metric.variables)
            values = metric.stateless_update_state(values, loss, sample_weight=n)
            logs[metric.name] = metric.stateless_result(values)
            new_metric_values += list(values)
        return logs, (trainable, non_trainable, list(g_ov) + list(d_ov), new_metric_values)


def pick(values, variables, wanted):
    """The entries of ``values`` (one per variable of ``variables``) that belong to ``wanted``."""
    where = {id(v): i for i, v in enumerate(variables)}
    return [values[where[id(v)]] for v in wanted]


def zip_ids(variables, values):
    return {id(v): x for v, x in zip(variables, values)}


def put(values, variables, new):
    """``values`` with the entries of the variables in ``new`` ({id(variable): value}) replaced."""
    return [new.get(id(v), x) for v, x in zip(variables, values)]
