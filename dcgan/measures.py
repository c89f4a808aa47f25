"""Numbers for what the post sees in its pictures.

- diversity: the mean pairwise distance between the 16 fixed-seed samples (RMS
  per pixel, in [0, 1] units); mode collapse shows as a drop far below the same
  measure on real images.
- brightness: the mean pixel value; the first attempt "just generates white backgrounds".
- ellipse fit: for each image, the shape (pixels away from the background) against
  the ellipse with the same second moments, as intersection over union; a clean
  ellipse scores near 1, a blob of noise near 0.
- nearest real image: the RMS distance from each sample to its nearest training
  image; faces appear when it nears the distance between real images.
"""
import numpy as np


def to_unit_range(images):
    """The generator's [−1, 1] → [0, 1], the range every measure is given in."""
    return (np.asarray(images, dtype=np.float32) + 1.0) / 2.0


def diversity(images):
    x = to_unit_range(images).reshape(len(images), -1)
    d = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).mean(-1))
    n = len(x)
    return float(d.sum() / (n * (n - 1))) if n > 1 else 0.0


def brightness(images):
    return float(to_unit_range(images).mean())


def shape_mask(images, background):
    """Pixels that differ from the background colour (``background`` in [0, 1])."""
    x = to_unit_range(images)
    return np.abs(x - background).max(axis=-1) > 0.5


def ellipse_iou(mask):
    """IoU between a mask and the ellipse with the same centroid and second moments."""
    ys, xs = np.nonzero(mask)
    if len(xs) < 5:
        return 0.0
    cx, cy = xs.mean(), ys.mean()
    cov = np.cov(np.stack([xs - cx, ys - cy]))
    try:
        inv = np.linalg.inv(cov)
    except np.linalg.LinAlgError:
        return 0.0
    yy, xx = np.mgrid[0:mask.shape[0], 0:mask.shape[1]]
    dx, dy = xx - cx, yy - cy
    # a uniform ellipse's covariance is (radius²/4) along its axes: inside ⇔ d·Σ⁻¹·d ≤ 4
    inside = (dx * (inv[0, 0] * dx + inv[0, 1] * dy) + dy * (inv[1, 0] * dx + inv[1, 1] * dy)) <= 4
    union = np.logical_or(inside, mask).sum()
    return float(np.logical_and(inside, mask).sum() / union) if union else 0.0


def mean_ellipse_iou(images, background):
    return float(np.mean([ellipse_iou(m) for m in shape_mask(images, background)]))


def nearest_real(images, reals, size=16):
    """Mean RMS distance from each image to its nearest real image (both block-averaged to ``size``)."""
    def small(x):
        x = to_unit_range(x)
        n, h, w, c = x.shape
        k = max(1, h // size)
        return x[:, :h // k * k, :w // k * k].reshape(n, h // k, k, w // k, k, c).mean((2, 4)).reshape(n, -1)

    a, b = small(images), small(reals)
    d = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).mean(-1))
    return float(d.min(axis=1).mean())


def change(before, after):
    """RMS difference (in [0, 1] units) between two epochs' images of the same latent vectors."""
    return float(np.sqrt(((to_unit_range(before) - to_unit_range(after)) ** 2).mean()))


def sample_measures(samples, reals, background=None):
    """The measures of one epoch's 16 fixed-noise samples (``background``: the ellipses', for the fit)."""
    row = {"diversity": diversity(samples), "brightness": brightness(samples),
           "nearest_real": nearest_real(samples, reals)}
    row["ellipse_iou"] = None if background is None else mean_ellipse_iou(samples, background)
    return row


def real_measures(reals, background=None):
    """The same measures of 16 real images (the nearest-neighbour distance to the other real ones)."""
    ref, probe = reals[16:], reals[:16]
    out = {"diversity": diversity(probe), "brightness": brightness(reals),
           "nearest_real": nearest_real(probe, ref) if len(ref) else 0.0}
    if background is not None:
        out["ellipse_iou"] = mean_ellipse_iou(probe, background)
    return out
