"""``python -m dcgan generate``: a finished run's samples as files (a grid PNG, a latent-walk GIF)."""
import contextlib
from pathlib import Path

from dcgan import media, play
from shared.paths import check_output_file
from shared import UserError, runs


def parse_attributes(pairs):
    """{'hair_color': 3} from ['hair_color=3']."""
    wanted = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep:
            raise UserError(f"--attr {pair!r} should read NAME=VALUE, e.g. hair_color=3")
        try:
            wanted[name] = int(value)
        except ValueError:
            raise UserError(f"--attr {pair}: the value must be a whole number") from None
    return wanted


def generate(run_dir, n=16, random_seed=0, attributes=None, interpolate=False, output=None):
    """Write ``n`` samples as a grid PNG (default ``RUN_DIR/generated/seedS_nN....png``) and, with
    ``interpolate``, a GIF walking through four random points and back; return the paths."""
    if not 1 <= n <= 1024:
        raise UserError("--n must be between 1 and 1024")
    if output is not None:
        check_output_file(output, "--output", ".png")
    avatars = play.load(run_dir)
    try:
        wanted = avatars.check(attributes)
    except UserError as exc:
        raise UserError(f"--attr {exc}") from None
    tag = f"seed{random_seed}_n{n}" + "".join(f"_{k}{v}" for k, v in wanted.items())
    out = Path(output) if output else avatars.run_dir / "generated" / f"{tag}.png"
    images = avatars.draw(n, random_seed, wanted)
    with contextlib.nullcontext() if output else runs.Lock(avatars.run_dir):  # the run folder's one writer
        return write(avatars, images, out, random_seed, wanted, interpolate)


def write(avatars, images, out, random_seed, wanted, interpolate):
    written = [media.save_png(media.upscale(avatars.grid(images, columns=8)), out)]
    if interpolate:
        fixed = avatars.complete(wanted, random_seed)  # one set of attributes along the whole walk
        keys = [random_seed + i for i in range(4)] + [random_seed]  # back to the start: the GIF loops
        t = [i / 12 for i in range(12)]
        frames = [f for a, b in zip(keys, keys[1:]) for f in avatars.walk(a, b, t, fixed, spherical=True)]
        gif = out.with_name(out.stem + "_interpolation.gif")
        media.animate([media.upscale(avatars.grid(f[None], columns=1), 192) for f in frames], gif, fps=12)
        written.append(gif)
    return written
