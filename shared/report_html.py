"""A run's ``report.md`` as HTML: one renderer for ``runs/index.html`` and the studio's Runs tab.

The maintained ``markdown`` library does the work (extensions ``tables`` and ``fenced_code``); two small
tree processors add what a report needs on a page:

- the verdicts (``**agrees**``, ``**differs**``, ``**needs full**``) get a class
  (``verdict agrees`` ...) so that a style sheet colours them: agrees green, differs
  red, needs full grey (:data:`VERDICT_CSS`);
- a relative link or image (``figures/loss.png``) is rewritten by ``url_for`` so that
  it points at the run's file from wherever the page is served.

Raw HTML in a report is shown as text, not passed through.
"""
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from shared.report import AGREES, DIFFERS, NEEDS_FULL

VERDICTS = {AGREES: "agrees", DIFFERS: "differs", NEEDS_FULL: "needs-full"}
"""Each verdict's words in a report and its CSS class (beside ``verdict``)."""
SAFE_SCHEMES = ("http", "https", "mailto")

VERDICT_CSS = (".verdict{font-weight:bold;padding:0 .3em;border-radius:3px;white-space:nowrap}"
               ".verdict.agrees{color:#fff;background:#2e7d32}"
               ".verdict.differs{color:#fff;background:#c62828}"
               ".verdict.needs-full{color:#fff;background:#757575}"
               ".report table{border-collapse:collapse;margin:.5em 0}"
               ".report th,.report td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}"
               ".report th{background:#f0f0f0}"
               ".report img{max-width:100%;height:auto;max-height:none}"
               ".report pre{background:#f6f6f6;padding:.6em;overflow-x:auto}")
"""The style the verdict classes and report tables need: runs/index.html holds it, the studio serves it
as ``/report.css``."""


def relative(url):
    """Whether ``url`` is relative to the report (no scheme, no host, not absolute, not an anchor)."""
    parts = urlsplit(url)
    return bool(url) and not parts.scheme and not parts.netloc and not url.startswith(("/", "#"))


class _ReportTree(Treeprocessor):
    def __init__(self, md, url_for):
        super().__init__(md)
        self.url_for = url_for

    def run(self, root):
        for el in root.iter():
            if el.tag == "strong" and (el.text or "").strip().lower() in VERDICTS and not len(el):
                el.set("class", "verdict " + VERDICTS[el.text.strip().lower()])
            for attr in ("src", "href"):
                url = el.get(attr)
                if url is None:
                    continue
                scheme = urlsplit(url).scheme.lower()
                if scheme and scheme not in SAFE_SCHEMES:  # javascript:, data: ... are not followed
                    del el.attrib[attr]
                elif self.url_for is not None and relative(url):
                    el.set(attr, self.url_for(url))
            if el.tag == "table":
                el.set("class", "report-table")
        return root


class ReportExtension(Extension):
    def __init__(self, url_for=None):
        super().__init__()
        self.url_for = url_for

    def extendMarkdown(self, md):
        md.treeprocessors.register(_ReportTree(md, self.url_for), "report", 5)
        # a report is text, not a page: raw HTML in it is escaped, not passed through
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render(text, url_for=None):
    """``report.md``'s text as an HTML fragment (wrap it in ``<div class="report">``).

    ``url_for(relative_path) -> url`` rewrites the report's relative links and images
    (``figures/x.png``) to where the page finds them; None leaves them as they are.
    """
    md = markdown.Markdown(extensions=["tables", "fenced_code", ReportExtension(url_for)], output_format="html")
    return md.convert(text)
