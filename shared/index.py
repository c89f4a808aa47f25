"""``python -m shared.index [runs]``: one page linking every run's report and figures."""
import html
import sys
from pathlib import Path
from urllib.parse import quote

from shared import UserError
from shared.cli import ArgumentParser, guarded
from shared.report_html import VERDICT_CSS, render
from shared.runs import check_writable, every_run, is_complete, profile_of, write_text


def build(root="runs"):
    root = Path(root)
    entries = [(config.get("post", "?"), config.get("experiment", "?"), run, config)
               for run, config in every_run(root)]
    parts = ["<!doctype html><meta charset='utf-8'><title>Runs</title>",
             "<style>body{font-family:sans-serif;max-width:70em;margin:auto}"
             "img{max-height:180px;margin:4px;border:1px solid #ccc}"
             "pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}" + VERDICT_CSS + "</style>",
             f"<h1>Runs under {html.escape(str(root))}</h1>"]
    if not entries:
        parts.append("<p>No runs yet: run <code>make demo</code> or a post's command.</p>")
    current = None
    for post, experiment, run, config in sorted(entries, key=lambda e: (e[0], e[1], e[2].name)):
        if post != current:
            parts.append(f"<h2>{html.escape(post)}</h2>")
            current = post
        rel = run.relative_to(root)
        complete = is_complete(run)
        profile = profile_of(config)
        status = "complete" if complete else "unfinished (resume with --resume)"
        parts.append(f"<h3>{html.escape(experiment)} · {html.escape(run.name)} · "
                     f"profile {html.escape(str(profile))} · {status}</h3>")
        links = [f"<a href='{html.escape(str(rel / name))}'>{name}</a>"
                 for name in ("report.md", "results.json", "config.json") if (run / name).is_file()]
        parts.append("<p>" + " · ".join(links) + "</p>")
        report = run / "report.md"
        if report.is_file():
            # the report rendered (tables, figures, coloured verdicts), its links relative to this page
            body = render(report.read_text(), lambda url, rel=rel: quote(f"{rel.as_posix()}/{url}"))
            parts.append(f"<details><summary>report</summary><div class='report'>{body}</div></details>")
        shown = sorted((run / "figures").glob("*.png")) + sorted((run / "figures").glob("*.gif"))
        for fig in shown + sorted(run.glob("*.gif")):  # a GAN's training animation
            src = html.escape(str(fig.relative_to(root)))
            parts.append(f"<a href='{src}'><img src='{src}' title='{html.escape(fig.name)}'></a>")
    out = root / "index.html"
    write_text(out, "\n".join(parts) + "\n")
    return out, len(entries)


@guarded
def main(argv=None):
    p = ArgumentParser(prog="python -m shared.index", description="Write RUNS/index.html: every run's report and figures.")
    p.add_argument("runs", nargs="?", default="runs", help="the folder of run folders (default runs/)")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    root = Path(args.runs)
    if root.exists() and not root.is_dir():
        raise UserError(f"{root} is a file, not a folder of runs: give the --out folder of your runs")
    check_writable(root)
    out, n = build(root)
    print(f"wrote {out} ({n} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
