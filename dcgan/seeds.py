"""Beyond the post: is what each section saw the GAN, or the luck of one random start?

The post trained each section's GAN once. ``python -m dcgan seeds [EXPERIMENT] --seeds 5``
trains a section (the post's settings by default) from five seeds, through the suite's
seed study (:mod:`shared.seeds`): every claim as "agrees in k of n seeds", with its
figure's median and range. On a CPU the two sections with the tutorial's network are
the ones to study at full: the first attempt (about 6 minutes a seed) and the black
and white ellipses (about 22 minutes a seed on an idle machine, the default). The colour ellipses and the
avatars take hours a seed on a CPU; a few minutes on a GPU. At full, seed 0 is the
section's kept run in ``dcgan/docs/full/`` (all but the first attempt's): it is not trained again.
"""
from dcgan import blog
from dcgan.config import EXPERIMENTS, PROFILES, Config, hidden_options
from shared.seeds import Plan


def run_of(experiment):
    """One seed's run of ``experiment``: the section's own ``experiment.run``."""
    def run(settings, out, seed, profile, resume):
        from dcgan.experiment import run as run_section  # Keras loads once the arguments are checked

        return run_section(experiment, settings, out, seed, profile, resume)

    return run


def source(settings):
    """What a run would learn from here (the Cartoon Set, a folder, the stand-in avatars or ellipses):
    a kept run or another study's seed drawn from other data is not this study's."""
    from dcgan.data import data_source

    return data_source(settings)


PLANS = {name: Plan("dcgan", name, Config, PROFILES[name], blog.CLAIMS[name], run_of(name),
                    skip=hidden_options(name), source=source)
         for name in EXPERIMENTS}
