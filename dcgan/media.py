"""Epoch images and their animation: 4 × 4 grids, a GIF and an MP4 (imageio)."""
from pathlib import Path

import numpy as np

from dcgan.data import from_unit


def grid(images, columns=4, pad=2):
    """Images in [−1, 1] (n, h, w, c) → one uint8 RGB grid with white gutters."""
    imgs = from_unit(images)
    if imgs.shape[-1] == 1:
        imgs = np.repeat(imgs, 3, axis=-1)
    n, h, w, _ = imgs.shape
    rows = int(np.ceil(n / columns))
    out = np.full((rows * (h + pad) + pad, columns * (w + pad) + pad, 3), 255, np.uint8)
    for i, img in enumerate(imgs):
        r, c = divmod(i, columns)
        out[pad + r * (h + pad):pad + r * (h + pad) + h, pad + c * (w + pad):pad + c * (w + pad) + w] = img
    return out


def upscale(img, target=256):
    k = max(1, target // max(img.shape[:2]))
    return np.kron(img, np.ones((k, k, 1), np.uint8)) if k > 1 else img


def save_png(img, path):
    import imageio.v3 as iio

    from shared.runs import usual_mode

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp.png")
    iio.imwrite(tmp, img)
    usual_mode(tmp)
    tmp.replace(path)
    return path


def animate(frames, gif_path, mp4_path=None, fps=5):
    """Stitch frames into a GIF (and an MP4 when ffmpeg is at hand); return what was written."""
    import imageio.v2 as imageio

    frames = [upscale(f) for f in frames]
    written = []
    gif_path = Path(gif_path)
    tmp = gif_path.with_name(f".{gif_path.name}.tmp.gif")
    imageio.mimsave(tmp, frames, duration=1000 / fps, loop=0)
    tmp.replace(gif_path)
    written.append(gif_path)
    if mp4_path is not None:
        try:
            import imageio_ffmpeg  # noqa: F401
        except ImportError:
            return written
        mp4_path = Path(mp4_path)
        tmp = mp4_path.with_name(f".{mp4_path.name}.tmp.mp4")
        # Even sides for yuv420p; macro_block_size 16 would resize otherwise.
        h, w = frames[0].shape[:2]
        even = [f[:h - h % 2, :w - w % 2] for f in frames]
        imageio.mimsave(tmp, even, fps=fps, macro_block_size=1, quality=8)
        tmp.replace(mp4_path)
        written.append(mp4_path)
    return written


def imread(path):
    import imageio.v3 as iio

    return iio.imread(path)
