"""One GAN training step, written once per backend.

The loss is the tutorial's: binary cross-entropy on logits; the discriminator
learns real → 0.9 (one-sided label smoothing, the author's change) and fake → 0;
the generator learns to make the discriminator say 1 for its fakes. Both
networks step once per batch with their own Adam.

TensorFlow: the tutorial's ``tf.function`` with two ``GradientTape``s.
JAX: a jitted pure function over the models' variables (``stateless_call``,
``optimizer.stateless_apply``), whose results are written back into the Keras
variables when the epoch ends (:meth:`sync`).
"""
import keras
from keras import ops

REAL_LABEL = 0.9


def bce(target, logits):
    return ops.mean(ops.binary_crossentropy(target, logits, from_logits=True))


def discriminator_loss(real_logits, fake_logits, real_label=REAL_LABEL):
    return (bce(ops.full_like(real_logits, real_label), real_logits)
            + bce(ops.zeros_like(fake_logits), fake_logits))


def generator_loss(fake_logits):
    return bce(ops.ones_like(fake_logits), fake_logits)


def _call(model, x, labels):
    return model([x, labels] if labels is not None else x, training=True)


class Trainer:
    """``step(images, noise, labels=None) → (g_loss, d_loss)`` on the current backend."""

    def __init__(self, generator, discriminator, g_opt, d_opt, train_g=True, train_d=True,
                 real_label=REAL_LABEL, compiled=True):
        self.g, self.d, self.g_opt, self.d_opt = generator, discriminator, g_opt, d_opt
        self.real_label, self.compiled = real_label, compiled
        self.train_g, self.train_d = train_g, train_d
        g_opt.build(generator.trainable_variables)
        d_opt.build(discriminator.trainable_variables)
        self.backend = keras.backend.backend()
        if self.backend == "tensorflow":
            self._make_tf()
        elif self.backend == "jax":
            self._make_jax()
        else:
            raise RuntimeError(f"no GAN step for the {self.backend} backend: use tensorflow or jax")

    # -- TensorFlow: the tutorial's train_step --------------------------------------------
    def _make_tf(self):
        import tensorflow as tf

        g, d, g_opt, d_opt = self.g, self.d, self.g_opt, self.d_opt
        train_g, train_d, real_label = self.train_g, self.train_d, self.real_label

        def step(images, noise, labels):
            with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
                fakes = _call(g, noise, labels)
                real_logits = _call(d, images, labels)
                fake_logits = _call(d, fakes, labels)
                g_loss = generator_loss(fake_logits)
                d_loss = discriminator_loss(real_logits, fake_logits, real_label)
            if train_g:
                grads = gen_tape.gradient(g_loss, g.trainable_variables)
                g_opt.apply_gradients(zip(grads, g.trainable_variables))
            if train_d:
                grads = disc_tape.gradient(d_loss, d.trainable_variables)
                d_opt.apply_gradients(zip(grads, d.trainable_variables))
            return g_loss, d_loss

        self._tf_step = tf.function(step, reduce_retracing=True) if self.compiled else step

    # -- JAX: the same arithmetic as a pure function -------------------------------------
    def _make_jax(self):
        import jax

        g, d, g_opt, d_opt = self.g, self.d, self.g_opt, self.d_opt
        train_g, train_d, real_label = self.train_g, self.train_d, self.real_label

        def run(model, trainable, non_trainable, x, labels):
            inputs = [x, labels] if labels is not None else x
            return model.stateless_call(trainable, non_trainable, inputs, training=True)

        def losses(g_tr, d_tr, g_nt, d_nt, images, noise, labels):
            fakes, g_nt = run(g, g_tr, g_nt, noise, labels)
            real_logits, d_nt = run(d, d_tr, d_nt, images, labels)
            fake_logits, d_nt = run(d, d_tr, d_nt, fakes, labels)
            return generator_loss(fake_logits), discriminator_loss(real_logits, fake_logits, real_label), g_nt, d_nt

        def g_objective(g_tr, d_tr, g_nt, d_nt, images, noise, labels):
            g_loss, d_loss, g_nt2, d_nt2 = losses(g_tr, d_tr, g_nt, d_nt, images, noise, labels)
            return g_loss, (d_loss, g_nt2, d_nt2)

        def d_objective(d_tr, g_tr, g_nt, d_nt, images, noise, labels):
            g_loss, d_loss, g_nt2, d_nt2 = losses(g_tr, d_tr, g_nt, d_nt, images, noise, labels)
            return d_loss, (g_loss, g_nt2, d_nt2)

        def step(state, images, noise, labels):
            g_tr, g_nt, g_ov, d_tr, d_nt, d_ov = state
            (g_loss, (d_loss, g_nt2, d_nt2)), g_grads = jax.value_and_grad(g_objective, has_aux=True)(
                g_tr, d_tr, g_nt, d_nt, images, noise, labels)
            (_, aux), d_grads = jax.value_and_grad(d_objective, has_aux=True)(
                d_tr, g_tr, g_nt, d_nt, images, noise, labels)
            if train_g:
                g_tr, g_ov = g_opt.stateless_apply(g_ov, g_grads, g_tr)
            if train_d:
                d_tr, d_ov = d_opt.stateless_apply(d_ov, d_grads, d_tr)
            # Batch statistics and dropout seeds move on as in TensorFlow's step.
            return (g_tr, g_nt2, g_ov, d_tr, d_nt2, d_ov), g_loss, d_loss

        self._jax_step = jax.jit(step) if self.compiled else step
        self._state = None

    def _read_state(self):
        v = lambda vs: [x.value for x in vs]  # noqa: E731
        return (v(self.g.trainable_variables), v(self.g.non_trainable_variables), v(self.g_opt.variables),
                v(self.d.trainable_variables), v(self.d.non_trainable_variables), v(self.d_opt.variables))

    def step(self, images, noise, labels=None):
        if self.backend == "tensorflow":
            g_loss, d_loss = self._tf_step(images, noise, labels)
            return float(g_loss), float(d_loss)
        if self._state is None:
            self._state = self._read_state()
        self._state, g_loss, d_loss = self._jax_step(self._state, images, noise, labels)
        return float(g_loss), float(d_loss)

    def sync(self):
        """Write the JAX state back into the Keras variables (a no-op on TensorFlow)."""
        if self.backend != "jax" or self._state is None:
            return
        groups = (self.g.trainable_variables, self.g.non_trainable_variables, self.g_opt.variables,
                  self.d.trainable_variables, self.d.non_trainable_variables, self.d_opt.variables)
        for variables, values in zip(groups, self._state):
            for var, val in zip(variables, values):
                var.assign(val)
        self._state = None
