"""What "2 + 2 with neural networks" reported: its figures, and each claim with a check against a run.

Sources are sections of the post (``../shared/seeds/001_12eb4604059ed8ff.txt``).
The post's table of accuracies did not survive; its prose figures are the
anchors. Tolerances are wide where the post gives a single training run's
numbers: another random start lands elsewhere, and the verdict says so.
"""
from shared.report import Claim, Outcome, verdict

TITLE = "2 + 2 with neural networks (March 2020)"
SEED_FILE = "seeds/001_12eb4604059ed8ff.txt"

# The six 3-D error surfaces the post shows, as (hidden nodes, bits of the sum).
SURFACES = ((1, 4), (2, 4), (1, 8), (2, 8), (16, 8), (16, 16))


def _net(r, name):
    return r["networks"][name]


def _pct(x):
    return f"{100 * x:.1f} %"


def _accs(r, max_sum, nodes=None):
    return {n["nodes"]: n["accuracy"] for n in r["networks"].values()
            if n["max_sum"] == max_sum and (nodes is None or n["nodes"] in nodes)}


def _fmt_accs(accs):
    return ", ".join(f"{k}: {_pct(v)}" for k, v in sorted(accs.items()))


def one_node_16(r):
    acc = _net(r, "n1_s16")["accuracy"]
    return Outcome(_pct(acc), verdict(abs(acc - 0.20) <= 0.15), "tolerance ±15 points", 100 * acc)


def one_node_cannot_add(r):
    accs = {n["max_sum"]: n["accuracy"] for n in r["networks"].values() if n["nodes"] == 1}
    if not accs:
        raise KeyError("n1")
    return Outcome("max sum " + _fmt_accs(accs), verdict(max(accs.values()) < 0.5),
                   "below 50 % everywhere", 100 * max(accs.values()))


def two_or_more_16(r):
    accs = _accs(r, 16, {2, 4, 8, 16})
    if len(accs) < 4:
        raise KeyError("s16")
    return Outcome(_fmt_accs(accs), verdict(min(accs.values()) > 0.9), "the lowest of the four",
                   100 * min(accs.values()))


def all_below(max_sum, bound, note):
    """Every network of ``max_sum`` has an accuracy below ``bound``."""
    def check(r):
        accs = _accs(r, max_sum)
        if len(accs) < 5:
            raise KeyError(f"s{max_sum}")
        return Outcome(_fmt_accs(accs), verdict(max(accs.values()) < bound), note, 100 * max(accs.values()))
    return check


def accuracy_within(name, low, high, note):
    """The accuracy of network ``name`` is between ``low`` and ``high``."""
    def check(r):
        acc = _net(r, name)["accuracy"]
        return Outcome(_pct(acc), verdict(low <= acc <= high), note, 100 * acc)
    return check


def more_nodes_better(r):
    steps = better = 0
    for s in sorted({n["max_sum"] for n in r["networks"].values()}):
        mse = [v["mse"] for _, v in sorted((n["nodes"], n) for n in r["networks"].values()
                                           if n["max_sum"] == s)]
        for lo, hi in zip(mse, mse[1:]):
            steps += 1
            better += hi < lo
    if steps < 12:
        raise KeyError("grid")
    return Outcome(f"MSE falls in {better} of {steps} steps to more nodes",
                   verdict(better > steps / 2), value=better)


def one_node_2p2(r):
    p = r["two_plus_two"]["n1_s16"]["prediction"]
    return Outcome(f"2 + 2 = {p:.2f}", verdict(abs(p - 6.42) <= 1.5), "tolerance ±1.5", p)


def one_node_valley(r):
    v = r["one_node_16_valley"]
    return Outcome(f"lowest mean |error| at sum {v['sum']} ({v['mean_abs_error']:.2f})",
                   verdict(6 <= v["sum"] <= 10), "sum 6 to 10", v["sum"])


def one_node_256_range(r):
    n = _net(r, "n1_s256")
    lo, hi = n["prediction_min"], n["prediction_max"]
    return Outcome(f"{lo:.0f} to {hi:.0f}", verdict(abs(lo - 78) <= 30 and abs(hi - 152) <= 30),
                   "each end within ±30")


def n16_256_band(r):
    c = r["n16_s256_correct"]
    if c["min_sum"] is None:
        return Outcome("no sum right", verdict(False))
    return Outcome(f"right for sums {c['min_sum']:.0f} to {c['max_sum']:.0f} "
                   f"({_pct(c['share'])} of all pairs)",
                   verdict(abs(c["min_sum"] - 51) <= 30 and abs(c["max_sum"] - 180) <= 30),
                   "each end within ±30")


def sixty_sixty(r):
    p = r["sum120"]["60+60"]
    return Outcome(f"{p:.1f}", verdict(abs(p - 128.8) <= 5), "tolerance ±5", p)


def one_o_three(r):
    p = r["sum120"]["103+17"]
    return Outcome(f"{p:.1f}", verdict(abs(p - 119.9) <= 3), "tolerance ±3", p)


def mode_65536(r):
    m = r["most_common_65536"]
    return Outcome(f"{m['value']:.0f} for {_pct(m['share'])} of test pairs",
                   verdict(m["share"] >= 0.5), "one value for at least half the pairs", 100 * m["share"])


def mode_value_65536(r):
    m = r["most_common_65536"]
    return Outcome(f"{m['value']:.0f}", verdict(abs(m["value"] - 3746) <= 0.1 * 3746),
                   "tolerance ±10 %", m["value"])


def best_65536(r):
    b = r["best_case_65536"]
    return Outcome(f"{b['a']} + {b['b']} = {b['a'] + b['b']} predicted {b['prediction']:.1f} "
                   f"(error {b['error']:.1f})", verdict(b["error"] <= 150), "error at most 150",
                   b["error"])


def saturated_65536(r):
    s = r["saturation_65536"]
    return Outcome(f"{_pct(s['share_saturated'])} of hidden outputs within 0.01 of 0 or 1 "
                   f"(a, b > 10)", verdict(s["share_saturated"] >= 0.9), "at least 90 %",
                   100 * s["share_saturated"])


def _split_weights(item):
    w = item["w_out"]
    pos = [(x, h) for x, h in zip(w, item["hidden"]) if x > 0]
    neg = [(x, h) for x, h in zip(w, item["hidden"]) if x < 0]
    return pos, neg


def _weights_text(item):
    return ", ".join(f"{x:.1f}" for x in sorted(item["w_out"], key=lambda v: (v < 0, v)))


def two_node_weights(r):
    item = r["two_plus_two"]["n2_s16"]
    pos, neg = _split_weights(item)
    ok = len(pos) == 1 and len(neg) == 1 and abs(pos[0][0] + neg[0][0]) <= 0.25 * pos[0][0]
    return Outcome(_weights_text(item), verdict(ok), "one positive, one negative, within 25 %")


def balanced(name, blog_negative):
    def check(r):
        item = r["two_plus_two"][name]
        pos, neg = _split_weights(item)
        total = sum(x for x, _ in pos)
        ok = (len(neg) == 1 and abs(neg[0][0] - blog_negative) <= 10
              and abs(total + neg[0][0]) <= 0.25 * total)
        return Outcome(_weights_text(item), verdict(ok),
                       f"one negative weight near {blog_negative} (±10) balanced by the positives (±25 %)")
    return check


def hidden_2p2(names):
    def check(r):
        parts, ok = [], True
        for name in names:
            pos, neg = _split_weights(r["two_plus_two"][name])
            hp = [h for _, h in pos]
            hn = [h for _, h in neg]
            parts.append(f"{name.split('_')[0][1:]} nodes: +{', '.join(f'{h:.2f}' for h in hp)}"
                         f" / −{', '.join(f'{h:.2f}' for h in hn)}")
            ok &= bool(hp) and bool(hn) and all(abs(h - 0.6) <= 0.15 for h in hp) \
                and all(abs(h - 0.4) <= 0.15 for h in hn)
        return Outcome("; ".join(parts), verdict(ok),
                       "hidden outputs of positive-weight nodes ≈ 0.6, negative ≈ 0.4 (±0.15)")
    return check


E, X, W = "§ The Experiment", "§ Exploring prediction errors", "§ The inner workings of the network"

CLAIMS = [
    Claim("one_node_16", X, "the 1-node network trained on sums up to 16 has an overall accuracy of 20%",
          "20 %", one_node_16, needs_full=True),
    Claim("one_node_cannot_add", E, "The 1-node network cannot add numbers at all.", "cannot add",
          one_node_cannot_add, needs_full=True),
    Claim("two_or_more_16", E, "Networks with 2 or more hidden nodes get high accuracy when adding "
          "numbers with a sum of at most 16 (“above 90%”)", "> 90 %", two_or_more_16, needs_full=True),
    Claim("poor_256", E, "All networks perform poorly when adding numbers with a sum of at most 256.",
          "poor", all_below(256, 0.25, "all below 25 %"), needs_full=True),
    Claim("two_node_256", X, "the accuracy is just 2% (2 nodes, sums up to 256)", "2 %",
          accuracy_within("n2_s256", 0, 0.07, "tolerance ±5 points"), needs_full=True),
    Claim("sixteen_node_256", X, "even the 16-node hidden layer network only had 6% accuracy for sums up "
          "to 256", "6 %",
          accuracy_within("n16_s256", 0.01, 0.11, "tolerance ±5 points"), needs_full=True),
    Claim("abysmal_65536", E, "All networks have abysmal performance for numbers with a sum of at most "
          "65536.", "abysmal", all_below(65536, 0.01, "all below 1 %"), needs_full=True),
    Claim("more_nodes_better", E, "Adding more hidden nodes improves performance most of the time.",
          "most of the time", more_nodes_better, needs_full=True),
    Claim("one_node_2p2", X, "When we add 2 + 2 with this network we get 6.42", "6.42", one_node_2p2,
          needs_full=True),
    Claim("one_node_valley", X, "good at predicting numbers where the sum is 8 (the valley in the chart)",
          "valley at 8", one_node_valley, needs_full=True),
    Claim("one_node_256_range", X, "the network only ever predicts values between 78 and 152",
          "78 to 152", one_node_256_range, needs_full=True),
    Claim("n16_256_band", X, "The network correctly predicts some sums between 51 and 180",
          "51 to 180", n16_256_band, needs_full=True),
    Claim("sixty_sixty", X, "60 + 60 is predicted as 128.8 (error = 8.8)", "128.8", sixty_sixty,
          needs_full=True),
    Claim("one_o_three", X, "103 + 17 is predicted as 119.9 (error = 0.1)", "119.9", one_o_three,
          needs_full=True),
    Claim("mode_65536", X, "the network mostly just predicts the value 3746", "mostly one value",
          mode_65536, needs_full=True),
    Claim("mode_value_65536", X, "... the value 3746", "3746", mode_value_65536, needs_full=True),
    Claim("best_65536", X, "The lowest error this network gets on a test set is the sum 3370 + 329 = "
          "3699 which the network predicts as 3745.5 (error = 46.5)", "error 46.5", best_65536,
          needs_full=True),
    Claim("saturated_65536", X, "As a and b get larger, the hidden layer always produces all 1’s and 0’s",
          "saturated", saturated_65536, needs_full=True),
    Claim("two_node_weights", W, "the final weights 22.7 and -23.5", "22.7, −23.5", two_node_weights,
          needs_full=True),
    Claim("two_node_hidden", W, "the output of the hidden layer is 0.6 ... and 0.4 (2 + 2)", "0.6, 0.4",
          hidden_2p2(["n2_s16"]), needs_full=True),
    Claim("four_node_weights", W, "these are (rounded) 8, 8, 9 and -25", "8, 8, 9, −25",
          balanced("n4_s16", -25), needs_full=True),
    Claim("eight_node_weights", W, "The 8 output weights are 3, 3, 3, 3, 4, 5, 5 and -25",
          "3, 3, 3, 3, 4, 5, 5, −25", balanced("n8_s16", -25), needs_full=True),
    Claim("four_eight_hidden", W, "the output of the hidden layer is 0.6, 0.6, 0.6 and 0.4 which is "
          "exactly the same as the 2-node network (also for 8 nodes)", "0.6 … 0.6, 0.4",
          hidden_2p2(["n4_s16", "n8_s16"]), needs_full=True),
]
