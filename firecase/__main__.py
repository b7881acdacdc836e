"""Entry point of the ``firecase`` console script and ``python -m firecase``."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run a headless command, or the desktop application when none is given."""
    import os

    from firecase.cli import main as cli_main

    try:
        return cli_main(sys.argv[1:] if argv is None else argv)
    except BrokenPipeError:  # the reader went away (``firecase … | head``): nothing to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
