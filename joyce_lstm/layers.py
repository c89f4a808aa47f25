"""The LSTM over character ids: Keras' LSTM with its input projection a row lookup.

A one-hot vector times the LSTM's input kernel is one row of that kernel, so
instead of multiplying a (batch, n_chars) one-hot step by the (n_chars, 4 · units)
kernel, each step of :class:`LSTM` picks the rows of its characters
(``ops.take``). Same weights, same function: the test suite checks outputs and
gradients against Keras' ``LSTM`` on one-hot vectors.

Picking each step's rows inside the loop is faster than picking all the steps'
rows before it: the loop then carries 100 × 128 ids instead of 100 × 128 × 512
floats, and so does its gradient.
"""
import keras
from keras import ops


class RowLookupLSTMCell(keras.layers.LSTMCell):
    """Keras' LSTM cell fed one character id per sequence, shape (batch, 1), instead of its one-hot
    vector: ``one_hot(id) · kernel`` is row ``id`` of the kernel.

    The rest is ``LSTMCell.call``'s arithmetic (its default, fused implementation),
    in the same order: z = x·kernel + h·recurrent_kernel + bias.
    """

    def call(self, ids, states, training=False):
        h, c = states
        x_kernel = ops.take(self.kernel, ids[:, 0], axis=0)
        z = ops.add(x_kernel, ops.matmul(h, self.recurrent_kernel))
        if self.use_bias:
            z = ops.add(z, self.bias)
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=1)
        i, f, o = self.recurrent_activation(z_i), self.recurrent_activation(z_f), self.recurrent_activation(z_o)
        c = f * c + i * self.activation(z_c)
        h = o * self.activation(c)
        return h, [h, c]


@keras.saving.register_keras_serializable(package="joyce_lstm")
class LSTM(keras.layers.RNN):
    """An LSTM over character ids: the same function of the same weights as Keras' ``LSTM`` over
    their one-hot vectors.

    ``sequences`` are integer ids, shape (batch, time). The kernel keeps its
    one-hot shape (``n_chars``, 4 · units). The class is named ``LSTM``, as
    Keras' own, because Keras names a layer's weights in ``.keras`` and
    ``.weights.h5`` files after its class: the same name keeps the one-hot
    model's files loadable into this one, and the other way round.
    """

    def __init__(self, units, n_chars, return_sequences=False, **kwargs):
        cell = RowLookupLSTMCell(units, name="lstm_cell")
        super().__init__(cell, return_sequences=return_sequences, **kwargs)
        self.units, self.n_chars = units, n_chars
        self.input_spec = keras.InputSpec(ndim=2)

    def build(self, sequences_shape, initial_state_shape=None):
        # The cell is built as for one-hot steps of n_chars: kernel (n_chars, 4 · units).
        super().build((*sequences_shape, self.n_chars), initial_state_shape)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        steps = ops.expand_dims(ops.cast(sequences, "int32"), -1)  # (batch, time, 1): RNN steps over axis 1
        return super().call(steps, initial_state=initial_state, mask=mask, training=training)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        return super().compute_output_shape((*sequences_shape, self.n_chars), initial_state_shape)

    def get_config(self):
        config = super().get_config()
        del config["cell"]  # made by __init__ from units
        return {**config, "units": self.units, "n_chars": self.n_chars}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
