"""The files of a resumable ``fit``'s backup folder, read without importing Keras.

:class:`shared.training.EpochBackup` writes them: after epoch k, the weights and
optimizer state go to a file of their own, ``epoch<k>.weights.h5``; only then
does ``training_metadata.json``, written whole, say ``{"epoch": k}``; the older
weights file goes last. So the metadata always names a complete file, whenever
the process is killed. Runs made before kept Keras' own layout, one
``latest.weights.h5`` rewritten in place (``.bkp`` its previous copy); they
are still read.
"""
import json
from pathlib import Path

from shared import runs

METADATA = "training_metadata.json"
KERAS_WEIGHTS = "latest.weights.h5"  # BackupAndRestore's own file name, in runs made before


def weights_name(epoch):
    return f"epoch{epoch}.weights.h5"


def epoch_of(backup_dir):
    """The number of epochs a backup folder holds (0 when none)."""
    try:
        return int(json.loads((Path(backup_dir) / METADATA).read_text())["epoch"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def weights_file(backup_dir):
    """The file that holds the backup's epoch: its own, or Keras' ``latest.weights.h5``
    in a run made before; None when there is neither."""
    backup_dir = Path(backup_dir)
    for name in (weights_name(epoch_of(backup_dir)), KERAS_WEIGHTS, KERAS_WEIGHTS + ".bkp"):
        if (backup_dir / name).exists():
            return backup_dir / name
    return None


def check(backup_dir, run_dir):
    """A backup that cannot be read is damage to ``run_dir``, said in one line before anything trains."""
    import h5py  # Keras' weight files are HDF5; h5py comes with Keras and starts in no time

    backup_dir, run_dir = Path(backup_dir), Path(run_dir)
    if not (backup_dir / METADATA).exists():
        return  # no epoch was backed up whole: training starts from the beginning
    name = (backup_dir / METADATA).relative_to(run_dir).as_posix()
    epoch = runs.read_run_json(run_dir, name).get("epoch")
    if not isinstance(epoch, int) or epoch < 0:
        raise runs.damaged(run_dir, name, "has no epoch count")
    weights = weights_file(backup_dir)
    if weights is None:
        raise runs.damaged(run_dir, (backup_dir / weights_name(epoch)).relative_to(run_dir).as_posix(), "is missing")
    try:
        with h5py.File(weights, "r") as fh:
            list(fh)
    except OSError as exc:
        if weights.name == KERAS_WEIGHTS and (backup_dir / (KERAS_WEIGHTS + ".bkp")).exists():
            return  # Keras' double checkpoint: BackupAndRestore falls back on the previous copy
        raise runs.damaged(run_dir, weights.relative_to(run_dir).as_posix(),
                           f"cannot be read ({type(exc).__name__})") from None
