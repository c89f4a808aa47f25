"""The studio's "2 + 2" tab: ask a run's adding networks, and draw the chosen one at work.

``POST /api/addition/ask {"run": NAME, "a": 2, "b": 2}`` answers with every network of
the run (:meth:`addition.play.Adders.ask`): its prediction, whether it is right, its
hidden activations and its weights, from which the page draws the post's diagram
(inputs → hidden nodes → output, each edge labelled with its weight).
"""
from starlette.responses import JSONResponse
from starlette.routing import Route

from addition import play
from shared.studio.api import Tab, number, read_json

LIMIT = play.LIMIT


def routes(studio):
    async def ask(request):
        data = await read_json(request)
        entry = studio.run(TAB, data.get("run"))
        a = number(data, "a", -LIMIT, LIMIT)
        b = number(data, "b", -LIMIT, LIMIT)
        adders = await studio.model(entry.name, lambda: play.load(entry.path))
        answers = await studio.work(adders.ask, a, b)
        return JSONResponse({"run": entry.name, "a": a, "b": b, "sum": a + b, "answers": answers})

    return [Route("/api/addition/ask", ask, methods=["POST"])]


def info(studio, entry):
    settings = entry.config.get("settings", {})
    grid = [(n, 2 ** b) for b in settings.get("bits", []) for n in settings.get("nodes", [])]  # play.load's order
    return {"networks": [{"nodes": n, "max_sum": total} for n, total in grid], "limit": LIMIT}


def bench(entry):
    return "addition_ms", "/api/addition/ask", {"run": entry.name, "a": 2, "b": 2}


TAB = Tab(key="addition", title="2 + 2", post="addition", experiments=("grid",),
          make="python -m addition --profile quick", routes=routes, info=info,
          about="Two numbers in; what each trained network says their sum is, and how the chosen one gets there.",
          bench=bench)
