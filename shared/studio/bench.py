"""``python -m shared.studio bench``: each tab's main action timed through Starlette's TestClient.

For each tab, on a quick run of the first experiment that has runs, where there is one, else
on the run the tab opens with (:meth:`shared.studio.app.Studio.default`): one call to warm up (it loads the model), then the median of ``repeat``
calls, in milliseconds, with the run and its profile. One JSON line on stdout.
"""
import json
import statistics
import time
from pathlib import Path

from shared import UserError

TARGETS_MS = {"addition_ms": 300, "digit_ms": 300, "avatars_16_ms": 300,
              "lyrics_100_tokens_ms": 3000, "joyce_400_chars_ms": 3000}
"""The targets on a 2-core CPU."""


def measure(client, url, body, repeat):
    def once():
        t0 = time.perf_counter()
        res = client.post(url, json=body)
        _ = res.content  # a streamed answer (Joyce) is read to its end
        if res.status_code != 200:
            raise UserError(f"{url} answered {res.status_code}: {res.text[:200]}")
        return 1000 * (time.perf_counter() - t0)

    warm = once()
    times = [once() for _ in range(repeat)]
    return warm, statistics.median(times)


def run(runs_root, repeat=5, app=None):
    """``{label: median ms, tab: {run, profile, first_call_ms, within_target}}``; ``app``: an
    application of ``runs_root`` to time (default: a fresh one, whose first calls load the models)."""
    from starlette.testclient import TestClient

    from shared.studio.app import create_app

    root = Path(runs_root)
    if not root.is_dir():
        raise UserError(f"no folder of runs at {root}: give --runs, or make runs with `make demo`")
    app = app or create_app(root)
    studio = app.state.studio
    out = {"runs_root": str(root), "repeat": repeat, "targets_ms": TARGETS_MS}
    with TestClient(app) as client:
        for tab in studio.tabs.values():
            if tab.bench is None or tab.broken:
                out[tab.key] = tab.broken or None
                continue
            try:
                entry = studio.run(tab, prefer_profile="quick")
            except UserError:
                out[tab.key] = None
                continue
            label, url, body = tab.bench(entry)
            warm, median = measure(client, url, body, repeat)
            out[label] = round(median, 1)
            out[tab.key] = {"run": entry.name, "profile": entry.profile, "first_call_ms": round(warm, 1),
                            "within_target": median <= TARGETS_MS.get(label, float("inf"))}
    return out


def main(runs_root, repeat=5):
    print(json.dumps(run(runs_root, repeat)), flush=True)
    return 0
