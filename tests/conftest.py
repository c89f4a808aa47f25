import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"

if "REPRO_DATA" not in os.environ and SHARED_DATA.is_dir():
    os.environ["REPRO_DATA"] = str(SHARED_DATA)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("REPRO_OFFLINE", "1")
sys.path.insert(0, str(REPO))


# `make test` runs the suite on every core (pytest-xdist, --dist loadgroup). The tests of a file
# whose runs are made once for the file (module- or session-scoped fixtures) carry
# ``pytest.mark.xdist_group(__name__)`` and stay together on one worker; every other test goes
# wherever a worker is free. The slowest files are handed out first, so that the workers end together.
SLOWEST_FIRST = ["test_studio.py", "test_lyrics_cli.py", "test_joyce_cli.py", "test_addition_cli.py",
                 "test_mnist_cli.py", "test_dcgan_cli.py", "test_devices.py", "test_notebooks.py"]


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def cli(*args, timeout=600, check=None):
    """Run ``python -m <args>`` from the repository root as a user would."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.run([sys.executable, "-m", *map(str, args)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if check is not None:
        assert proc.returncode == check, proc.stdout + proc.stderr
    return proc


def run_main(*args, check=None):
    """``python -m <args>`` run in this process: the module's ``main(argv)`` with stdout and stderr
    captured and the exit status taken from its return or ``SystemExit``, in the repository root as
    :func:`cli` runs it. What a command checks before its work (its exit status, its one ``error:``
    line, nothing written) is the same here without a new interpreter's seconds of imports.
    Trainings, and whatever must be killed or spawns processes, run through :func:`cli`."""
    import contextlib
    import importlib
    import io

    module, argv = str(args[0]), [str(a) for a in args[1:]]
    main = importlib.import_module(f"{module}.__main__").main
    out, err, here = io.StringIO(), io.StringIO(), os.getcwd()
    os.chdir(REPO)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(argv)
            except SystemExit as exc:
                status = exc.code
    finally:
        os.chdir(here)
    status = 0 if status is None else status if isinstance(status, int) else 1
    proc = subprocess.CompletedProcess([sys.executable, "-m", *map(str, args)], status,
                                       out.getvalue(), err.getvalue())
    if check is not None:
        assert proc.returncode == check, proc.stdout + proc.stderr
    return proc


@pytest.fixture
def command(request):
    """How a bad-input case runs its command: the first case of each list as a real subprocess
    (:func:`cli`), every other one in this process (:func:`run_main`)."""
    callspec = getattr(request.node, "callspec", None)
    first = callspec is None or not any(callspec.indices.values())
    return cli if first else run_main


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """One tiny addition run shared by the tests that only read it."""
    out = tmp_path_factory.mktemp("runs")
    proc = cli("addition", "--profile", "tiny", "--out", out, "--seed", "3", check=0)
    runs = list((out / "addition" / "grid").iterdir())
    assert len(runs) == 1
    return runs[0], proc


def file_bytes(folder):
    """Every file under ``folder`` (by its path relative to it) with its bytes: to compare two
    folders' contents wherever they lie."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def kill_when(args, root, marker, epoch, up, timeout=240):
    """Run ``python -m <args>`` and SIGKILL it once a file matching ``root.glob(marker)``
    (a backup's JSON with an "epoch" field) says ``epoch`` epochs are done.

    Returns that file's ancestor ``up`` levels above (the interrupted run's folder),
    or None when the run ended first.
    """
    return stop_when(args, root, marker, epoch, up, timeout=timeout)[0]


def stop_when(args, root, marker, epoch, up, sig=None, timeout=240, before=None):
    """:func:`kill_when` with the signal ``sig`` (default SIGKILL); returns (the interrupted run's
    folder or None, the exit status, what the process wrote to stderr).

    ``before``, if given, is called with the process just before the signal is sent
    (to look at it while it still runs)."""
    import json
    import signal
    import tempfile
    import time

    sig = signal.SIGKILL if sig is None else sig
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, "-m", *map(str, args)], cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=err, text=True)
        deadline, cut = time.time() + timeout, None
        while cut is None and time.time() < deadline and proc.poll() is None:
            for path in Path(root).glob(marker):
                try:
                    done = json.loads(path.read_text())["epoch"]
                except (OSError, ValueError, KeyError):  # being written
                    continue
                if done >= epoch:
                    if before is not None:
                        before(proc)
                    proc.send_signal(sig)
                    cut = path.parents[up]
                    break
            time.sleep(0.02)
        status = proc.wait()
        err.seek(0)
        return cut, status, err.read()


def make_tiny_bert(folder, hidden=8, layers=1, heads=2, positions=64, seed=0):
    """A tiny BERT in the Hugging Face layout (config.json, vocab.txt, model.safetensors),
    random weights: enough for keras_hub to load it as a sentence encoder."""
    import json

    import numpy as np
    from safetensors.numpy import save_file

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    letters = "abcdefghijklmnopqrstuvwxyz'"
    vocab = (["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "and", "hello", "world"]
             + list(letters) + ["##" + c for c in letters])
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n")
    (folder / "tokenizer_config.json").write_text(json.dumps({"do_lower_case": True}))
    (folder / "config.json").write_text(json.dumps({
        "model_type": "bert", "architectures": ["BertModel"], "vocab_size": len(vocab),
        "hidden_size": hidden, "num_hidden_layers": layers, "num_attention_heads": heads,
        "intermediate_size": 2 * hidden, "max_position_embeddings": positions, "type_vocab_size": 2,
        "hidden_act": "gelu", "layer_norm_eps": 1e-12}))
    rng = np.random.default_rng(seed)

    def w(*shape):
        return (0.02 * rng.standard_normal(shape)).astype(np.float32)

    t = {"embeddings.word_embeddings.weight": w(len(vocab), hidden),
         "embeddings.position_embeddings.weight": w(positions, hidden),
         "embeddings.token_type_embeddings.weight": w(2, hidden),
         "embeddings.LayerNorm.weight": np.ones(hidden, np.float32),
         "embeddings.LayerNorm.bias": np.zeros(hidden, np.float32),
         "pooler.dense.weight": w(hidden, hidden), "pooler.dense.bias": np.zeros(hidden, np.float32)}
    for i in range(layers):
        p = f"encoder.layer.{i}."
        for name in ("query", "key", "value"):
            t[p + f"attention.self.{name}.weight"] = w(hidden, hidden)
            t[p + f"attention.self.{name}.bias"] = np.zeros(hidden, np.float32)
        t[p + "attention.output.dense.weight"] = w(hidden, hidden)
        t[p + "attention.output.dense.bias"] = np.zeros(hidden, np.float32)
        t[p + "attention.output.LayerNorm.weight"] = np.ones(hidden, np.float32)
        t[p + "attention.output.LayerNorm.bias"] = np.zeros(hidden, np.float32)
        t[p + "intermediate.dense.weight"] = w(2 * hidden, hidden)
        t[p + "intermediate.dense.bias"] = np.zeros(2 * hidden, np.float32)
        t[p + "output.dense.weight"] = w(hidden, 2 * hidden)
        t[p + "output.dense.bias"] = np.zeros(hidden, np.float32)
        t[p + "output.LayerNorm.weight"] = np.ones(hidden, np.float32)
        t[p + "output.LayerNorm.bias"] = np.zeros(hidden, np.float32)
    save_file(t, str(folder / "model.safetensors"))
    return folder
