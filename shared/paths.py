"""Where a command may write: a new or empty folder, an output file; one line when it cannot."""
import os
import tempfile
from pathlib import Path

from shared import UserError


def probe_write(folder):
    """Write and remove a file in ``folder``: an OSError says why nothing can be written there."""
    fd, probe = tempfile.mkstemp(dir=folder, prefix=".write-test-")
    os.close(fd)
    os.unlink(probe)


def new_folder(folder, option="--dir"):
    """Make ``folder`` (new or empty) for a command's files, or say in one line why it cannot be,
    leaving nothing behind."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{option} {folder} is a file: give a new or empty folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise UserError(f"{folder} is not empty: give a new or empty folder (nothing was written)")
    made = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe_write(folder)
    except OSError as exc:
        for p in made:  # the deepest first
            if p.is_dir():
                p.rmdir()
        raise UserError(f"cannot write to {option} {folder}: {exc.strerror or exc}; "
                        "give a folder you can write to") from None
    return folder


def check_output_file(path, option="--output", suffix=None):
    """Refuse, in one line and before any work, an output file that is a folder, lacks ``suffix``
    (when one is asked for) or cannot be written."""
    path = Path(path)
    if suffix and path.suffix.lower() != suffix:
        raise UserError(f"{option} {path} must end in {suffix}")
    if path.is_dir():
        raise UserError(f"{option} {path} is a folder: give a file name" + (f" ending in {suffix}" if suffix else ""))
    parent = path.parent
    if not parent.is_dir():
        raise UserError(f"{option} {path}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise UserError(f"{option} {path}: cannot write to the folder {parent}")
    try:
        probe_write(parent)
    except OSError as exc:
        raise UserError(f"{option} {path}: cannot write to the folder {parent} ({exc.strerror or exc})") from None
    return path
