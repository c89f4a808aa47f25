"""The studio (``python -m shared.studio``): its API through Starlette's TestClient on tiny
runs made here, every validation rule, the body cap, a post without runs, the Runs tab's
rendered reports, and a real Chromium doing each tab's main action.

The tiny runs (one per post, a conditional DCGAN, the GA and the eigen-digits) are made
once per session through the posts' public APIs, in this process: about a minute and a
half on 2 cores; the tests after them take about as long again, the browser test included.
"""
import json
import os
import re
import shutil
import socket
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from starlette.testclient import TestClient

from conftest import REPO
from shared.studio.app import create_app

pytestmark = pytest.mark.xdist_group(__name__)  # its tiny runs are made once for the file

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def studio_runs(tmp_path_factory):
    """A folder of tiny runs of every post (through each post's public API), and the seconds each took."""
    from addition import experiment as addition
    from addition.config import TINY as ADDITION_TINY
    from dcgan import config as dcgan_config, experiment as dcgan
    from joyce_lstm import experiment as joyce
    from joyce_lstm.config import TINY as JOYCE_TINY
    from lyrics import config as lyrics_config, experiment as lyrics
    from mnist_adversarial import experiment as mnist
    from mnist_adversarial.config import PROFILES as MNIST_PROFILES

    out = tmp_path_factory.mktemp("studio-runs")
    took = {}

    def timed(name, fn):
        t0 = time.perf_counter()
        result = fn()
        took[name] = round(time.perf_counter() - t0, 1)
        return result

    timed("addition", lambda: addition.run(ADDITION_TINY, out=out, seed=0, profile="tiny"))
    nets = timed("mnist networks", lambda: mnist.run("networks", MNIST_PROFILES["tiny"], out=out, profile="tiny"))
    timed("mnist genetic", lambda: mnist.run("genetic", MNIST_PROFILES["tiny"], out=out, profile="tiny", networks=nets))
    timed("mnist pca", lambda: mnist.run("pca", MNIST_PROFILES["tiny"], out=out, profile="tiny", networks=nets))
    timed("joyce", lambda: joyce.run(JOYCE_TINY, out=out, seed=0, profile="tiny", echo=False))
    cartoon = replace(dcgan_config.profile("cartoon", "tiny"), condition=("hair_color", "eye_color"))
    timed("dcgan", lambda: dcgan.run("cartoon", cartoon, out=out, seed=0, profile="tiny"))
    timed("lyrics", lambda: lyrics.run(lyrics_config.ONE_TINY, out=out, seed=0, profile="tiny", echo=False))
    print(f"\ntiny runs for the studio: {took} seconds")
    return out


@pytest.fixture(scope="session")
def app(studio_runs):
    return create_app(studio_runs, kept=False)  # the tiny runs alone; the kept runs have tests of their own


@pytest.fixture(scope="session")
def client(app):
    with TestClient(app) as c:
        yield c


# ---- each tab's main action ------------------------------------------------------------------
def test_tabs_offer_the_latest_complete_run_of_each_post(client, studio_runs):
    tabs = {t["key"]: t for t in client.get("/api/tabs").json()["tabs"]}
    assert list(tabs) == ["addition", "mnist", "joyce", "avatars", "lyrics"]
    for key, tab in tabs.items():
        assert tab["default"] and tab["default"] in tab["runs"], key
        info = client.get(f"/api/{key}/info").json()
        assert info["run"] == tab["default"] and info["profile"] == "tiny"
    assert tabs["mnist"]["default"].startswith("mnist_adversarial/networks/")
    page = client.get("/")
    assert page.status_code == 200 and "/static/studio.js" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/studio.js").status_code == 200


def test_two_plus_two_answers_with_each_network_and_its_workings(client):
    info = client.get("/api/addition/info").json()
    res = client.post("/api/addition/ask", json={"a": 2, "b": 2})
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["sum"] == 4 and len(body["answers"]) == len(info["networks"]) == 4
    for ans in body["answers"]:
        n = ans["nodes"]
        assert len(ans["hidden"]) == n and np.shape(ans["w_in"]) == (2, n) and len(ans["w_out"]) == n
        # the drawn diagram's arithmetic: output = Σ hidden × weight
        assert ans["prediction"] == pytest.approx(sum(h * w for h, w in zip(ans["hidden"], ans["w_out"])), abs=1e-5)
        assert ans["right"] == (ans["rounded"] == 4)


def test_a_drawn_digit_gets_ten_outputs_per_network_centred_or_not(client):
    image = np.zeros((28, 28))
    image[0:12, 0:4] = 1.0  # a "1" drawn into the top-left corner, as the post's were at the edges
    plain = client.post("/api/mnist/classify", json={"pixels": image.reshape(-1).tolist(), "centre": False})
    centred = client.post("/api/mnist/classify", json={"pixels": image.reshape(-1).tolist(), "centre": True})
    assert plain.status_code == centred.status_code == 200, plain.text + centred.text
    for res in (plain.json(), centred.json()):
        assert set(res["outputs"]) == {"mlp100", "mlp30", "cnn"}
        assert all(len(v) == 10 and all(0 <= x <= 1 for x in v) for v in res["outputs"].values())
    seen = np.asarray(centred.json()["seen"]).reshape(28, 28)
    rows, cols = np.nonzero(seen > 0.1)
    assert 9 <= rows.mean() <= 19 and 9 <= cols.mean() <= 19  # moved to the middle, as MNIST's digits
    assert np.array_equal(np.asarray(plain.json()["seen"]).reshape(28, 28), image)
    assert plain.json()["outputs"] != centred.json()["outputs"]
    info = client.get("/api/mnist/info").json()
    shown = {f["title"]: f for f in info["figures"]}
    for f in shown.values():
        assert f["run"] and f["figures"]
        assert client.get(f["figures"][0]).headers["content-type"] == "image/png"


def test_joyce_streams_the_sample_as_it_is_drawn(client):
    info = client.get("/api/joyce/info").json()
    assert info["epochs"] == [1, 2]
    body = {"seed_text": "Stately, plump", "diversity": 0.5, "length": 60, "random_seed": 4, "epoch": 1}
    with client.stream("POST", "/api/joyce/sample", json=body) as res:
        assert res.status_code == 200 and res.headers["content-type"].startswith("text/plain")
        chunks = list(res.iter_text())
    text = "".join(chunks)
    assert len(text) == 60 and len(chunks) > 1  # characters sent one by one, not at the end
    again = client.post("/api/joyce/sample", json=body).text
    assert again == text  # the same random seed, the same text
    assert client.post("/api/joyce/sample", json={**body, "epoch": 2}).status_code == 200


def test_sixteen_avatars_a_walk_and_attribute_pickers(client):
    from io import BytesIO

    from PIL import Image

    info = client.get("/api/avatars/info").json()
    assert info["conditional"] and info["attributes"] == {"hair_color": 10, "eye_color": 5}
    res = client.post("/api/avatars/grid", json={"random_seed": 3})
    assert res.status_code == 200 and res.headers["content-type"] == "image/png"
    grid = np.asarray(Image.open(BytesIO(res.content)))
    assert grid.shape[0] == grid.shape[1] >= 4 * 16 and grid.shape[2] == 3  # 4 × 4 avatars of 16 px, enlarged
    chosen = {"hair_color": 2, "eye_color": None}  # None: drawn as the training set has them
    picked = client.post("/api/avatars/grid", json={"random_seed": 3, "attributes": chosen})
    assert picked.status_code == 200 and picked.content != res.content
    frames = [client.post("/api/avatars/walk", json={"seed_a": 1, "seed_b": 2, "t": t}) for t in (0, 0.5, 1)]
    assert all(f.status_code == 200 and f.headers["content-type"] == "image/png" for f in frames)
    assert len({f.content for f in frames}) == 3


def test_lyrics_are_written_with_the_authors_settings(client):
    body = {"seed_text": "hello world", "length": 20, "randomness": 0.3, "random_seed": 1}
    res = client.post("/api/lyrics/create", json=body)
    assert res.status_code == 200, res.text
    lyrics = res.json()["lyrics"]
    assert lyrics.startswith("hello world") and len(lyrics.split()) >= 20
    assert client.post("/api/lyrics/create", json=body).json()["lyrics"] == lyrics
    assert client.post("/api/lyrics/create", json={"seed_text": "hello world"}).status_code == 200  # defaults


def test_models_load_once_and_are_reused(client, app):
    studio = app.state.studio
    client.post("/api/addition/ask", json={"a": 1, "b": 1})
    before = studio.loads
    for _ in range(3):
        assert client.post("/api/addition/ask", json={"a": 1, "b": 2}).status_code == 200
        assert client.post("/api/lyrics/create", json={"seed_text": "hello", "length": 3}).status_code == 200
    assert studio.loads == before


# ---- every validation rule ---------------------------------------------------------------------
NAN = float("nan")
PIXELS = [0.0] * 784
BAD = [
    ("/api/addition/ask", {"a": 2}, "b is missing"),
    ("/api/addition/ask", {"a": "two", "b": 2}, "a must be a number"),
    ("/api/addition/ask", {"a": 2e7, "b": 2}, "a must be between -1e\\+06 and 1e\\+06"),
    ("/api/addition/ask", {"a": True, "b": 2}, "a must be a number"),
    ("/api/addition/ask", {"a": [1], "b": 2}, "a must be a number"),
    ("/api/mnist/classify", {"pixels": PIXELS[:783]}, "784 numbers .*not 783"),
    ("/api/mnist/classify", {"pixels": PIXELS[:-1] + [1.5]}, "pixel 783 must be in \\[0, 1\\]"),
    ("/api/mnist/classify", {"pixels": PIXELS[:-1] + [-0.1]}, "pixel 783 must be in \\[0, 1\\]"),
    ("/api/mnist/classify", {"pixels": PIXELS[:-1] + ["0.5"]}, "pixel 783 must be a number"),
    ("/api/mnist/classify", {"pixels": "0" * 784}, "pixels must be a list"),
    ("/api/mnist/classify", {"pixels": PIXELS, "centre": "yes"}, "centre must be true or false"),
    ("/api/joyce/sample", {"seed_text": "Stately", "length": 0}, "length must be between 1 and 2000"),
    ("/api/joyce/sample", {"seed_text": "Stately", "length": 2001}, "length must be between 1 and 2000"),
    ("/api/joyce/sample", {"seed_text": "Stately", "length": 2.5}, "length must be a whole number"),
    ("/api/joyce/sample", {"seed_text": "Stately", "diversity": 0}, "diversity must be between 0.01 and 3"),
    ("/api/joyce/sample", {"seed_text": "Stately", "diversity": 9}, "diversity must be between 0.01 and 3"),
    ("/api/joyce/sample", {"seed_text": "x" * 501}, "seed_text is 501 characters long: at most 500"),
    ("/api/joyce/sample", {"seed_text": "  "}, "seed_text is empty"),
    ("/api/joyce/sample", {"seed_text": 5}, "seed_text must be text"),
    ("/api/joyce/sample", {"seed_text": "Stately ☃"}, "☃"),
    ("/api/joyce/sample", {"seed_text": "Stately", "epoch": 7}, "no checkpoint of epoch 7"),
    ("/api/joyce/sample", {"seed_text": "Stately", "random_seed": -1}, "random_seed must be between 0 and"),
    ("/api/avatars/grid", {"random_seed": 2 ** 32}, "random_seed must be between 0 and 4294967295"),
    ("/api/avatars/grid", {"random_seed": 1, "attributes": {"hair_color": 10}}, "hair_color must be between 0 and 9"),
    ("/api/avatars/grid", {"random_seed": 1, "attributes": {"hair_color": "red"}}, "hair_color must be a whole number"),
    ("/api/avatars/grid", {"random_seed": 1, "attributes": {"wings": 1}}, "unknown attribute 'wings'.*hair_color, eye"),
    ("/api/avatars/grid", {"random_seed": 1, "attributes": [1]}, "attributes must be an object"),
    ("/api/avatars/walk", {"seed_a": 1, "seed_b": 2, "t": 1.5}, "t must be between 0 and 1"),
    ("/api/avatars/walk", {"seed_a": 1, "t": 0.5}, "seed_b is missing"),
    ("/api/lyrics/create", {"seed_text": "hello", "length": 1001}, "length must be between 1 and 1000"),
    ("/api/lyrics/create", {"seed_text": "hello", "randomness": 2.5}, "randomness must be between 0 and 2"),
    ("/api/lyrics/create", {"seed_text": "hello", "randomness": -0.1}, "randomness must be between 0 and 2"),
    ("/api/lyrics/create", {"seed_text": "hello", "random_seed": 1.5}, "random_seed must be a whole number"),
    ("/api/lyrics/create", {"seed_text": ""}, "seed_text is empty"),
    ("/api/lyrics/create", {"seed_text": "!!! ???"}, "no words"),
]


@pytest.mark.parametrize("url,body,message", BAD, ids=[f"{u.split('/')[2]}-{m[:30]}" for u, _, m in BAD])
def test_every_bad_parameter_is_a_400_with_one_line(client, url, body, message):
    res = client.post(url, json=body)
    assert res.status_code == 400, res.text
    error = res.json()["error"]
    assert re.search(message, error) and "\n" not in error


@pytest.mark.parametrize("raw,message", [
    (b'{"a": NaN, "b": 2}', "a must be a finite number"),
    (b'{"a": Infinity, "b": 2}', "a must be a finite number"),
    (b'{"a": 2, "b": -Infinity}', "b must be a finite number"),
])
def test_non_finite_numbers_are_refused(client, raw, message):
    res = client.post("/api/addition/ask", content=raw, headers={"content-type": "application/json"})
    assert res.status_code == 400 and re.search(message, res.json()["error"])


def test_non_finite_pixels_are_refused(client):
    raw = json.dumps({"pixels": [0.0] * 783 + [NAN]}).encode()  # json writes NaN, as a page could send it
    res = client.post("/api/mnist/classify", content=raw)
    assert res.status_code == 400 and "pixel 783 must be a finite number" in res.json()["error"]
    res = client.post("/api/joyce/sample", content=json.dumps({"seed_text": "a", "diversity": NAN}).encode())
    assert res.status_code == 400 and "diversity must be a finite number" in res.json()["error"]


@pytest.mark.parametrize("raw,message", [(b"not json", "not JSON"), (b"[1, 2]", "a JSON object"),
                                         (b"\xff\xfe", "not JSON")])
def test_a_body_that_is_not_a_json_object_is_refused(client, raw, message):
    res = client.post("/api/lyrics/create", content=raw)
    assert res.status_code == 400 and message in res.json()["error"]


def post_urls(app):
    return sorted(r.path for r in app.routes if "POST" in (getattr(r, "methods", None) or ()))


@pytest.mark.parametrize("raw", [b"[" * 30_000 + b"]" * 30_000, b'{"a": ' * 5_000 + b"1" + b"}" * 5_000,
                                 json.dumps({"seed_text": "a", "x": [[[1]]]}).encode()],
                         ids=["list-30000-deep", "object-5000-deep", "four-levels"])
def test_a_deeply_nested_body_is_a_400_with_one_line_on_every_action(client, app, raw):
    urls = post_urls(app)
    assert len(urls) == 6, urls  # every tab's actions
    for url in urls:
        res = client.post(url, content=raw, headers={"content-type": "application/json"})
        assert res.status_code == 400, (url, res.status_code, res.text[:200])
        error = res.json()["error"]
        assert "nests more than 3 levels deep" in error and "\n" not in error


def test_every_action_reads_an_empty_body_as_all_defaults(client, app):
    for url in post_urls(app):
        empty, blank, defaults = (client.post(url, content=raw) for raw in (b"", b" \n", b"{}"))
        assert empty.status_code == blank.status_code == defaults.status_code, url
        assert empty.content == blank.content == defaults.content, url


def test_runs_are_chosen_by_name_from_the_listing(client):
    tabs = {t["key"]: t for t in client.get("/api/tabs").json()["tabs"]}
    addition_run = tabs["addition"]["default"]
    ok = client.post("/api/addition/ask", json={"run": addition_run, "a": 1, "b": 1})
    assert ok.status_code == 200 and ok.json()["run"] == addition_run
    for name in ("addition/grid/20990101T000000Z-seed0", tabs["lyrics"]["default"]):  # unknown; another post's
        res = client.post("/api/addition/ask", json={"run": name, "a": 1, "b": 1})
        assert res.status_code == 404 and "unknown run" in res.json()["error"]
    for name in ("../../etc/passwd", "/etc/passwd", "addition/grid/../../lyrics", "addition\\grid", "~/runs"):
        res = client.post("/api/addition/ask", json={"run": name, "a": 1, "b": 1})
        assert res.status_code == 400 and "not a path" in res.json()["error"], name
    assert client.get("/api/joyce/info", params={"run": "../x"}).status_code == 400
    assert client.post("/api/addition/ask", json={"run": 5, "a": 1, "b": 1}).status_code == 400


def test_the_latest_complete_run_is_the_default_and_another_can_be_chosen(studio_runs, tmp_path):
    source = next((studio_runs / "addition" / "grid").iterdir())
    grid = tmp_path / "addition" / "grid"
    old, new, unfinished = "20000101T000000Z-seed0", "20990101T000000Z-seed1", "20991231T000000Z-seed2"
    shutil.copytree(source, grid / old)
    shutil.copytree(source, grid / new)
    shutil.copytree(source, grid / unfinished, ignore=shutil.ignore_patterns("results.json"))
    with TestClient(create_app(tmp_path, kept=False)) as c:
        info = c.get("/api/addition/info").json()
        assert info["run"] == f"addition/grid/{new}"
        assert [r["name"] for r in info["runs"]] == [f"addition/grid/{new}", f"addition/grid/{old}"]
        res = c.post("/api/addition/ask", json={"run": f"addition/grid/{old}", "a": 1, "b": 1})
        assert res.status_code == 200 and res.json()["run"] == f"addition/grid/{old}"
        res = c.post("/api/addition/ask", json={"run": f"addition/grid/{unfinished}", "a": 1, "b": 1})
        assert res.status_code == 404 and "unknown run" in res.json()["error"]
        assert c.get("/api/addition/info", params={"run": f"addition/grid/{old}"}).json()["run"].endswith(old)


def test_request_bodies_are_capped(client):
    big = json.dumps({"seed_text": "x" * 70_000}).encode()
    res = client.post("/api/lyrics/create", content=big)
    assert res.status_code == 413 and "64 KiB" in res.json()["error"]

    def chunks():  # no Content-Length: the cap counts what arrives
        for _ in range(40):
            yield b" " * 4096

    res = client.post("/api/lyrics/create", content=chunks())
    assert res.status_code == 413
    assert client.post("/api/mnist/classify", json={"pixels": [0.123456789] * 784}).status_code == 200


def test_a_post_without_a_complete_run_says_how_to_make_one(tmp_path, studio_runs):
    # an unfinished run does not count: only its config.json is there
    unfinished = tmp_path / "addition" / "grid" / "20990101T000000Z-seed0"
    unfinished.mkdir(parents=True)
    shutil.copy(next((studio_runs / "addition" / "grid").iterdir()) / "config.json", unfinished)
    with TestClient(create_app(tmp_path, kept=False)) as c:
        tabs = c.get("/api/tabs").json()["tabs"]
        assert all(t["default"] is None and t["runs"] == [] for t in tabs)
        for res in (c.get("/api/addition/info"), c.post("/api/addition/ask", json={"a": 2, "b": 2})):
            assert res.status_code == 404
            assert res.json()["error"] == (f"no complete addition run under {tmp_path}; "
                                           "make one with `python -m addition --profile quick`")
        res = c.post("/api/lyrics/create", json={"seed_text": "hello"})
        assert res.status_code == 404 and "`python -m lyrics one --profile quick`" in res.json()["error"]
        listed = c.get("/api/runs").json()["runs"]
        assert [r["complete"] for r in listed] == [False]
        report = c.get("/api/runs/report", params={"run": listed[0]["name"]}).json()
        assert "--resume" in report["html"]
    with TestClient(create_app(tmp_path / "nothing", kept=False)) as c:
        assert c.get("/api/runs").json()["runs"] == []
        assert c.get("/api/avatars/info").json()["make"] == "python -m dcgan cartoon --profile quick"


def test_on_a_fresh_clone_the_tabs_play_with_the_kept_full_runs_until_a_full_run_of_ones_own(tmp_path, studio_runs):
    from shared.runs import kept_runs

    kept = {f"{post}/{path.name}/kept" for path, post, _ in kept_runs()}
    with TestClient(create_app(tmp_path / "empty")) as c:
        tabs = {t["key"]: t for t in c.get("/api/tabs").json()["tabs"]}
        assert tabs["addition"]["default"] == "addition/grid/kept"
        assert tabs["joyce"]["default"] == "joyce_lstm/train/kept"
        assert tabs["mnist"]["default"] == "mnist_adversarial/networks/kept"
        assert tabs["avatars"]["default"] == "dcgan/cartoon/kept"
        assert tabs["lyrics"]["default"] == "lyrics/two/kept"  # no Gene Lyrica One network is kept
        for tab in tabs.values():  # no tab asks for a training
            assert set(tab["runs"]) <= kept and tab["default"] in tab["runs"]
        info = c.get("/api/addition/info").json()
        assert info["run"] == "addition/grid/kept" and info["profile"] == "full"
        assert [r["kept"] for r in info["runs"]] == [True]
        res = c.post("/api/addition/ask", json={"a": 2, "b": 2})
        assert res.status_code == 200 and len(res.json()["answers"]) == 15
        listed = {r["name"]: r for r in c.get("/api/runs").json()["runs"]}
        assert kept <= set(listed) and all(listed[name]["kept"] for name in kept)
        assert "claims" in c.get("/api/runs/report", params={"run": "addition/grid/kept"}).json()["html"]
        shown = c.get("/api/mnist/info").json()["figures"]
        assert [f["run"] for f in shown] == ["mnist_adversarial/genetic/kept", "mnist_adversarial/pca/kept"]
        digit = c.post("/api/mnist/classify", json={"pixels": [0.0] * 784})
        assert digit.status_code == 200 and set(digit.json()["outputs"]) == {"mlp100", "mlp30", "cnn"}
    # A quick run of one's own is offered beside the kept one, which stays the default ...
    source = REPO / "addition" / "docs" / "full" / "grid"
    own = tmp_path / "runs" / "addition" / "grid"
    shutil.copytree(source, own / "20990101T000000Z-seed0")
    config = json.loads((own / "20990101T000000Z-seed0" / "config.json").read_text())
    config["profile"] = "quick"
    (own / "20990101T000000Z-seed0" / "config.json").write_text(json.dumps(config))
    with TestClient(create_app(tmp_path / "runs")) as c:
        tab = next(t for t in c.get("/api/tabs").json()["tabs"] if t["key"] == "addition")
        assert tab["runs"] == ["addition/grid/20990101T000000Z-seed0", "addition/grid/kept"]
        assert tab["default"] == "addition/grid/kept"
    # ... and so do the other posts' (the avatars, the MNIST figures) beside their quick and tiny runs ...
    for post in ("dcgan", "mnist_adversarial"):
        shutil.copytree(studio_runs / post, tmp_path / "runs" / post)
    def own_full(source, experiment, name):  # a run of one's own, said to be at the full profile
        target = tmp_path / "runs" / "dcgan" / experiment / name
        shutil.copytree(source, target)
        config = json.loads((target / "config.json").read_text())
        (target / "config.json").write_text(json.dumps({**config, "profile": "full"}))
        return f"dcgan/{experiment}/{name}"

    tiny_avatars = next((studio_runs / "dcgan" / "cartoon").iterdir())
    own_full(tiny_avatars, "first-attempt", "20990101T000000Z-seed0")  # after the kept one in the tab's order
    with TestClient(create_app(tmp_path / "runs")) as c:
        tabs = {t["key"]: t for t in c.get("/api/tabs").json()["tabs"]}
        assert tabs["avatars"]["default"] == "dcgan/cartoon/kept"
        assert any(not r.endswith("/kept") for r in tabs["avatars"]["runs"])
        assert tabs["mnist"]["default"] == "mnist_adversarial/networks/kept"
        shown = c.get("/api/mnist/info").json()["figures"]
        assert [f["run"] for f in shown] == ["mnist_adversarial/genetic/kept", "mnist_adversarial/pca/kept"]
    own_cartoon = own_full(tiny_avatars, "cartoon", "20990101T000000Z-seed1")  # the tab's first experiment
    with TestClient(create_app(tmp_path / "runs")) as c:
        assert c.get("/api/avatars/info").json()["run"] == own_cartoon
    # ... until a complete full run of one's own exists, which a newer quick run does not displace.
    shutil.copytree(source, own / "20990102T000000Z-seed0")
    shutil.copytree(own / "20990101T000000Z-seed0", own / "20990103T000000Z-seed0")
    with TestClient(create_app(tmp_path / "runs")) as c:
        assert c.get("/api/addition/info").json()["run"] == "addition/grid/20990102T000000Z-seed0"


def test_a_post_whose_tab_cannot_be_imported_does_not_take_the_others_down(tmp_path, capsys):
    from shared.studio.app import load_tabs

    tabs = load_tabs(["addition.studio", "no_such_post.studio"])
    assert "warning: no_such_post.studio could not be imported (ModuleNotFoundError" in capsys.readouterr().err
    with TestClient(create_app(tmp_path, tabs=tabs, kept=False)) as c:
        listed = {t["key"]: t for t in c.get("/api/tabs").json()["tabs"]}
        assert listed["addition"]["broken"] is None and "ModuleNotFoundError" in listed["no_such_post"]["broken"]
        res = c.get("/api/no_such_post/info")
        assert res.status_code == 503 and "could not be imported" in res.json()["error"]
        assert c.get("/api/addition/info").status_code == 404  # works: no runs here


# ---- the Runs tab and runs/index.html ------------------------------------------------------------
def test_runs_tab_renders_each_report_with_tables_figures_and_verdicts(client, studio_runs):
    runs = client.get("/api/runs").json()["runs"]
    assert len(runs) == 7 and all(r["complete"] for r in runs)
    by_post = {r["name"].split("/")[0] for r in runs}
    assert by_post == {"addition", "mnist_adversarial", "joyce_lstm", "dcgan", "lyrics"}
    addition_run = next(r["name"] for r in runs if r["post"] == "addition")
    rep = client.get("/api/runs/report", params={"run": addition_run}).json()
    assert "<table" in rep["html"] and "<th>" in rep["html"] and "| ---" not in rep["html"]
    assert re.search(r'<strong class="verdict (agrees|differs|needs-full)">', rep["html"])
    images = re.findall(r'<img[^>]* src="([^"]+)"', rep["html"])
    assert images and all(src.startswith("/api/runs/file?run=") for src in images)
    assert client.get(images[0].replace("&amp;", "&")).headers["content-type"] == "image/png"
    assert client.get(rep["files"]["results.json"]).json()["claims"]
    for path in ("../../etc/passwd", "/etc/passwd", "figures/../../../config.json", ".lock", "networks"):
        res = client.get("/api/runs/file", params={"run": addition_run, "path": path})
        assert res.status_code == 404, path
    dcgan_run = next(r["name"] for r in runs if r["post"] == "dcgan")
    figures = client.get("/api/runs/report", params={"run": dcgan_run}).json()["figures"]
    assert figures and all("path=figures/" in f or f.endswith(".gif") for f in figures)  # not its training images
    deeper = client.get("/api/runs/file", params={"run": dcgan_run, "path": "epochs/epoch_001.png"})
    assert deeper.status_code == 200  # a report may show a figure kept deeper in the run
    assert client.get("/api/runs/report", params={"run": "nope/x/y"}).status_code == 404
    assert client.get("/api/runs/report", params={"run": "../x"}).status_code == 400


def test_report_rendering_is_the_markdown_library_and_safe():
    from shared.report_html import render

    html = render("| a | verdict |\n|---|---|\n| 1 | **agrees** |\n| 2 | **differs** |\n| 3 | **needs full** |\n\n"
                  "![fig](figures/x.png) [js](javascript:alert(1)) <script>alert(1)</script>",
                  lambda url: "/base/" + url)
    assert "<table" in html and 'class="verdict agrees"' in html and 'class="verdict differs"' in html
    assert 'class="verdict needs-full"' in html and 'src="/base/figures/x.png"' in html
    assert "javascript:" not in html and "<script>" not in html and "&lt;script&gt;" in html


def test_the_runs_index_renders_reports_the_same_way(studio_runs, tmp_path):
    from shared.index import build

    root = tmp_path / "runs"
    shutil.copytree(studio_runs / "addition", root / "addition")
    out, n = build(root)
    page = out.read_text()
    assert n == 1 and "<table" in page and re.search(r'class="verdict (agrees|differs|needs-full)"', page)
    assert ".verdict.agrees" in page
    src = re.findall(r'<img[^>]* src="(addition/grid/[^"]+\.png)"', page)
    assert src and (root / src[0]).is_file()  # the report's figures, relative to index.html


# ---- the command line and the bench --------------------------------------------------------------
def test_command_line_refuses_bad_options_and_warns_off_localhost(tmp_path, monkeypatch, capsys):
    import uvicorn

    from shared.studio.__main__ import main

    afile = tmp_path / "afile"
    afile.write_text("x")
    for argv, message in ((["--port", "70000"], "a port is between 1 and 65535"),
                          (["--runs", str(afile)], "is a file, not a folder of runs"),
                          (["bench", "--runs", str(tmp_path / "none")], "no folder of runs")):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        err = capsys.readouterr().err
        assert exit_.value.code == 2 and err.startswith("error: ") and message in err and err.count("\n") == 1
    with socket.socket() as busy:  # a port in use: one line, before Keras loads
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(SystemExit):
            main(["--runs", str(tmp_path), "--port", str(busy.getsockname()[1])])
        assert "error: cannot listen on 127.0.0.1:" in capsys.readouterr().err
    free = free_port()
    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append(kw))
    assert main(["--runs", str(tmp_path), "--host", "0.0.0.0", "--port", str(free)]) == 0
    assert served == [{"host": "0.0.0.0", "port": free, "log_level": "warning"}]
    assert "warning: listening on 0.0.0.0" in capsys.readouterr().err
    assert main(["--runs", str(tmp_path), "--port", str(free)]) == 0 and served[-1]["host"] == "127.0.0.1"
    assert "warning" not in capsys.readouterr().err


def test_bench_times_each_tabs_main_action(studio_runs, app):
    from shared.studio.bench import run

    out = run(studio_runs, repeat=1, app=app)
    for label in ("addition_ms", "digit_ms", "avatars_16_ms", "lyrics_100_tokens_ms", "joyce_400_chars_ms"):
        assert out[label] > 0, label
    assert out["addition"]["profile"] == "tiny"
    json.dumps(out)


# ---- a real browser ---------------------------------------------------------------------------------
def chromium(playwright):
    """Playwright's own Chromium where installed, else Debian's (``chromium`` on the PATH, as
    ``.ci/run`` installs it); None when there is neither."""
    own = Path(playwright.chromium.executable_path)
    if own.is_file():
        return playwright.chromium.launch(args=CHROMIUM_ARGS)
    for path in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if path and os.path.isfile(path):
            return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(app):
    """The studio served by uvicorn on a free port, in a thread."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(10)


def test_every_tab_works_in_chromium(served):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    expect = sync_api.expect
    with sync_api.sync_playwright() as p:
        try:
            browser = chromium(p)
        except sync_api.Error as exc:
            pytest.skip(f"Chromium would not start: {str(exc).splitlines()[0]}")
        if browser is None:
            pytest.skip("no Chromium: neither Playwright's own nor /usr/bin/chromium (apt-get install -y chromium)")
        problems = []
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(served + "#addition")

        # 2 + 2: the answers, then the diagram following the numbers typed
        expect(page.locator("#add-answers tbody tr")).to_have_count(4, timeout=60_000)
        page.fill("#add-a", "3")
        page.fill("#add-b", "5")
        expect(page.locator("#add-sum")).to_have_text("3 + 5 = 8", timeout=60_000)
        expect(page.locator("#add-diagram svg circle")).to_have_count(2 + 1 + 1)  # a, b, 1 hidden, output
        page.select_option("#add-net", "1")
        expect(page.locator("#add-diagram svg circle")).to_have_count(2 + 2 + 1)

        # Not human: a stroke with the mouse, then the bars of three networks
        page.click("#tab-mnist")
        box = page.locator("#mnist-canvas").bounding_box()
        page.mouse.move(box["x"] + 140, box["y"] + 40)
        page.mouse.down()
        for i in range(1, 21):
            page.mouse.move(box["x"] + 140, box["y"] + 40 + 10 * i)
        page.mouse.up()
        expect(page.locator("#mnist-bars .net")).to_have_count(3, timeout=60_000)
        expect(page.locator("#mnist-bars .net").first.locator(".bar")).to_have_count(10)
        expect(page.locator(".figs img")).to_have_count(3)  # the GA's two figures and the eigen-digits
        page.click("text=Clear")
        expect(page.locator("#mnist-bars .net")).to_have_count(0)
        x, y = box["x"] + 100, box["y"] + 60  # the same with a finger: touch pointer events
        for i, kind in enumerate(["pointerdown"] + ["pointermove"] * 12 + ["pointerup"]):
            page.dispatch_event("#mnist-canvas", kind, {"pointerId": 7, "pointerType": "touch", "isPrimary": True,
                                                        "clientX": x + 3 * i, "clientY": y + 10 * i})
        expect(page.locator("#mnist-bars .net")).to_have_count(3, timeout=60_000)

        # Joyce: a sample appears, streamed
        page.click("#tab-joyce")
        page.fill("#joyce-length", "80")
        page.click("#joyce-go")
        expect(page.locator("#joyce-out .generated")).to_have_text(re.compile(r"^.{80}$", re.S), timeout=60_000)
        expect(page.locator("#joyce-go")).to_be_enabled(timeout=60_000)

        # Avatars: the grid, then the latent slider moved
        page.click("#tab-avatars")
        expect(page.locator("#avatars-grid")).to_have_attribute("src", re.compile("^blob:"), timeout=60_000)
        expect(page.locator("select[data-attribute]")).to_have_count(2)
        expect(page.locator("#avatars-source")).to_contain_text("stand-in avatars, not the Cartoon Set")
        expect(page.locator("#avatars-walk")).to_have_attribute("src", re.compile("^blob:"), timeout=60_000)
        before = page.locator("#avatars-walk").get_attribute("src")
        page.locator("#avatars-t").fill("0.5")
        expect(page.locator("#avatars-walk")).not_to_have_attribute("src", before, timeout=60_000)
        assert page.locator("#avatars-walk").evaluate("img => img.complete && img.naturalWidth") > 0

        # Lyrics: the author's page
        page.click("#tab-lyrics")
        expect(page.locator("#lyrics-randomness")).to_have_value("0.3", timeout=60_000)
        page.fill("#lyrics-length", "12")
        page.click("text=Create Lyrics!")
        expect(page.locator("#lyrics-out")).to_have_text(re.compile(r"^hello world"), timeout=60_000)
        shortened = page.locator("#lyrics-out").inner_text()
        assert "\n\n\n" not in shortened
        page.uncheck("#lyrics-shorten")  # the lyrics as written, every line break
        assert len(page.locator("#lyrics-out").inner_text()) >= len(shortened)

        # Runs: a report rendered, verdicts coloured
        page.click("#tab-runs")
        expect(page.locator("#report-view .report").first).to_be_visible(timeout=60_000)
        page.locator("#runs-list button[data-run^='addition/']").click()
        expect(page.locator("#report-view .report table").first).to_be_visible(timeout=60_000)
        colour = page.locator("#report-view .verdict").first.evaluate("el => getComputedStyle(el).backgroundColor")
        assert colour in ("rgb(46, 125, 50)", "rgb(198, 40, 40)", "rgb(117, 117, 117)")
        browser.close()
    assert problems == []
