"""PyInstaller entry script: the same entry point as the ``firecase`` console script."""

import sys

from firecase.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
