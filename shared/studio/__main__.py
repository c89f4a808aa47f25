"""``python -m shared.studio [--runs runs] [--port 8000] [--host 127.0.0.1]``: serve the studio.

``python -m shared.studio bench [--runs runs]`` prints one JSON line: each tab's main
action timed (median of a few calls after a warm-up) on a quick run where there is one.
"""
import sys

from shared import UserError
from shared.cli import ArgumentParser, guarded

LOCAL = ("127.0.0.1", "localhost", "::1")


def port(text):
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a port is a whole number, not {text!r}") from None
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError(f"a port is between 1 and 65535, not {value}")
    return value


def serve(argv):
    from pathlib import Path

    p = ArgumentParser(prog="python -m shared.studio",
                       description="Serve the studio: a local page to play with the trained networks "
                                   "(`python -m shared.studio bench` times each tab).")
    p.add_argument("--runs", default="runs", help="the folder of run folders (default runs/)")
    p.add_argument("--port", type=port, default=8000, help="port (default 8000)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this computer only)")
    args = p.parse_args(argv)
    root = Path(args.runs)
    if root.exists() and not root.is_dir():
        raise UserError(f"{root} is a file, not a folder of runs: give the --out folder of your runs")
    check_free(args.host, args.port)
    if args.host not in LOCAL:
        print(f"warning: listening on {args.host}, not 127.0.0.1: other computers can reach the studio "
              "and make this one run the networks", file=sys.stderr)
    import uvicorn

    from shared import runtime
    from shared.studio.app import create_app

    app = create_app(root, hosts=[] if args.host in LOCAL else ["*"])
    print("loading Keras (once, so that the first request does not wait for it)…", file=sys.stderr, flush=True)
    runtime.setup()
    print(f"the studio: http://{'127.0.0.1' if args.host in LOCAL else args.host}:{args.port}/ "
          f"(runs under {root}; Ctrl-C stops it)", file=sys.stderr, flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def check_free(host, port_number):
    """One line, before Keras loads, when the address cannot be listened on (a port in use, say)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port_number, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UserError(f"--host {host} is not an address of this computer ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            raise UserError(f"cannot listen on {host}:{port_number} ({exc.strerror}): "
                            "give another --port, or stop what uses it") from None


def bench(argv):
    from shared.studio.bench import main as bench_main

    p = ArgumentParser(prog="python -m shared.studio bench",
                       description="Time each tab's main action (median of a few calls after a warm-up): "
                                   "one JSON line.")
    p.add_argument("--runs", default="runs", help="the folder of run folders (default runs/)")
    p.add_argument("--repeat", type=int, default=5, help="calls timed per action (default 5)")
    args = p.parse_args(argv)
    if not 1 <= args.repeat <= 100:
        raise UserError("--repeat must be between 1 and 100")
    return bench_main(args.runs, args.repeat)


@guarded
def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["bench"]:
        return bench(argv[1:])
    return serve(argv)


if __name__ == "__main__":
    sys.exit(main())
