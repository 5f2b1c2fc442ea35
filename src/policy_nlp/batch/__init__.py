"""The run over a batch: tasks, the per-document worker (local processes or Dask), the tables
in memory (``run`` → ``Result``) or streamed to files (``write_tables``), and ``--append``."""

from policy_nlp.batch.append import AppendError
from policy_nlp.batch.engines import EngineError
from policy_nlp.batch.runner import Result, Summary, run, write_tables

__all__ = ["AppendError", "EngineError", "Result", "Summary", "run", "write_tables"]
