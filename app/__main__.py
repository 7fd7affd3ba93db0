"""`python -m app`: the command line, or the window when no arguments are given."""

import sys

from app.cli import main

sys.exit(main())
