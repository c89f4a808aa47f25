"""The studio's "Joyce" tab: continue a text with a run's LSTM, the characters shown as they come.

``POST /api/joyce/sample {"run": NAME, "epoch": N, "seed_text": "...", "diversity": 0.5,
"length": 400, "random_seed": 0}`` answers ``text/plain``, streamed: each character is sent
as soon as the network has drawn it (:meth:`joyce_lstm.play.Writer.sample`), and the page
reads it with ``fetch`` and a stream reader. ``epoch`` picks the checkpoint (default: the last).
"""
from starlette.responses import StreamingResponse
from starlette.routing import Route

from joyce_lstm import play
from joyce_lstm.layout import EXPERIMENT, POST, saved_checkpoints
from shared.cli import SEED_MAX
from shared.studio.api import BadRequest, Tab, integer, number, read_json, text

MAX_LENGTH = 2000
"""The most characters one request may ask for."""
MAX_SEED_TEXT = 500
DIVERSITY = (0.01, 3.0)
"""The post sampled at 0.2, 0.5, 1.0 and 1.2."""


def routes(studio):
    async def sample(request):
        data = await read_json(request)
        entry = studio.run(TAB, data.get("run"))
        epochs = saved_checkpoints(entry.path)
        if not epochs:
            raise BadRequest(f"{entry.name} has no checkpoints")
        epoch = integer(data, "epoch", 1, 10 ** 6, default=epochs[-1])
        if epoch not in epochs:
            raise BadRequest(f"{entry.name} has no checkpoint of epoch {epoch}: choose one of {epochs}")
        seed_text = text(data, "seed_text", MAX_SEED_TEXT)
        diversity = number(data, "diversity", *DIVERSITY, default=0.5)
        length = integer(data, "length", 1, MAX_LENGTH, default=400)
        random_seed = integer(data, "random_seed", 0, SEED_MAX, default=0)
        writer = await studio.model((entry.name, epoch), lambda: play.load(entry.path, epoch))
        # the checks of sample() (characters the network never saw) run now, before the answer starts
        chars = await studio.work(writer.sample, seed_text, diversity, length, random_seed)
        return StreamingResponse(stream(chars), media_type="text/plain; charset=utf-8",
                                 headers={"cache-control": "no-store", "x-accel-buffering": "no"})

    return [Route("/api/joyce/sample", sample, methods=["POST"])]


def stream(chars):
    """The characters one by one; a failure half-way is said in the text (the status is already sent)."""
    try:
        yield from chars
    except Exception as exc:  # noqa: BLE001 - the page shows it where the text stops
        yield f"\n[the sampling stopped: {type(exc).__name__}: {exc}]"


def info(studio, entry):
    from shared.runs import read_json

    settings = entry.config.get("settings", {})
    try:
        chars = read_json(entry.path / "vocabulary.json").get("chars", "")
    except (OSError, ValueError, AttributeError):
        chars = ""
    return {"epochs": saved_checkpoints(entry.path), "maxlen": settings.get("maxlen"),
            "characters": chars, "max_length": MAX_LENGTH, "diversity": DIVERSITY}


def bench(entry):
    return "joyce_400_chars_ms", "/api/joyce/sample", {"run": entry.name, "seed_text": "Stately, plump",
                                                      "diversity": 0.5, "length": 400, "random_seed": 0}


TAB = Tab(key="joyce", title="Joyce", post=POST, experiments=(EXPERIMENT,),
          make=f"python -m {POST} --profile quick", routes=routes, info=info, bench=bench,
          about="A seed text continued by the LSTM, one character at a time, at the diversity you choose "
                "(the post's 0.2 is conservative, 1.2 adventurous), from the checkpoint of any epoch the run kept (the kept full run: its 60th).")
