"""The post's claims, section by section, and the measurement that checks each."""
from shared.report import Claim, Outcome, verdict


def _final(r, key):
    return r["history"][-1][key]


def _epoch(first):
    """The epoch a measure first reaches its mark, as a figure; none where it never does."""
    return None if first is None else float(first)


def _white(r):
    b, start = _final(r, "brightness"), r["history"][0]["brightness"]
    return Outcome(f"mean brightness {start:.2f} after epoch 1 (gray), {b:.2f} after the last "
                   f"(white = 1, real images {r['real']['brightness']:.2f})",
                   verdict(b >= 0.8), "criterion: final brightness ≥ 0.8, mostly white", value=b)


def _params(r):
    total = r["parameters"]["generator"] + r["parameters"]["discriminator"]
    return Outcome(f"{total / 1e6:.2f} M (generator {r['parameters']['generator']:,}, discriminator "
                   f"{r['parameters']['discriminator']:,}) at {r['size']}×{r['size']}",
                   verdict(0.5e6 <= total <= 1.5e6), value=total / 1e6)


def _circles(r):
    iou = _final(r, "ellipse_iou")
    return Outcome(f"ellipse fit (IoU) of the final samples {iou:.2f}; real {r['real']['ellipse_iou']:.2f}",
                   verdict(iou >= 0.8), value=iou)


def _ellipses_by(r):
    first = next((h["epoch"] for h in r["history"] if h["ellipse_iou"] >= 0.7), None)
    ours = f"ellipse fit ≥ 0.7 from epoch {first}" if first else "ellipse fit never reaches 0.7"
    return Outcome(ours, verdict(first is not None and first <= 25), value=_epoch(first))


def _collapse(r):
    ratio = min(h["diversity"] for h in r["history"]) / r["real"]["diversity"]
    return Outcome(f"lowest sample diversity {100 * ratio:.0f} % of the real images'", verdict(ratio < 0.5),
                   value=100 * ratio)


def _faces(r):
    ref = r["real"]["nearest_real"]
    first = next((h["epoch"] for h in r["history"] if h["nearest_real"] <= 1.5 * ref), None)
    ours = (f"samples within 1.5× the real images' nearest-neighbour distance from epoch {first}"
            if first else "samples never come within 1.5× the real images' nearest-neighbour distance")
    return Outcome(ours, verdict(first is not None and first <= 5), value=_epoch(first))


def _cycling(r):
    late = [h["change"] for h in r["history"][len(r["history"]) // 2:] if h["change"] is not None]
    mean = sum(late) / len(late) if late else 0.0
    return Outcome(f"the same latent vectors' images change by {mean:.3f} RMS per epoch in the second half",
                   verdict(mean >= 0.05), value=mean)


CLAIMS = {
    "first-attempt": [
        Claim("white", "DCGAN Tutorial and drawing ellipses", "training collapses in the end and it just "
              "generates white backgrounds", "white", _white, needs_full=True),
    ],
    "bw-ellipses": [
        Claim("params", "Ellipses in opaque black and white", "a neural network with 1 million parameters",
              "≈ 1 M", _params, seeded=False),
        Claim("circles", "Ellipses in opaque black and white", "the generator ended up creating something "
              "that resembles circles", "white blobs", _circles, needs_full=True),
    ],
    "colour-ellipses": [
        Claim("by_25", "Deeper, wider, opaque, color", "after about 20-25 epochs, the output starts to "
              "resemble colored ellipses", "epoch 20–25", _ellipses_by, needs_full=True),
        Claim("collapse", "Deeper, wider, opaque, color", "converge to colored blobs and then change "
              "dramatically between epochs ... mode collapse", "collapse", _collapse, needs_full=True),
    ],
    "cartoon": [
        Claim("faces", "Generating cartoon avatars", "the network starts to create face-like images after "
              "just a few epochs", "a few epochs", _faces, needs_full=True),
        Claim("cycling", "Generating cartoon avatars", "then starts cycling the style of the face, probably "
              "due to ... mode collapse", "cycling", _cycling, needs_full=True),
    ],
}
