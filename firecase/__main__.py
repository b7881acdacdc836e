"""Entry point of the ``firecase`` console script and ``python -m firecase``."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run a headless command, or the desktop application when none is given."""
    from firecase.cli import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
