"""Epoch images and their animation: 4 × 4 grids, a GIF and an MP4 (imageio)."""
from pathlib import Path

import numpy as np

from dcgan.data import from_tanh_range
from shared.runs import atomic_path


def grid(images, columns=4, pad=2):
    """Images in [−1, 1] (n, h, w, c) → one uint8 RGB grid with white gutters."""
    imgs = from_tanh_range(images)
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

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        iio.imwrite(tmp, img)
    return path


GIF_BYTES = 2 * 2**20
"""The most a GIF may take; above it, every other frame goes (the last stays) and each shows twice as long."""


def gif(frames, path, fps=5, max_bytes=GIF_BYTES):
    """``frames`` as a looping GIF of at most ``max_bytes`` (the MP4 and the epoch PNGs keep every frame)."""
    import imageio.v2 as imageio

    frames, duration = list(frames), 1000 / fps
    while True:
        with atomic_path(path) as tmp:
            imageio.mimsave(tmp, frames, duration=duration, loop=0)
        if Path(path).stat().st_size <= max_bytes or len(frames) <= 2:
            return Path(path)
        frames, duration = frames[:-1:2] + frames[-1:], duration * 2


def animate(frames, gif_path, mp4_path=None, fps=5):
    """Stitch frames into a GIF (and an MP4 when ffmpeg is at hand); return what was written."""
    import imageio.v2 as imageio

    frames = [upscale(f) for f in frames]
    written = [gif(frames, gif_path, fps)]
    if mp4_path is not None:
        try:
            import imageio_ffmpeg  # noqa: F401
        except ImportError:
            return written
        # Even sides for yuv420p; macro_block_size 16 would resize otherwise.
        h, w = frames[0].shape[:2]
        even = [f[:h - h % 2, :w - w % 2] for f in frames]
        with atomic_path(mp4_path) as tmp:
            imageio.mimsave(tmp, even, fps=fps, macro_block_size=1, quality=8)
        written.append(Path(mp4_path))
    return written


def imread(path):
    import imageio.v3 as iio

    return iio.imread(path)
