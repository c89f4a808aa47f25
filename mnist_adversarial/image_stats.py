"""Per-digit image statistics: the 10-bin intensity histogram and the "variograms".

As the post's R code computes them from the training set:

- histogram: the share of pixels in (0.1·(b−1), 0.1·b] for b = 1..10, the first bin
  taking 0 too;
- variogram along x (within an image row) and along y (within a column): for lags
  k = 1..14, the mean |pixel − pixel k places further|.

The post's Rcpp, scoring a candidate image, compares with lag-1 differences for
every k (over a window that shrinks with k) and swaps no axes consistently with
the R code; ``as_posted=True`` reproduces that arithmetic, the default compares
like with like.
"""
import numpy as np

LAGS = 14
EDGES = np.linspace(0.0, 1.0, 11)


def histogram(images):
    """(10,) shares of pixels per intensity bin, as the R code bins them."""
    x = np.asarray(images, dtype="float64").ravel()
    bins = np.clip(np.ceil(x * 10 - 1e-9).astype(int) - 1, 0, 9)
    return np.bincount(bins, minlength=10) / x.size


def variogram(images, lags=LAGS, as_posted=False):
    """(N, lags) x and (N, lags) y statistics of images (N, 784)."""
    img = np.asarray(images, dtype="float32").reshape(-1, 28, 28)
    gx = np.empty((len(img), lags), "float32")
    gy = np.empty((len(img), lags), "float32")
    for k in range(1, lags + 1):
        if as_posted:  # lag 1 over the first 28 − k columns / rows
            gx[:, k - 1] = np.abs(img[:, :, :28 - k] - img[:, :, 1:29 - k]).mean((1, 2))
            gy[:, k - 1] = np.abs(img[:, :28 - k, :] - img[:, 1:29 - k, :]).mean((1, 2))
        else:
            gx[:, k - 1] = np.abs(img[:, :, k:] - img[:, :, :-k]).mean((1, 2))
            gy[:, k - 1] = np.abs(img[:, k:, :] - img[:, :-k, :]).mean((1, 2))
    return gx, gy


def digit_stats(x_train, y_train):
    """Per digit: histogram (10, 10), g_x (10, 14), g_y (10, 14)."""
    hist = np.stack([histogram(x_train[y_train == d]) for d in range(10)])
    gx = np.zeros((10, LAGS))
    gy = np.zeros((10, LAGS))
    for d in range(10):
        imgs = x_train[y_train == d]
        for start in range(0, len(imgs), 2000):
            bx, by = variogram(imgs[start:start + 2000])
            gx[d] += bx.sum(0)
            gy[d] += by.sum(0)
        gx[d] /= len(imgs)
        gy[d] /= len(imgs)
    return {"histogram": hist, "g_x": gx, "g_y": gy}


def variogram_cost(images, g_x, g_y, as_posted=False):
    """Σ_k (1/14)|g_x[k] − this_g_x[k]| + the same along y; g_x, g_y per image (N, 14)."""
    tx, ty = variogram(images, g_x.shape[-1], as_posted)
    scale = 1.0 / g_x.shape[-1]
    return scale * (np.abs(g_x - tx).sum(-1) + np.abs(g_y - ty).sum(-1))
