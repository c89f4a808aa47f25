"""Where a run keeps its files: ``<out>/joyce_lstm/train/<time>-seed<N>/`` and, in it,
a checkpoint and the samples of every epoch (no Keras needed to find them)."""
from pathlib import Path

POST, EXPERIMENT = "joyce_lstm", "train"

CHECKPOINT = "epoch_{epoch:02d}.keras"  # also ModelCheckpoint's file-name template


def checkpoint_path(run_dir, epoch):
    return Path(run_dir) / "checkpoints" / CHECKPOINT.format(epoch=epoch)


def samples_path(run_dir, epoch):
    return Path(run_dir) / "samples" / f"epoch_{epoch:02d}.json"


def saved_checkpoints(run_dir):
    """The epochs whose checkpoints the run holds, in order."""
    return sorted(int(p.stem.split("_")[1]) for p in (Path(run_dir) / "checkpoints").glob("epoch_*.keras"))
