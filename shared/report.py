"""The blog versus us: each claim a post makes, checked against a run.

A post's ``blog.py`` lists :class:`Claim` objects: where the post says it, the
post's words, the post's figure, and a check that reads the run's
``results.json`` and returns an :class:`Outcome`. :func:`compare` runs them all;
:func:`claims_table` writes the markdown table that goes into ``report.md``.
"""
from dataclasses import dataclass
from typing import Callable

AGREES = "agrees"
DIFFERS = "differs"
NEEDS_FULL = "needs full"


@dataclass(frozen=True)
class Outcome:
    """A claim checked against one run: what we measured (as text), the verdict, a note,
    and, where the check measures one figure, that figure (for a seed study's median and range)."""
    ours: str
    verdict: str
    note: str = ""
    value: float | None = None


@dataclass(frozen=True)
class Claim:
    key: str
    source: str
    quote: str
    blog: str
    check: Callable[[dict], Outcome]
    needs_full: bool = False
    seeded: bool = True
    """False for a claim no seed can change (a parameter count, a corpus figure)."""


def verdict(ok):
    return AGREES if ok else DIFFERS


def compare(claims, results, profile):
    """Check every claim against ``results``; a missing measurement reads "needs full"."""
    rows = []
    for claim in claims:
        try:
            outcome = claim.check(results)
        except (KeyError, IndexError, TypeError):
            outcome = Outcome("not measured in this run", NEEDS_FULL)
        if claim.needs_full and profile != "full" and outcome.verdict != NEEDS_FULL:
            outcome = Outcome(outcome.ours, NEEDS_FULL,
                              (outcome.note + "; " if outcome.note else "")
                              + f"a {profile} run cannot test this: the post's own settings are needed",
                              outcome.value)
        rows.append({"key": claim.key, "source": claim.source, "quote": claim.quote,
                     "blog": claim.blog, "ours": outcome.ours, "verdict": outcome.verdict,
                     "note": outcome.note, "value": outcome.value})
    return rows


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def claims_table(rows):
    lines = ["| # | the post says | blog | ours | verdict | where |",
             "|---|---|---|---|---|---|"]
    for i, row in enumerate(rows, 1):
        ours = row["ours"] + (f" ({row['note']})" if row["note"] else "")
        lines.append(f"| {i} | {_cell(row['quote'])} | {_cell(row['blog'])} | {_cell(ours)} "
                     f"| **{row['verdict']}** | {_cell(row['source'])} |")
    return "\n".join(lines)


def tally(rows):
    counts = {}
    for row in rows:
        counts[row["verdict"]] = counts.get(row["verdict"], 0) + 1
    return counts


def tally_line(rows):
    counts = tally(rows)
    return ", ".join(f"{counts[v]} {v}" for v in (AGREES, DIFFERS, NEEDS_FULL) if v in counts)


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
