"""How typical is the post's run? One experiment from several seeds, each claim as "agrees in k of n seeds".

A post trained each network once, from one random start. ``python -m <post> seeds
[EXPERIMENT] --seeds N`` runs the post's experiment from seeds ``--seed``,
``--seed`` + 1, ... one after another and checks every claim against each:

    <out>/<post>/seeds/<time>-seed<first>/       the study: a run folder of its own
        config.json                              the experiment, its settings, how many seeds
        <post>/<experiment>/<time>-seed<k>/      each seed's run, an ordinary run folder
        seeds/seed<k>.json                       each finished seed's results.json
        report.md, figures/seeds.png, results.json
        <scratch>/                               where a post has one: what its seeds' runs share
                                                 while the study runs (gone when it is over)

Each seed's run is made by the post's own ``experiment.run``, so an interrupted
study resumes (``--resume STUDY``) inside the seed it stopped in. Where the suite
keeps the post's full run at seed 0 (``<post>/docs/full/<experiment>/``) and the
study asks for the same settings, that run is seed 0: it is not trained again. A
seed that another study in the same folder finished, at the same settings, profile
and backend, is taken from it too: a study of 5 seeds after one of 3 trains 2.

A claim's check gives its verdict and, where it measures one figure, that figure
(:class:`shared.report.Outcome`'s ``value``); the study gives the share of seeds
whose verdict agrees, and the figure's median and range. Claims that cannot vary
with the seed (parameter counts, corpus figures) are marked ``seeded=False`` and
say so.
"""
import filecmp
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from shared import UserError, runs
from shared.cli import log, settings_parser
from shared.config import from_dict, given, resolve
from shared.report import AGREES, DIFFERS, compare, markdown_table

STUDY = "seeds"


@dataclass(frozen=True)
class Plan:
    """What a post tells the study about one of its experiments.

    ``run(settings, out, seed, profile, resume)`` makes (or, given ``resume``,
    finishes) one run of the experiment and returns its folder: the post's own
    ``experiment.run``. ``claims``: the experiment's :class:`shared.report.Claim` list.
    ``details(per_seed, study_dir)``, where given, measures what the claims do not
    (from each seed's results.json) and returns ``(figures, markdown)``: kept in the
    study's results.json under ``details`` and added to its report.
    """
    post: str
    experiment: str
    settings_class: type
    profiles: dict
    claims: list
    run: Callable
    default_profile: str = "full"
    details: Callable | None = None
    skip: tuple = ()
    """Settings the experiment's own command does not offer as options (they stay the profile's)."""
    source: Callable | None = None
    """``source(settings)``: what a run at ``settings`` would learn from on this machine (a run's
    ``data_source`` in its config.json), where that can differ between machines (the DCGAN's
    avatars: the Cartoon Set, or the stand-in drawn where it is absent). A run made from other
    data is not a seed of this study."""
    scratch: str | None = None
    """A folder of the study's (its name) where the seeds' runs keep what each would otherwise
    compute alike (Gene Lyrica Two's frozen sentence vectors); it goes when every seed is done."""


def study(plan, settings, seeds, first_seed=0, out="runs", profile=None):
    """A new study of ``plan``'s experiment at ``settings`` from ``seeds`` seeds; return its folder."""
    if seeds < 1:
        raise UserError("--seeds must be at least 1")
    settings.check()
    run = runs.start(plan.post, STUDY, settings, first_seed, out, profile,
                     extra={"study": {"experiment": plan.experiment, "seeds": seeds}})
    return _carry_out(plan, run)


def resume(plans, run_dir):
    """Finish an interrupted study (``plans``: the post's plans by experiment); return its folder."""
    run = runs.resume(run_dir, next(iter(plans.values())).post, STUDY)
    if run is None:
        return Path(run_dir)
    experiment = run.config.get("study", {}).get("experiment")
    if experiment not in plans:
        raise runs.damaged(run.path, "config.json", "names no experiment this post studies")
    return _carry_out(plans[experiment], run)


def _carry_out(plan, run):
    settings = from_dict(plan.settings_class, run.settings)
    first, count = run.seed, run.config["study"]["seeds"]
    profile = run.config.get("profile")
    done = run.path / "seeds"
    done.mkdir(exist_ok=True)
    elapsed = done / "seconds.json"  # the study's seconds in earlier sessions, however each ended
    earlier = runs.read_run_json(run.path, "seeds/seconds.json")["seconds"] if elapsed.exists() else 0.0
    with run:
        begun = time.perf_counter()
        try:
            for k, seed in enumerate(range(first, first + count)):
                target = done / f"seed{seed}.json"
                if target.exists():
                    continue
                log(f"seed {seed} ({k + 1} of {count})")
                seed_dir = seed_run(plan, run.path, settings, seed, profile)
                with runs.atomic_path(target) as tmp:  # a seed's file is whole, or not there
                    shutil.copyfile(seed_dir / "results.json", tmp)
        finally:  # stopped inside a seed too: its minutes count when the study is resumed
            seconds = earlier + time.perf_counter() - begun
            runs.write_json(elapsed, {"seconds": seconds})
        if plan.scratch:
            shutil.rmtree(run.path / plan.scratch, ignore_errors=True)
        per_seed = {seed: runs.read_run_json(run.path, f"seeds/seed{seed}.json")
                    for seed in range(first, first + count)}
        results = measure(plan.claims, per_seed, profile)
        results["experiment"] = plan.experiment
        if plan.claims:
            figure(results, run.path / "figures" / "seeds.png")
        text = report(plan, run.config, results, kept_seed=_seed_was_kept(plan, settings, run.path, first, profile))
        if plan.details:
            results["details"], more = plan.details(per_seed, run.path)
            text += "\n" + more
        run.finish(results, [], text, {"train_seconds": seconds})
    return run.path


def seed_run(plan, study_dir, settings, seed, profile):
    """The complete run of ``plan``'s experiment from ``seed``: the kept full run where it is this
    seed's, else a finished one of the study's own or of a study beside it (same settings, profile
    and backend), else the study's own, resumed or made now."""
    study_dir = Path(study_dir)
    return (_kept_seed(plan, settings, seed, profile) or _finished_beside(plan, study_dir, settings, seed, profile)
            or _own_run(plan, study_dir, settings, seed, profile))


def _kept_seed(plan, settings, seed, profile):
    """The suite's kept full run, when it is this seed's run: seed 0 at the same settings."""
    kept = _kept_run(plan, settings, seed, profile)
    if kept is not None:
        log(f"seed 0: the kept full run {kept.relative_to(runs.REPO)}")
    return kept


def _kept_run(plan, settings, seed, profile):
    kept = runs.REPO / plan.post / "docs" / "full" / plan.experiment
    if seed != 0 or profile != "full" or not runs.is_complete(kept):
        return None
    return kept if _made_with(plan, runs.read_json(kept / "config.json"), settings, seed) else None


def _finished_beside(plan, study_dir, settings, seed, profile):
    """A complete run of this seed at these settings, profile and backend, the study's own or one
    made by another study of the post in the same folder (a descent study uses the networks a
    networks study trained); the study's own first, then the oldest."""
    own = study_dir / plan.post / plan.experiment
    backend = runs.read_json(study_dir / "config.json").get("backend")
    for found in sorted(runs.of_seed(study_dir.parent.glob(f"*/{plan.post}/{plan.experiment}/*"), seed),
                        key=lambda path: (path.parent != own, path.parent.parent.parent.name, path.name)):
        config = runs.read_json(found / "config.json") if runs.is_complete(found) else {}
        if (config and _made_with(plan, config, settings, seed) and config.get("profile") == profile
                and config.get("backend") == backend):
            if found.parent != own:
                log(f"seed {seed}: {plan.experiment} of the study beside this one, {found}")
            return found
    return None


def _made_with(plan, config, settings, seed):
    """Whether a run (its ``config.json``) was made from ``seed`` at ``settings`` (settings added
    since it was made read as their defaults), and from the data a run would learn from here."""
    try:
        same = from_dict(plan.settings_class, config.get("settings") or {}) == settings
    except (TypeError, ValueError, UserError):
        same = False
    if same and plan.source is not None:
        same = config.get("data_source") == list(plan.source(settings))
    return same and config.get("seed") == seed


def _own_run(plan, study_dir, settings, seed, profile):
    """This seed's run inside the study: its unfinished one resumed where that one learns from the
    data a run here would (the data may have changed since the study stopped), else a new one."""
    found = [path for path in sorted(runs.of_seed((study_dir / plan.post / plan.experiment).glob("*"), seed))
             if _resumable(plan, path, settings, seed)]
    return Path(plan.run(settings, study_dir, seed, profile, found[-1] if found else None))


def _resumable(plan, run_dir, settings, seed):
    if not (run_dir / "config.json").exists():
        return False  # stopped before it was begun: a new run is made
    try:
        config = runs.read_json(run_dir / "config.json")
    except (OSError, ValueError):
        return True  # resuming it says what is damaged
    return not isinstance(config, dict) or _made_with(plan, config, settings, seed)


def measure(claims, per_seed, profile):
    """Each claim's verdict in every seed: how many agree, and its figure's median and range."""
    seeds = sorted(per_seed)
    rows = {seed: {row["key"]: row for row in compare(claims, per_seed[seed], profile)} for seed in seeds}
    table = []
    for claim in claims:
        outcomes = [rows[seed][claim.key] for seed in seeds]
        verdicts = [o["verdict"] for o in outcomes]
        tested = [v for v in verdicts if v in (AGREES, DIFFERS)]
        values = [o["value"] for o in outcomes if o["value"] is not None]
        table.append({
            "key": claim.key, "quote": claim.quote, "blog": claim.blog, "seeded": claim.seeded,
            "verdicts": verdicts, "ours": [o["ours"] for o in outcomes], "values": values,
            "agrees": tested.count(AGREES), "tested": len(tested),
            **({"median": float(np.median(values)), "min": float(min(values)), "max": float(max(values))}
               if values else {}),
        })
    return {"seeds": seeds, "per_claim": table}


def share(entry):
    """A claim's line in a claims table: "agrees in 7 of 10 seeds", or why there is no share."""
    if not entry["seeded"]:
        return f"does not vary with the seed ({entry['verdicts'][0]})"
    if not entry["tested"]:
        return "not tested at this profile"
    return f"agrees in {entry['agrees']} of {entry['tested']} seeds"


def figure_range(entry):
    """The figure's median and range, with as many digits as tell different values apart
    (99.989 and 99.992 are not both "99.99")."""
    if "median" not in entry:
        return ""
    values = [entry[k] for k in ("min", "median", "max")]
    digits = next((d for d in range(4, 8) if len({_number(v, d) for v in values}) == len(set(values))), 8)
    lo, mid, hi = (_number(v, digits) for v in values)
    return mid if lo == hi else f"{mid} ({lo} to {hi})"


def _number(x, digits=4):
    return f"{x:.{digits}g}" if abs(x) < 1000 else f"{x:,.0f}"


def figure(results, path):
    """One bar per claim: the share of seeds whose verdict agrees."""
    from shared.figures import plt, save

    entries = [(e["key"], e) for e in results["per_claim"] if e["seeded"] and e["tested"]]
    fig, ax = plt.subplots(figsize=(7, 0.32 * max(len(entries), 3) + 1.2), layout="constrained")
    keys = [key for key, _ in entries]
    shares = [e["agrees"] / e["tested"] for _, e in entries]
    ax.barh(range(len(entries)), [100 * s for s in shares], color="#4c72b0")
    if not entries:
        ax.text(50, 0, "no claim this profile can test", ha="center", va="center")
    for i, (_, e) in enumerate(entries):
        ax.text(1, i, f"{e['agrees']} of {e['tested']}", va="center", fontsize=8, color="white"
                if e["agrees"] / e["tested"] > 0.15 else "black")
    ax.set_yticks(range(len(entries)), keys, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("seeds whose run agrees with the post (%)")
    ax.set_title(f"The post's claims over {len(results['seeds'])} seeds "
                 f"({results['seeds'][0]} to {results['seeds'][-1]})", fontsize=9)
    return save(fig, path)


def report(plan, config, results, kept_seed=False):
    """The study's report.md: per claim, the first seed's verdict beside the share of seeds (and
    with ``kept_seed``, that seed 0 is the suite's kept full run)."""
    first = results["seeds"][0]
    rows = [[i, e["quote"], e["blog"], e["ours"][0], e["verdicts"][0], share(e), figure_range(e)]
            for i, e in enumerate(results["per_claim"], 1)]
    claims = [markdown_table(["#", "the post says", "blog", f"ours (seed {first})", f"seed {first}",
                              "over the seeds", "figure: median (range)"], rows),
              "", "![seeds](figures/seeds.png)"] if rows else ["The post makes no claim about this experiment."]
    return "\n".join([
        f"# Seed study: {plan.post} {plan.experiment}, {len(results['seeds'])} seeds",
        "",
        f"Profile **{config.get('profile')}**, seeds {first} to {results['seeds'][-1]}: each seed draws its "
        f"own initial weights, data order and samples."
        + (" Seed 0 is the suite's kept full run, where its settings are the study's." if kept_seed else ""),
        "",
        *claims,
        "",
    ])


def _seed_was_kept(plan, settings, study_dir, first, profile):
    """Whether the study's seed 0 is the suite's kept full run: its results are the kept run's."""
    kept = _kept_run(plan, settings, first, profile)
    return kept is not None and filecmp.cmp(kept / "results.json", study_dir / "seeds" / "seed0.json", shallow=False)


def summary(run_dir, post):
    """A complete study in a few lines: each claim's share of seeds."""
    path, _, results = runs.load(run_dir, post, STUDY)
    lines = [f"{e['key']}: {share(e)}" + (f"; {figure_range(e)}" if "median" in e else "")
             for e in results["per_claim"]]
    return "\n".join([*lines, f"report: {path / 'report.md'}"])


def command(prog, plans, default=None):
    """``python -m <post> seeds [EXPERIMENT] --seeds N``: the post's seed study as a command."""
    default = default or next(iter(plans))

    def seeds(argv):
        experiment = argv[0] if argv and not argv[0].startswith("-") else default
        rest = argv[1:] if argv and not argv[0].startswith("-") else argv
        if experiment not in plans:
            raise UserError(f"no seed study of {experiment!r}: choose one of {', '.join(plans)}")
        plan = plans[experiment]
        parser = settings_parser(f"{prog} seeds {experiment}",
                                 f"Run {experiment} from several seeds: each of the post's claims as "
                                 f"'agrees in k of n seeds'.", plan.settings_class, plan.profiles,
                                 plan.default_profile, skip=plan.skip,
                                 resume_help="finish an interrupted study (give its folder)")
        parser.add_argument("--seeds", type=int, default=5, help="how many seeds, from --seed on (default 5)")
        args = parser.parse_args(rest)
        if args.resume:
            if given(args, plan.settings_class) or args.profile or any(a.startswith("--seeds") for a in rest):
                raise UserError("--resume takes the study as it was started: give no settings with it")
            run_dir = resume(plans, args.resume)
        else:
            profile = args.profile or plan.default_profile
            settings = resolve(plan.profiles, profile, given(args, plan.settings_class))
            run_dir = study(plan, settings, args.seeds, args.seed, args.out, profile)
        print(summary(run_dir, plan.post))
        return 0

    return seeds

