"""Stage 6, batch: many profiles rendered in isolated worker processes.

``run`` finds, validates and plans the inputs and writes the index and portfolio,
``workers`` is the process pool that survives its workers, ``index`` the manifest and
index files. Imports the pipeline and everything below it. Nothing here prints:
progress and problems go to a :class:`Listener` the caller provides. The names below
are the stage's public API.
"""

from generator.batch.run import BatchReport, Listener, discover, run_batch

__all__ = ["BatchReport", "Listener", "discover", "run_batch"]
