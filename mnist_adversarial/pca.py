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
    mean = x_train.mean(0)
    cov = np.cov(x_train - mean, rowvar=False)
    values, vectors = np.linalg.eigh(cov)
    order = np.argsort(values)[::-1]
    return mean, values[order], vectors[:, order]


def nearest_centroid_accuracy(x_train, y_train, x_test, y_test, mean, vectors, k):
    basis = vectors[:, :k]
    ztr = (x_train - mean) @ basis
    zte = (x_test - mean) @ basis
    centroids = np.stack([ztr[y_train == d].mean(0) for d in range(10)])
    dist = ((zte[:, None, :] - centroids[None]) ** 2).sum(-1)
    return float(np.mean(dist.argmin(1) == y_test))


def run(data, ks=KS):
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


def figures(arrays, results, out):
    from shared.figures import plt, save

    vec = arrays["vectors"]
    fig, axes = plt.subplots(2, 5, figsize=(9, 4), layout="constrained")
    for i, ax in enumerate(axes.ravel()):
        v = vec[:, i]
        ax.imshow(((v - v.min()) / (v.max() - v.min())).reshape(28, 28), cmap="gray")
        ax.set_title(f"PC {i + 1}", fontsize=8)
        ax.axis("off")
    fig.suptitle("The first ten eigen-digits, each rescaled to [0, 1]")
    paths = [save(fig, out / "eigen_digits.png")]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
    a1.plot(np.arange(1, 785), arrays["explained"])
    a1.set_xscale("log")
    a1.set_xlabel("components")
    a1.set_ylabel("share of variance explained")
    ks = sorted(int(k) for k in results["accuracy_by_components"])
    a2.plot(ks, [100 * results["accuracy_by_components"][str(k)] for k in ks], marker="o")
    a2.axhline(70, color="grey", ls="--", lw=0.7)
    a2.text(ks[0], 71, "the post: about 70 %", fontsize=8)
    a2.set_xscale("log")
    a2.set_xlabel("components")
    a2.set_ylabel("test accuracy (%)")
    a2.set_title("nearest class mean in principal-component space", fontsize=9)
    paths.append(save(fig, out / "pca_accuracy.png"))
    return paths
