"""Images to learn from: the post's ellipses, a folder of PNGs, and the Cartoon Set.

Every loader returns uint8 arrays (n, size, size, channels); :func:`to_tanh_range`
scales a batch to [−1, 1], the generator's tanh range, as the tutorial does.
:func:`training_images` picks what a section of the post learns from.
"""
import csv
import io
import tarfile
from pathlib import Path

import numpy as np

from dcgan.avatars import write_set
from shared import UserError, runtime
from shared.paths import new_folder
from shared.cli import log

# The post's three ellipse data sets.
VARIANTS = {
    "outline": "unfilled colour ellipses on white (the first attempt)",
    "bw": "opaque white ellipses on black",
    "colour": "opaque ellipses of random colours on black",
}


def ellipse_masks(n, size, rng, thickness=None):
    """``n`` centred ellipses with radii in [size/4, size/2) and a random angle, as boolean masks.

    With ``thickness`` (pixels) only the outline is drawn."""
    half = size / 2
    a = rng.uniform(size / 4, size / 2, n)
    b = rng.uniform(size / 4, size / 2, n)
    theta = rng.uniform(0, np.pi, n)
    yy, xx = np.mgrid[0:size, 0:size] + 0.5 - half
    cos, sin = np.cos(theta)[:, None, None], np.sin(theta)[:, None, None]
    u = xx[None] * cos + yy[None] * sin
    v = -xx[None] * sin + yy[None] * cos
    r = np.sqrt((u / a[:, None, None]) ** 2 + (v / b[:, None, None]) ** 2)
    if thickness is None:
        return r <= 1.0
    # An outline ``thickness`` pixels wide, measured along the smaller radius.
    width = thickness / np.minimum(a, b)[:, None, None]
    return (r <= 1.0) & (r > 1.0 - width)


def ellipses(n, size, variant, seed=0):
    """The post's ellipse images, uint8; ``bw`` has one channel, the others three."""
    if variant not in VARIANTS:
        raise UserError(f"unknown ellipse variant {variant!r}: choose one of {', '.join(VARIANTS)}")
    rng = runtime.rng(seed, "ellipses")
    if variant == "bw":
        return (ellipse_masks(n, size, rng)[..., None] * 255).astype(np.uint8)
    colours = rng.integers(0, 256, (n, 1, 1, 3), dtype=np.uint8)
    if variant == "outline":
        masks = ellipse_masks(n, size, rng, thickness=max(1.0, size / 32))[..., None]
        return np.where(masks, colours, np.uint8(255)).astype(np.uint8)
    masks = ellipse_masks(n, size, rng)[..., None]
    return np.where(masks, colours, np.uint8(0)).astype(np.uint8)


def to_tanh_range(images):
    """uint8 [0, 255] → float32 [−1, 1]."""
    return images.astype(np.float32) / 127.5 - 1.0


def from_tanh_range(images):
    """[−1, 1] → uint8 [0, 255]."""
    return np.clip((np.asarray(images) + 1.0) * 127.5 + 0.5, 0, 255).astype(np.uint8)


def write_ellipse_set(folder, variant, n=100, size=64, seed=0):
    """The ``ellipses`` command: ``n`` ellipses of ``variant`` as PNGs in a new or empty ``folder``."""
    if variant not in VARIANTS:
        raise UserError(f"unknown ellipse variant {variant!r}: choose one of {', '.join(VARIANTS)}")
    if not 1 <= n <= 1_000_000:
        raise UserError("--n must be between 1 and 1000000")
    if not 8 <= size <= 1024:
        raise UserError("--size must be between 8 and 1024")
    return write_pngs(ellipses(n, size, variant, seed), new_folder(folder), prefix=f"ellipse_{variant}")


def write_pngs(images, folder, prefix="image"):
    """uint8 images as ``prefix_NNNNN.png`` files in ``folder`` (made if new)."""
    import imageio.v3 as iio

    from shared.runs import atomic_path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for i, img in enumerate(images):
        with atomic_path(folder / f"{prefix}_{i:05d}.png") as tmp:
            iio.imwrite(tmp, img if img.shape[-1] == 3 else img[..., 0])
    return folder


def _decode(data, name, size, channels):
    from PIL import Image, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise UserError(f"{name} is not a readable image ({exc.__class__.__name__}): "
                        "remove or replace it") from None
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        white = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, img)  # the Cartoon Set's transparent background → white
    img = img.convert("L" if channels == 1 else "RGB")
    if img.size != (size, size):
        img = img.resize((size, size), Image.LANCZOS)
    arr = np.asarray(img, dtype=np.uint8)
    return arr[..., None] if channels == 1 else arr


def read_attributes(text, name):
    """A Cartoon Set CSV: rows of ``"attribute", variant, number_of_variants``."""
    attrs = {}
    for row in csv.reader(io.StringIO(text)):
        if not row:
            continue
        try:
            key, value, count = row[0].strip().strip('"'), int(row[1]), int(row[2])
        except (IndexError, ValueError):
            raise UserError(f"{name} is not a Cartoon Set attribute file (a row reads {row!r})") from None
        attrs[key] = (value, count)
    return attrs


def _members(source):
    """(name, read_bytes) of every file in a folder or a .tgz/.tar archive."""
    source = Path(source)
    if source.is_dir():
        for path in sorted(source.rglob("*")):
            if path.is_file():
                yield str(path.relative_to(source)), path.read_bytes
        return
    if source.is_file() and tarfile.is_tarfile(source):
        with tarfile.open(source) as tar:
            for member in sorted((m for m in tar.getmembers() if m.isfile()), key=lambda m: m.name):
                data = tar.extractfile(member).read()
                yield member.name, (lambda d=data: d)
        return
    if source.exists():
        raise UserError(f"{source} is neither a folder nor a .tgz archive of images")
    raise UserError(f"{source} does not exist: give a folder of PNGs or the cartoonset10k.tgz archive")


def load_images(source, size, channels=3, limit=None):
    """Every PNG of a folder or archive, resized; and their attributes when each has a CSV.

    Returns (images uint8, names, attributes) where attributes maps each attribute
    to (values array, number of variants), or {} when there are no CSV files.
    """
    pngs, csvs = {}, {}
    for name, read in _members(source):
        stem, ext = name.rsplit(".", 1) if "." in name else (name, "")
        if Path(name).name.startswith("."):
            continue
        if ext.lower() == "png":
            pngs[stem] = read
        elif ext.lower() == "csv":
            csvs[stem] = read
    if not pngs:
        raise UserError(f"{source} holds no PNG images: give a folder (or .tgz) of PNGs")
    stems = sorted(pngs)[:limit] if limit else sorted(pngs)
    images = np.stack([_decode(pngs[s](), f"{source}/{s}.png", size, channels) for s in stems])
    attributes = {}
    if csvs:
        missing = [s for s in stems if s not in csvs]
        if missing:
            raise UserError(f"{source}: {missing[0]}.png has no attribute CSV beside it "
                            f"({len(missing)} images lack one); the Cartoon Set has one per image")
        table = [read_attributes(csvs[s]().decode("utf-8"), f"{s}.csv") for s in stems]
        for key in table[0]:
            values = np.array([row.get(key, (0, 0))[0] for row in table], dtype=np.int32)
            count = max(row.get(key, (0, 0))[1] for row in table)
            attributes[key] = (values, count)
    return images, stems, attributes


def attribute_table(attributes):
    """Rows of (attribute, variants, values seen, most common) for a report."""
    rows = []
    for key, (values, count) in sorted(attributes.items()):
        common = np.bincount(values, minlength=count).argmax()
        rows.append([key, str(count), str(len(np.unique(values))), str(common)])
    return rows


# -- What a section of the post learns from -----------------------------------------------
REAL_SET_NAMES = ("cartoonset/cartoonset10k", "cartoonset/cartoonset10k.tgz", "cartoonset10k", "cartoonset10k.tgz")


def real_cartoonset():
    """Google's Cartoon Set under the data folder, if it is there."""
    from shared.data import data_home

    for name in REAL_SET_NAMES:
        path = data_home() / name
        if path.exists():
            return path
    return None


def data_source(settings):
    """What a run learns from: (kind, path or None); kind is ellipses, folder, cartoonset or standin."""
    if settings.dataset != "cartoon":
        return "ellipses", None
    if settings.data:
        path = Path(settings.data)
        if not path.exists():
            raise UserError(f"--data {path} does not exist: give the Cartoon Set folder or its .tgz")
        return "folder", str(path)
    real = real_cartoonset()
    return ("cartoonset", str(real)) if real else ("standin", None)


def training_images(settings, seed, source, run_dir=None):
    """uint8 images and attributes {name: (values, number of variants)} for a run.

    The stand-in avatars are drawn into the run folder (``standin_avatars/``) the first time.
    """
    kind, path = source
    if kind == "ellipses":
        return ellipses(settings.images, settings.size, settings.dataset, seed), {}
    if kind == "standin":
        folder = Path(run_dir) / "standin_avatars"
        if not (folder / "README.txt").exists():
            log(f"drawing {settings.images:,} stand-in avatars (the Cartoon Set is not under the data folder)")
            write_set(folder, settings.images, seed)
        path = folder
    images, _, attributes = load_images(path, settings.size, settings.channels, limit=settings.images)
    return images, attributes


def check_condition(condition, attributes, source):
    """Refuse conditioning on attributes the data does not have."""
    if not condition:
        return
    if not attributes:
        raise UserError(f"--condition needs attributes, and {source[1]} has no attribute CSV files")
    unknown = [a for a in condition if a not in attributes]
    if unknown:
        raise UserError(f"unknown attribute {unknown[0]!r}: the data has {', '.join(sorted(attributes))}")


def one_hot(attributes, condition):
    """The conditioning input: the one-hot values of each attribute of ``condition``, side by side."""
    blocks = []
    for name in condition:
        values, count = attributes[name]
        blocks.append(np.eye(count, dtype=np.float32)[values])
    return np.concatenate(blocks, axis=1)
