"""The studio: ``python -m shared.studio [--runs runs] [--port 8000] [--host 127.0.0.1]`` (``make studio``)
serves one local page to play with the trained networks.

A tab per post, each playing with the post's full run (one's own newest, else the one kept
with the suite; a quick run where there is no full one) or another chosen by name from the
list, and a Runs tab with every run's report rendered. The application is :func:`shared.studio.app.create_app`; each post adds its tab from
``<post>/studio.py`` (a ``TAB``, see :mod:`shared.studio.api`); ``python -m shared.studio
bench`` times each tab's main action (:mod:`shared.studio.bench`).

The endpoints (every POST takes a JSON object; ``run`` is a run's name from the listing,
``<post>/<experiment>/<folder>``, and may be left out for the default):

=====================================  ==========================================================
``GET /api/tabs``                      the tabs, their complete runs and default run
``GET /api/<tab>/info?run=NAME``       what the page needs for a run (404 + the command to make one)
``POST /api/addition/ask``             ``a``, ``b`` → each network's answer, hidden outputs, weights
``POST /api/mnist/classify``           ``pixels`` (784 in [0, 1]), ``centre`` → ten outputs per network
``POST /api/joyce/sample``             ``seed_text``, ``diversity``, ``length``, ``random_seed``, ``epoch``
                                       → the characters, streamed as they are drawn (text/plain)
``POST /api/avatars/grid``             ``random_seed``, ``attributes`` → a 4 × 4 PNG
``POST /api/avatars/walk``             ``seed_a``, ``seed_b``, ``t``, ``spherical``, ``attributes`` → a PNG
``POST /api/lyrics/create``            ``seed_text``, ``length``, ``randomness``, ``random_seed`` → lyrics
``GET /api/runs``                      every run folder (complete or not)
``GET /api/runs/report?run=NAME``      its report.md rendered (:mod:`shared.report_html`), its files
``GET /api/runs/file?run=NAME&path=P`` a figure or text file of the run
=====================================  ==========================================================

A refused parameter is ``400 {"error": one line}``; an unknown run 404; a body above
64 KiB 413.
"""
