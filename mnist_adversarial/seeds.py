"""Beyond the post: would another random start tell the same story?

The post trained its networks once and made its images once. ``python -m
mnist_adversarial seeds EXPERIMENT --seeds 5`` runs one experiment at the post's
settings from five seeds, through the suite's seed study (:mod:`shared.seeds`):
every claim as "agrees in k of n seeds". The questions a reader of the post asks:

    python -m mnist_adversarial seeds networks --seeds 5   # about 98 % and 96 %? (7 min a seed)
    python -m mnist_adversarial seeds genetic --seeds 5    # 99.99 % fooling images? (1 min a seed)
    python -m mnist_adversarial seeds descent --seeds 5    # nine digits of ten? (under a minute a seed)

Every experiment after ``networks`` uses networks, and a seed's run uses the
networks trained from that seed: those of a finished ``seeds networks`` study in
the same ``--out`` folder at the same settings (every setting: a study that changes
one trains its own), else the study trains them inside its own folder first (7
minutes more a seed). Seed 0 at the post's settings is the suite's kept full
run (``docs/full/``), networks included. Every experiment of one seed, as ``all``
runs them, takes about 45 minutes on a 2-core CPU. The principal-component
classifier draws nothing at random: it has no study.
"""
from mnist_adversarial import blog
from mnist_adversarial.config import PROFILES, Config
from shared import seeds as seed_study
from shared.seeds import Plan

POST = "mnist_adversarial"


def train_networks(settings, out, seed, profile, resume):
    """One seed's networks: the post's own experiment."""
    from mnist_adversarial import experiment

    return experiment.run("networks", settings, out, seed, profile, resume)


NETWORKS = Plan(POST, "networks", Config, PROFILES, blog.CLAIMS["networks"], train_networks)


def networks_of_seed(settings, study_dir, seed, profile):
    """The networks trained from ``seed``: the kept full run where it is this seed's run, else
    those of this study or a networks study beside it, else the study's own (resumed or trained now)."""
    return seed_study.seed_run(NETWORKS, study_dir, settings, seed, profile)


def against_seed_networks(name):
    """One seed's run of experiment ``name``, against the networks trained from the same seed
    (a resumed run keeps the networks it started with)."""
    def run(settings, out, seed, profile, resume):
        from mnist_adversarial import experiment

        networks = None if resume else networks_of_seed(settings, out, seed, profile)
        return experiment.run(name, settings, out, seed, profile, resume, networks)
    return run


PLANS = {"networks": NETWORKS,
         **{name: Plan(POST, name, Config, PROFILES, claims, against_seed_networks(name))
            for name, claims in blog.CLAIMS.items() if name not in ("networks", "pca")}}
"""A study for every experiment whose claims a seed can change, in the post's order (the
eigen-digits and their classifier draw nothing at random)."""
