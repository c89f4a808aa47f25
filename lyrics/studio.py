"""The studio's "Lyrics" tab: the author's page, with a run of Gene Lyrica One or Two.

``POST /api/lyrics/create {"run": NAME, "seed_text": "hello world", "length": 100,
"randomness": 0.3, "random_seed": 0}`` answers ``{"lyrics": "..."}`` with their line
breaks (:meth:`lyrics.play.Lyricist.generate`). The author's page had the seed text, a
length, a randomness slider from 0 to 2 (default 0.3) and a "Create Lyrics!" button.
"""
from starlette.responses import JSONResponse
from starlette.routing import Route

from lyrics import play
from lyrics.layout import SEED_TEXT
from shared.cli import SEED_MAX
from shared.studio.api import Tab, integer, number, read_json, text

POST = "lyrics"
MAX_SEED_TEXT = 500


def routes(studio):
    async def create(request):
        data = await read_json(request)
        entry = studio.run(TAB, data.get("run"))
        seed_text = text(data, "seed_text", MAX_SEED_TEXT)
        length = integer(data, "length", 1, play.MAX_LENGTH, default=100)
        randomness = number(data, "randomness", 0, play.MAX_RANDOMNESS, default=0.3)
        random_seed = integer(data, "random_seed", 0, SEED_MAX, default=0)
        lyricist = await studio.model(entry.name, lambda: play.load(entry.path))
        lyrics = await studio.work(lyricist.generate, seed_text, length, randomness, random_seed)
        return JSONResponse({"run": entry.name, "lyrics": lyrics, "unknown_words": lyricist.unknown_words(seed_text)})

    return [Route("/api/lyrics/create", create, methods=["POST"])]


def info(studio, entry):
    return {"seed_text": SEED_TEXT, "max_length": play.MAX_LENGTH, "max_randomness": play.MAX_RANDOMNESS,
            "model": {"one": "Gene Lyrica One", "two": "Gene Lyrica Two"}.get(entry.experiment, entry.experiment)}


def bench(entry):
    return "lyrics_100_tokens_ms", "/api/lyrics/create", {"run": entry.name, "seed_text": SEED_TEXT, "length": 100,
                                                         "randomness": 0.3, "random_seed": 0}


TAB = Tab(key="lyrics", title="Lyrics", post=POST, experiments=("two", "one"),
          make=f"python -m {POST} one --profile quick", routes=routes, info=info, bench=bench,
          about="The author's page: a seed text, a length, the randomness (0 always takes the likeliest word; "
                "the author's 0.3) and a random seed.")
