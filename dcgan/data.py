"""Images to learn from: the post's ellipses, a folder of PNGs, and the Cartoon Set.

Every loader returns uint8 arrays (n, size, size, channels); :func:`to_unit`
scales a batch to [−1, 1], the generator's tanh range, as the tutorial does.
"""
import csv
import io
import tarfile
from pathlib import Path

import numpy as np

from shared import UserError

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
    rng = np.random.default_rng([seed, 42])
    if variant == "bw":
        return (ellipse_masks(n, size, rng)[..., None] * 255).astype(np.uint8)
    colours = rng.integers(0, 256, (n, 1, 1, 3), dtype=np.uint8)
    if variant == "outline":
        masks = ellipse_masks(n, size, rng, thickness=max(1.0, size / 32))[..., None]
        return np.where(masks, colours, np.uint8(255)).astype(np.uint8)
    masks = ellipse_masks(n, size, rng)[..., None]
    return np.where(masks, colours, np.uint8(0)).astype(np.uint8)


def to_unit(images):
    """uint8 [0, 255] → float32 [−1, 1]."""
    return images.astype(np.float32) / 127.5 - 1.0


def from_unit(images):
    """[−1, 1] → uint8 [0, 255]."""
    return np.clip((np.asarray(images) + 1.0) * 127.5 + 0.5, 0, 255).astype(np.uint8)


def write_pngs(images, folder, prefix="image"):
    import imageio.v3 as iio

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for i, img in enumerate(images):
        iio.imwrite(folder / f"{prefix}_{i:05d}.png", img if img.shape[-1] == 3 else img[..., 0])
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
