"""``python -m mss_embodied.cli``."""

import sys

from mss_embodied.cli import main

sys.exit(main())
