"""The studio's "Avatars" tab: the little web app the post wished for.

- ``POST /api/avatars/grid {"run": NAME, "random_seed": S, "attributes": {name: value|null}}``
  → a PNG: 16 avatars from random seed S, a 4 × 4 grid (:meth:`dcgan.play.Avatars.draw`);
- ``POST /api/avatars/walk {"run": NAME, "seed_a": A, "seed_b": B, "t": 0..1, "spherical": bool,
  "attributes": {...}}`` → a PNG: the avatar at ``t`` on the way from seed A's latent
  vector to seed B's (:meth:`dcgan.play.Avatars.walk`).

``attributes`` is for a run trained with ``--condition``: the page offers a picker per
conditioned attribute (null: drawn as the training set has them).
"""
import io

import numpy as np
from starlette.responses import Response
from starlette.routing import Route

from dcgan import play
from shared.cli import SEED_MAX
from shared.studio.api import BadRequest, Tab, boolean, integer, number, read_json

POST = "dcgan"
EXPERIMENTS = ("cartoon", "colour-ellipses", "bw-ellipses", "first-attempt")


def attributes_of(data, avatars):
    """``data["attributes"]``: {name: whole number or null}, each a conditioned attribute in range."""
    given = data.get("attributes") or {}
    if not isinstance(given, dict):
        raise BadRequest("attributes must be an object of attribute names and values")
    known = avatars.attributes
    wanted = {}
    for name, value in given.items():
        if value is None or value == "":
            continue
        if not avatars.conditional:
            raise BadRequest("this run's generator takes no attributes (it was not trained with --condition)")
        if name not in known:
            raise BadRequest(f"unknown attribute {name[:40]!r}: this run is conditioned on {', '.join(known)}")
        wanted[name] = integer(given, name, 0, known[name] - 1)
    return wanted


def png(image):
    """A uint8 image (h, w, 1 or 3) as a PNG answer, at its own size (the page enlarges it, pixelated)."""
    from PIL import Image

    image = np.asarray(image)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG")
    return Response(buf.getvalue(), media_type="image/png", headers={"cache-control": "no-store"})


def routes(studio):
    async def avatars_of(data):
        entry = studio.run(TAB, data.get("run"))
        return entry, await studio.model(entry.name, lambda: play.load(entry.path))

    async def grid(request):
        data = await read_json(request)
        entry, avatars = await avatars_of(data)
        random_seed = integer(data, "random_seed", 0, SEED_MAX, default=0)
        wanted = attributes_of(data, avatars)

        def work():
            return avatars.grid(avatars.draw(16, random_seed, wanted), columns=4)

        return png(await studio.work(work))

    async def walk(request):
        data = await read_json(request)
        entry, avatars = await avatars_of(data)
        seed_a = integer(data, "seed_a", 0, SEED_MAX)
        seed_b = integer(data, "seed_b", 0, SEED_MAX)
        t = number(data, "t", 0, 1)
        spherical = boolean(data, "spherical", False)
        wanted = attributes_of(data, avatars)
        frame = await studio.work(lambda: avatars.walk(seed_a, seed_b, t, wanted, spherical=spherical)[0])
        return png(frame)

    return [Route("/api/avatars/grid", grid, methods=["POST"]),
            Route("/api/avatars/walk", walk, methods=["POST"])]


def info(studio, entry):
    settings = entry.config.get("settings", {})
    condition = list(settings.get("condition") or [])
    attributes = {}
    if condition:
        from shared.runs import read_json

        try:
            table = read_json(entry.path / "attributes.json")
            attributes = {name: table[name]["variants"] for name in condition}
        except (OSError, ValueError, KeyError, TypeError):
            raise BadRequest(f"{entry.name} is damaged: attributes.json cannot be read") from None
    return {"conditional": bool(condition), "attributes": attributes, "size": settings.get("size"),
            "dataset": settings.get("dataset"), "source": (entry.config.get("data_source") or [None])[0]}


def bench(entry):
    return "avatars_16_ms", "/api/avatars/grid", {"run": entry.name, "random_seed": 1}


TAB = Tab(key="avatars", title="Avatars", post=POST, experiments=EXPERIMENTS,
          make=f"python -m {POST} cartoon --profile quick", routes=routes, info=info, bench=bench,
          about="Sixteen avatars from a random seed; a walk between two of them in the latent space; "
                "with a run trained with --condition, the facial features to ask for.")
