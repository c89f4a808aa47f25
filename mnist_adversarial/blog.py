"""What "My artificial neural networks are not human" (2015) reported, with checks.

Sources are sections of the post (``../shared/seeds/003_5b422a8187c9c67e.txt``);
Nguyen et al. 2015 (arXiv:1412.1897) for the evolution figures it cites. Each
claim belongs to the experiment that measures it.
"""
from shared.report import Claim, Outcome, verdict

TITLE = "My artificial neural networks are not human (2015)"


def _pct(x, digits=1):
    return f"{100 * x:.{digits}f} %"


def accuracy_98(r):
    acc = r["mlp100"]["test_accuracy"]
    return Outcome(_pct(acc, 2), verdict(acc >= 0.975), "at least 97.5 %", 100 * acc)


def accuracy_96(r):
    acc = r["mlp30"]["test_accuracy"]
    return Outcome(_pct(acc, 2), verdict(abs(acc - 0.96) <= 0.015), "±1.5 points", 100 * acc)


def pca_70(r):
    best = r["best_accuracy"]
    a50 = r["accuracy_by_components"]["50"]
    return Outcome(f"best {_pct(best)} (50 components: {_pct(a50)}), nearest class mean",
                   verdict(best >= 0.70), "at least 70 %", 100 * best)


def descent_nine(name):
    def check(r):
        conf, digits = r[name]["confidence"], r[name]["digits"]
        if len(digits) < 10:
            raise KeyError("all ten digits")
        good = sum(c >= 0.96 for c in conf)
        worst = min(range(10), key=lambda d: conf[d])
        return Outcome(f"{good} of 10 at ≥ 96 %; lowest: '{digits[worst]}' at {_pct(conf[worst])}",
                       verdict(good >= 9), "9 or more of 10 at ≥ 96 %", good)
    return check


def ga_9999(name):
    def check(r):
        conf = r[name]["confidence"]
        low = min(conf)
        return Outcome(f"lowest of the ten: {100 * low:.3f} %", verdict(low >= 0.9999),
                       "every digit ≥ 99.99 %", 100 * low)
    return check


def nguyen_50(name):
    def check(r):
        gens = r[name]["first_9999"]
        if min(gens) < 0:
            return Outcome(f"digits never at 99.99 %: {[d for d, g in zip(r[name]['digits'], gens) if g < 0]}",
                           verdict(False))
        return Outcome(f"max {max(gens)} generations (per digit: {', '.join(map(str, gens))})",
                       verdict(max(gens) < 50), "every digit under 50", max(gens))
    return check


def mean_two(r):
    m = r["2"]
    return Outcome(f"mean of {m['images']} '2's looks most like the mean training '{m['most_like']}' "
                   f"(correlation {m['likeness'][2]:.2f} with '2'); the network calls it '{m['mean_predicted']}'",
                   verdict(m["most_like"] == 2), "most like a 2 of the ten digit means")


def mean_all(r):
    hits = [d for d in range(10) if r[str(d)]["most_like"] == d]
    return Outcome(f"{len(hits)} of 10 digit means look most like their digit ({hits})",
                   verdict(len(hits) >= 5), "at least half (the post did not try)", len(hits))


def stats_two(r):
    return Outcome(f"mean of {r['mean_count']} looks most like '{r['most_like']}' "
                   f"(correlation {r['likeness'][2]:.2f} with '2')",
                   verdict(r["most_like"] == 2), "most like a 2")


def drawn_row(label, want_top=None, want_not=None, top_min=None, top_max=None, digit_range=None):
    """The 784-100-10 network's outputs for one drawn image; the figure is the output the check
    bounds (the drawn digit's with ``digit_range``, else the top one's with ``top_min`` or ``top_max``)."""
    bounded = ("digit_output" if digit_range is not None else
               "top_output" if top_min is not None or top_max is not None else None)

    def check(r):
        row = r["drawn"][label]["networks"]["mlp100"]
        text = (f"top '{row['top']}' at {_pct(row['top_output'])}, second '{row['second']}' "
                f"at {_pct(row['second_output'])}")
        ok = True
        if want_top is not None:
            ok &= row["top"] == want_top
        if want_not is not None:
            ok &= row["top"] != want_not
        if top_min is not None:
            ok &= row["top_output"] >= top_min
        if top_max is not None:
            ok &= row["top_output"] <= top_max
        if digit_range is not None:
            ok &= digit_range[0] <= row["digit_output"] <= digit_range[1]
        return Outcome(text, verdict(ok), value=None if bounded is None else 100 * row[bounded])
    return check


def rescaled(r):
    t = r["rescaled_test"]["mlp100"]
    return Outcome(f"{_pct(t['original'])} as drawn → {_pct(t['filling_the_frame'])} stretched to the edges",
                   verdict(t["filling_the_frame"] < t["original"] - 0.2), "a drop of over 20 points",
                   100 * (t["original"] - t["filling_the_frame"]))


I, P, N, G, H = ("§ introduction", "§ Principal components", "§ Neural network digits",
                 "§ genetic-ish algorithm", "§ hand-drawn digits")

CLAIMS = {
    "networks": [
        Claim("accuracy_98", I, "networks ... which correctly classify about 98% of the digits in the "
              "MNIST test set", "≈ 98 %", accuracy_98, needs_full=True),
        Claim("accuracy_96", I, "784-30-10 reaches about 96 % (Nielsen's book, chapter 3)", "≈ 96 %", accuracy_96,
              needs_full=True),
    ],
    "pca": [Claim("pca_70", P, "so far I've got to 70% classification accuracy with them", "≈ 70 %",
                  pca_70, seeded=False)],
    "descent": [
        Claim("descent_nine", N, "The network classifies nine of them as the desired digit with "
              "'probability' from 96% to 99.8%; one ... no output neuron firing past 12%",
              "9 of 10 at 96–99.8 %", descent_nine("mlp100"), needs_full=True),
    ],
    "genetic": [
        Claim("ga_9999", G, "It often returned images which the network classified with 'probability' "
              "greater than 99.99%", "> 99.99 %", ga_9999("mlp100"), needs_full=True),
        Claim("ga_9999_cnn", G, "(the same, against the CNN)", "> 99.99 %", ga_9999("cnn"),
              needs_full=True),
        Claim("nguyen_50", G, "Nguyen et al.: ≥ 99.99 % for every MNIST digit in under 50 generations",
              "< 50 generations", nguyen_50("mlp100"), needs_full=True),
    ],
    "mean": [
        Claim("mean_two", G, "That's... not obviously a '2', but you can sort of see it.",
              "a faint 2", mean_two, needs_full=True),
        Claim("mean_all", G, "I haven't made the equivalent images for the other digits", "not done",
              mean_all, needs_full=True),
    ],
    "stats": [Claim("stats_two", G, "And here is the mean of 1000 such 2's: ... actually not so bad",
                    "a 2", stats_two, needs_full=True)],
    "drawn": [
        Claim("edge_two", H, "I drew a 2 ... it classified it, with greater than 99.9% probability, as a 5",
              "'5' > 99.9 %", drawn_row("2, drawn to the edges", want_not=2), needs_full=True),
        Claim("edge_nine", H, "So I drew a 9: ... The highest output neuron was the '3', at about 2%",
              "rejected (max ≈ 2 %)", drawn_row("9, drawn to the edges", top_max=0.5), needs_full=True),
        Claim("small_two", H, "when I drew a smaller 2 ... the network called it correctly with "
              "'probability' greater than 99.99%", "'2' > 99.99 %",
              drawn_row("2, small and centred", want_top=2, top_min=0.99), needs_full=True),
        Claim("scrambled", H, "the network's output layer fired at the 2 and 3 neurons at 46% and 22%",
              "'2' 46 %", drawn_row("2, small, background scrambled", digit_range=(0.05, 0.95)),
              needs_full=True),
        Claim("rescaled", H, "(at scale) I drew to the edge of the image, instead of keeping a clear border",
              "edge-to-edge digits fail", rescaled, needs_full=True),
    ],
}
