"""``python -m fastcore``: the command line, which lives in :mod:`fastcore.cli`."""

from __future__ import annotations

import sys

from fastcore.cli import main

if __name__ == "__main__":
    sys.exit(main())
