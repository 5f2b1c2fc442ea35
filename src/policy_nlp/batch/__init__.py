"""The run over a batch: its options (``RunConfig``, checked once), tasks, the per-document
worker (local processes or Dask), the tables in memory (``run`` → ``Result``, ``load``) or
streamed to files (``write_tables``), and ``--append``."""

from policy_nlp.batch.append import AppendError
from policy_nlp.batch.config import RunConfig
from policy_nlp.batch.engines import EngineError
from policy_nlp.batch.result import Result, load
from policy_nlp.batch.runner import Summary, run, write_tables

__all__ = [
    "AppendError",
    "EngineError",
    "Result",
    "RunConfig",
    "Summary",
    "load",
    "run",
    "write_tables",
]
