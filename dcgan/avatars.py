"""A STAND-IN for Google's Cartoon Set: procedurally drawn avatars in the same format.

The real Cartoon Set (CC-BY 4.0) cannot be downloaded on every machine, so this
draws simple cartoon faces with PIL and writes them as the Cartoon Set does: one
PNG per avatar and a CSV beside it with rows ``"attribute", variant,
number_of_variants``. The attributes carry the Cartoon Set's names where one
exists. Every avatar of a set has a different combination of attributes. These
are not the post's images: wherever they are used, the run says so.
"""
import csv
import io
from pathlib import Path

from shared import UserError, runtime
from shared.paths import new_folder
from shared.runs import atomic_path, write_text

STANDIN_NOTE = "procedural stand-in avatars (not Google's Cartoon Set)"

ATTRIBUTES = {  # name: number of variants
    "face_shape": 4, "chin_length": 3, "face_color": 11, "hair": 8, "hair_color": 10,
    "eye_color": 5, "eye_angle": 3, "eyebrow_shape": 4, "glasses": 4, "glasses_color": 7,
    "facial_hair": 4,
}
SKIN = [(255, 224, 196), (250, 208, 170), (241, 194, 150), (224, 172, 125), (198, 144, 100),
        (176, 120, 82), (150, 98, 64), (122, 78, 50), (96, 60, 38), (255, 236, 220), (232, 190, 160)]
HAIR = [(20, 20, 20), (70, 45, 25), (120, 80, 40), (180, 130, 70), (230, 200, 120),
        (200, 80, 30), (150, 150, 150), (240, 240, 240), (60, 90, 200), (200, 60, 140)]
EYES = [(60, 40, 20), (40, 110, 200), (60, 140, 70), (110, 110, 110), (150, 100, 40)]
GLASSES = [(10, 10, 10), (120, 30, 30), (30, 60, 140), (200, 160, 40), (140, 140, 140),
           (40, 120, 60), (200, 90, 160)]


def _draw(attrs, size=128):
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (size, size), (255, 255, 255))
    d = ImageDraw.Draw(img)
    s = size / 128
    skin, hair = SKIN[attrs["face_color"]], HAIR[attrs["hair_color"]]
    shape, chin, style = attrs["face_shape"], attrs["chin_length"], attrs["hair"]
    top, bottom = 30 * s, (98 + 6 * chin) * s
    left, right = (36 - 4 * (shape == 1)) * s, (92 + 4 * (shape == 1)) * s
    if shape == 3:
        left, right = left + 5 * s, right - 5 * s
    # hair behind the face
    if style == 3:  # long
        d.rectangle([left - 6 * s, 40 * s, right + 6 * s, 112 * s], fill=hair)
    if style == 7:  # afro
        d.ellipse([20 * s, 8 * s, 108 * s, 92 * s], fill=hair)
    # face
    box = [left, top, right, bottom]
    if shape == 2:
        d.rounded_rectangle(box, radius=14 * s, fill=skin)
    else:
        d.ellipse(box, fill=skin)
    # hair on top
    if style in (1, 2, 3, 6):
        d.chord([left - 2 * s, top - 10 * s, right + 2 * s, top + 34 * s], 180, 360, fill=hair)
    if style == 2:  # bob: sides to the ears
        d.rectangle([left - 3 * s, top + 10 * s, left + 7 * s, 74 * s], fill=hair)
        d.rectangle([right - 7 * s, top + 10 * s, right + 3 * s, 74 * s], fill=hair)
    if style == 4:  # spikes
        for x in range(int(left), int(right) - 4, max(1, int(9 * s))):
            d.polygon([(x, top + 8 * s), (x + 5 * s, top - 12 * s), (x + 10 * s, top + 8 * s)], fill=hair)
    if style == 5:  # bun
        d.chord([left - 2 * s, top - 8 * s, right + 2 * s, top + 30 * s], 180, 360, fill=hair)
        d.ellipse([54 * s, 6 * s, 74 * s, 26 * s], fill=hair)
    if style == 6:  # side part: a sweep to one side
        d.polygon([(left, top + 12 * s), (64 * s, top - 6 * s), (left - 4 * s, top + 30 * s)], fill=hair)
    # eyes
    tilt = (attrs["eye_angle"] - 1) * 2 * s
    for cx, dy in ((52 * s, tilt), (76 * s, -tilt)):
        cy = 62 * s + dy
        d.ellipse([cx - 7 * s, cy - 5 * s, cx + 7 * s, cy + 5 * s], fill=(255, 255, 255), outline=(40, 40, 40))
        d.ellipse([cx - 4 * s, cy - 4 * s, cx + 4 * s, cy + 4 * s], fill=EYES[attrs["eye_color"]])
        d.ellipse([cx - 1.6 * s, cy - 1.6 * s, cx + 1.6 * s, cy + 1.6 * s], fill=(0, 0, 0))
        # eyebrows
        brow = attrs["eyebrow_shape"]
        by = cy - 11 * s
        if brow == 0:
            d.line([cx - 8 * s, by, cx + 8 * s, by], fill=hair, width=max(1, int(3 * s)))
        elif brow == 1:
            d.arc([cx - 9 * s, by - 4 * s, cx + 9 * s, by + 8 * s], 200, 340, fill=hair, width=max(1, int(3 * s)))
        elif brow == 2:
            d.line([cx - 8 * s, by + 2 * s, cx, by - 3 * s, cx + 8 * s, by + 2 * s], fill=hair, width=max(1, int(3 * s)))
        else:
            d.rectangle([cx - 8 * s, by - 2 * s, cx + 8 * s, by + 2 * s], fill=hair)
    # nose and mouth
    d.arc([60 * s, 66 * s, 68 * s, 78 * s], 300, 60, fill=(90, 60, 40), width=max(1, int(2 * s)))
    d.arc([54 * s, 74 * s, 74 * s, 88 * s], 20, 160, fill=(150, 50, 50), width=max(1, int(2 * s)))
    # facial hair
    fh = attrs["facial_hair"]
    if fh == 1:  # moustache
        d.rectangle([54 * s, 79 * s, 74 * s, 83 * s], fill=hair)
    elif fh == 2:  # goatee
        d.ellipse([58 * s, 88 * s, 70 * s, 98 * s + 6 * chin * s], fill=hair)
    elif fh == 3:  # beard
        d.chord([left, 60 * s, right, bottom + 4 * s], 0, 180, fill=hair)
        d.arc([54 * s, 74 * s, 74 * s, 88 * s], 20, 160, fill=(150, 50, 50), width=max(1, int(2 * s)))
    # glasses
    g = attrs["glasses"]
    if g:
        colour = GLASSES[attrs["glasses_color"]]
        for cx, dy in ((52 * s, tilt), (76 * s, -tilt)):
            cy = 62 * s + dy
            frame = [cx - 10 * s, cy - 8 * s, cx + 10 * s, cy + 8 * s]
            if g == 1:
                d.ellipse(frame, outline=colour, width=max(1, int(2 * s)))
            elif g == 2:
                d.rectangle(frame, outline=colour, width=max(1, int(2 * s)))
            else:
                d.rounded_rectangle(frame, radius=5 * s, fill=colour)
        d.line([62 * s, 62 * s, 66 * s, 62 * s], fill=colour, width=max(1, int(2 * s)))
    return img


def draw_attributes(n, seed=0):
    """``n`` distinct attribute combinations, drawn uniformly."""
    rng = runtime.rng(seed, "avatar attributes")
    names = list(ATTRIBUTES)
    seen, rows = set(), []
    while len(rows) < n:
        values = tuple(int(rng.integers(0, ATTRIBUTES[k])) for k in names)
        if values not in seen:
            seen.add(values)
            rows.append(dict(zip(names, values)))
    return rows


def write_set(folder, n, seed=0, size=128):
    """Write ``n`` stand-in avatars as ``cs_NNNNN.png`` + ``cs_NNNNN.csv``; return the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for i, attrs in enumerate(draw_attributes(n, seed)):
        stem = folder / f"cs_{i:05d}"
        with atomic_path(stem.with_suffix(".png")) as tmp:
            _draw(attrs, size).save(tmp)
        buf = io.StringIO()
        writer = csv.writer(buf, quoting=csv.QUOTE_NONNUMERIC)
        for key, value in attrs.items():
            writer.writerow([key, value, ATTRIBUTES[key]])
        write_text(stem.with_suffix(".csv"), buf.getvalue())
    write_text(folder / "README.txt", f"{n} {STANDIN_NOTE}, seed {seed}; format of the Cartoon Set "
               "(PNG + attribute CSV per image).\n")
    return folder


def write_standin_set(folder, n=10_000, seed=0, size=128):
    """The ``avatars`` command: ``n`` stand-in avatars in a new or empty ``folder``."""
    if not 1 <= n <= 1_000_000:
        raise UserError("--n must be between 1 and 1000000")
    if not 16 <= size <= 1024:
        raise UserError("--size must be between 16 and 1024")
    return write_set(new_folder(folder), n, seed, size)
