"""The studio's "Not human" tab: draw a digit, see what each network of a run calls it.

``POST /api/mnist/classify {"run": NAME, "pixels": [784 numbers in 0..1], "centre": bool}``
answers each network's ten outputs (:meth:`mnist_adversarial.play.Classifiers.classify`).
With ``centre`` the drawing is first prepared as MNIST's digits were
(:func:`mnist_adversarial.play.centre_like_mnist`): the post's point is that a digit drawn
to the frame's edges is read wrongly, and the same digit centred is not. The tab also
shows the genetic algorithm's fooling images and the eigen-digits of the newest complete
``genetic`` and ``pca`` runs, when there are some.
"""
import math

import numpy as np
from starlette.responses import JSONResponse
from starlette.routing import Route

from mnist_adversarial import play
from shared.studio.api import BadRequest, Tab, boolean, read_json

POST = "mnist_adversarial"


def pixels(data):
    """The canvas: exactly 784 finite numbers in [0, 1] (28 × 28, white ink on black)."""
    values = data.get("pixels")
    if not isinstance(values, list):
        raise BadRequest("pixels must be a list of 784 numbers in [0, 1] (a 28 × 28 canvas)")
    if len(values) != 784:
        raise BadRequest(f"pixels must be 784 numbers (a 28 × 28 canvas), not {len(values)}")
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise BadRequest(f"pixel {i} must be a number in [0, 1], not {str(v)[:20]!r}")
        if not math.isfinite(v):
            raise BadRequest(f"pixel {i} must be a finite number in [0, 1], not {v}")
        if not 0 <= v <= 1:
            raise BadRequest(f"pixel {i} must be in [0, 1], not {v:g}")
    return np.asarray(values, dtype="float32").reshape(28, 28)


def routes(studio):
    async def classify(request):
        data = await read_json(request)
        entry = studio.run(TAB, data.get("run"))
        image = pixels(data)
        centre = boolean(data, "centre", False)
        nets = await studio.model(entry.name, lambda: play.load(entry.path))

        def work():
            seen = play.centre_like_mnist(image) if centre else image
            return nets.classify(seen), np.asarray(seen).reshape(-1).round(4).tolist()

        outputs, seen = await studio.work(work)
        return JSONResponse({"run": entry.name, "centre": centre, "outputs": outputs, "seen": seen})

    return [Route("/api/mnist/classify", classify, methods=["POST"])]


def info(studio, entry):
    accuracy = {}
    for name, value in (entry_results(entry) or {}).items():
        if isinstance(value, dict) and "test_accuracy" in value:
            accuracy[name] = value["test_accuracy"]
    shown = []
    for experiment, title in (("genetic", "The genetic algorithm's fooling images"), ("pca", "Eigen-digits")):
        found = studio.latest(POST, experiment)
        if found is None:
            shown.append({"title": title, "run": None,
                          "make": f"python -m {POST} {experiment} --profile quick"})
            continue
        figures = sorted(p.relative_to(found.path).as_posix() for p in (found.path / "figures").glob("*.png"))
        if experiment == "pca":
            figures = [f for f in figures if "eigen" in f] or figures
        shown.append({"title": title, "run": found.name, "figures": [studio.file_url(found, f) for f in figures]})
    return {"networks": list(accuracy) or ["mlp100", "mlp30", "cnn"], "accuracy": accuracy, "figures": shown}


def entry_results(entry):
    from shared.runs import read_json

    try:
        return read_json(entry.path / "results.json")
    except (OSError, ValueError):
        return None


def bench(entry):
    rng = np.random.default_rng(0)
    image = np.zeros((28, 28))
    image[6:22, 12:16] = rng.uniform(0.5, 1.0, (16, 4))  # a rough "1"
    return "digit_ms", "/api/mnist/classify", {"run": entry.name, "pixels": image.reshape(-1).tolist(), "centre": True}


TAB = Tab(key="mnist", title="Not human", post=POST, experiments=("networks",),
          make=f"python -m {POST} networks --profile quick", routes=routes, info=info, bench=bench,
          about="Draw a digit (mouse or finger): the ten outputs of each network, with the drawing "
                "used as it is or first centred and scaled as MNIST's digits were.")
