"""Experiment ``pca``: eigen-digits, explained variance, and a principal-component classifier.

The 784 × 784 covariance of the mean-centred training images (not divided by the
standard deviations, as in the post), its eigenvectors in descending order of
eigenvalue, the first ones rescaled to [0, 1] as "eigen-digits". The post reached
about 70 % "with them" and did not say how; we classify each test image by the
nearest class mean in the space of the first k components (nearest centroid),
for k from 1 to 784.
"""
import numpy as np

KS = (1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 784)


def components(x_train):
    """(mean image, eigenvalues, eigenvectors) of the training images' covariance, largest first."""
    mean = x_train.mean(0)
    cov = np.cov(x_train - mean, rowvar=False)
    values, vectors = np.linalg.eigh(cov)
    order = np.argsort(values)[::-1]
    return mean, values[order], vectors[:, order]


def nearest_centroid_accuracy(x_train, y_train, x_test, y_test, mean, vectors, k):
    """Test accuracy of the nearest class mean among the first ``k`` components."""
    basis = vectors[:, :k]
    ztr = (x_train - mean) @ basis
    zte = (x_test - mean) @ basis
    centroids = np.stack([ztr[y_train == d].mean(0) for d in range(10)])
    dist = ((zte[:, None, :] - centroids[None]) ** 2).sum(-1)
    return float(np.mean(dist.argmin(1) == y_test))


def run(data, ks=KS):
    """Components of the training images, and the nearest-centroid accuracy for each k in ``ks``."""
    (xtr, ytr), (xte, yte) = data
    mean, values, vectors = components(xtr.astype("float64"))
    explained = np.cumsum(values) / values.sum()
    accs = {str(k): nearest_centroid_accuracy(xtr, ytr, xte, yte, mean, vectors, k) for k in ks}
    results = {
        "method": "nearest class mean in the space of the first k principal components",
        "accuracy_by_components": accs,
        "best_accuracy": max(accs.values()),
        "explained_variance": {str(k): float(explained[k - 1]) for k in ks},
        "components_for_90_percent": int(np.searchsorted(explained, 0.9) + 1),
    }
    return results, {"values": values, "vectors": vectors[:, :20], "explained": explained}
