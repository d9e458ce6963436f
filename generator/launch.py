"""The console script's entry: the command line loaded inside an interrupt guard.

Loading click and the CLI takes tens of milliseconds; a Ctrl-C in that window printed a Python traceback
before the CLI's own handler (one line, exit 130) existed. Nothing here imports more than the standard library.
"""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130  # generator.errors.EXIT_INTERRUPTED, not imported: that would widen the window again


def main() -> None:
    try:
        from generator.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(EXIT_INTERRUPTED) from None
    run()
