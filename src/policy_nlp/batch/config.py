"""How a run goes: one ``RunConfig``, checked once when it is made.

The command line builds it from its arguments; ``run`` and ``write_tables`` build it from their
keyword options (or take one as ``config=``). Everything after trusts it: a bad value or a
contradictory pair of options is refused here, with a message naming the option, before any
file is read.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from policy_nlp.batch.engines import ENGINES, default_jobs
from policy_nlp.errors import OptionError, PolicyNLPError
from policy_nlp.keywords import METHODS
from policy_nlp.read.limits import Limits
from policy_nlp.tokens import BACKENDS

__all__ = ["DASK_INPUTS", "RunConfig"]

DASK_INPUTS = ("bytes", "paths")  # how Dask workers get a file: its bytes, or its absolute path


class AppendError(PolicyNLPError, ValueError):
    """The tables cannot be appended to as asked (a usage error: the message says why)."""


@dataclass(frozen=True)
class RunConfig:
    """The options of one run (``policy-nlp run``'s flags), validated on construction.

    - ``jobs``: local worker processes (None: all cores; the tables are the same for any number);
    - ``engine``: ``"local"`` or ``"dask"`` (the cluster at ``scheduler``, ``tcp://HOST:PORT``);
    - ``dask_input``: how Dask workers get the files, ``"bytes"`` (the default: sent from here)
      or ``"paths"`` (absolute paths on a filesystem every worker mounts);
    - ``tokenizer``: the tokeniser backend, ``"rjieba"`` or ``"jieba"``;
    - ``models``: the folder of saved keyword and topic models (None: the shipped ``models/``);
    - ``refit_topics``: fit the topic model on this batch instead of using the saved one;
    - ``top_keywords``, ``keyword_method``: keywords per document, ``"tfidf"`` or ``"textrank"``;
    - ``progress``: a progress bar on stderr;
    - ``append``: add the documents to the tables already in the output folder;
    - ``overwrite``: replace the tables of an earlier run in the output folder, and remove its
      other outputs (workbook, report, other formats); without it (or ``append``) a folder
      holding tables is refused (``AppendError``), so a slip of ``--out`` loses nothing;
    - ``outcomes``: a CSV of official outcomes that settle the panel's targets (spec/panel.md).
    - ``time_limit``: seconds one document may take in a local worker (reading, claims,
      tokens), ``memory_limit_mb`` the memory its worker may grow to: a document over either
      gets status ``error`` with the reason and its worker is replaced (0 switches it off);
    - ``max_file_mb``, ``docx_max_mb``, ``docx_max_elements``, ``max_text_mb``: caps on one
      input file, and ``piece_mb``, the size above which a plain-text file is read and
      processed in pieces (``policy_nlp.read.limits``);
    - ``follow_links``: read files that links in the input folders point to outside them;
    - ``tracking``: link targets to outcomes (``tracking.csv``) and build the panel
      (``panel.csv``); False skips both, for claims, keywords and topics only: those two files
      are not written (and an earlier run's are removed), ``load`` gives them empty.

    Raises ``OptionError`` (``AppendError`` for ``append`` with ``refit_topics``).
    """

    jobs: int | None = None
    engine: str = "local"
    scheduler: str | None = None
    dask_input: str | None = None  # None: "bytes" (given only with engine="dask")
    tokenizer: str = "rjieba"
    models: str | Path | None = None
    refit_topics: bool = False
    top_keywords: int = 10
    keyword_method: str = "tfidf"
    progress: bool = False
    append: bool = False
    overwrite: bool = False
    outcomes: str | Path | None = None
    time_limit: float = 90.0
    memory_limit_mb: int = 1024
    max_file_mb: int = 100
    docx_max_mb: int = 256
    docx_max_elements: int = 2_000_000
    max_text_mb: int = 1024
    piece_mb: int = 16
    follow_links: bool = False
    tracking: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.time_limit, int | float) or self.time_limit < 0:
            raise OptionError(f"--time-limit must be 0 (none) or more, not {self.time_limit!r}")
        for name in (
            "memory_limit_mb",
            "max_file_mb",
            "docx_max_mb",
            "docx_max_elements",
            "max_text_mb",
            "piece_mb",
        ):
            value = getattr(self, name)
            if not _is_int(value) or value < 0:
                flag = "--" + name.replace("_", "-").replace("-mb", "-mb")
                raise OptionError(f"{flag} must be 0 (none) or more, not {value!r}")
        if self.jobs is not None and (not _is_int(self.jobs) or self.jobs < 1):
            raise OptionError(f"--jobs must be 1 or more, not {self.jobs!r}")
        if self.engine not in ENGINES:
            raise OptionError(f"unknown engine {self.engine!r}; choose one of {ENGINES}")
        if self.engine == "dask" and not self.scheduler:
            raise OptionError("--engine dask needs --scheduler tcp://HOST:PORT")
        if self.engine != "dask" and (self.scheduler or self.dask_input is not None):
            raise OptionError("--scheduler and --dask-input go with --engine dask")
        if self.dask_input is not None and self.dask_input not in DASK_INPUTS:
            raise OptionError(f"dask_input must be one of {DASK_INPUTS}, not {self.dask_input!r}")
        if self.tokenizer not in BACKENDS:
            raise OptionError(f"unknown tokenizer {self.tokenizer!r}; choose one of {BACKENDS}")
        if not _is_int(self.top_keywords) or self.top_keywords < 1:
            raise OptionError(f"--top-keywords must be 1 or more, not {self.top_keywords!r}")
        if self.keyword_method not in METHODS:
            raise OptionError(
                f"unknown keyword method {self.keyword_method!r}; choose one of {METHODS}"
            )
        if self.outcomes is not None and not Path(self.outcomes).is_file():
            raise OptionError(f"--outcomes {self.outcomes}: no such file")
        if self.outcomes is not None and not self.tracking:
            raise OptionError(
                "--outcomes settles the panel's targets, which --no-tracking does not build: "
                "give one of them"
            )
        if self.append and self.overwrite:
            raise AppendError(
                "--append adds to the tables in the folder and --overwrite replaces them: give one"
            )
        if self.append and self.refit_topics:
            raise AppendError(
                "--append keeps the topics of the tables it adds to; it cannot be combined with "
                "--refit-topics (run the whole collection again with --refit-topics instead)"
            )

    @classmethod
    def of(cls, config: RunConfig | None = None, **options: object) -> RunConfig:
        """``config``, or one made of ``options`` (the keyword options of ``run`` and
        ``write_tables``); options that differ from their defaults cannot go with ``config``."""
        if config is None:
            return cls(**options)  # type: ignore[arg-type]
        defaults = {f.name: f.default for f in fields(cls)}
        given = sorted(name for name, value in options.items() if value != defaults[name])
        if given:
            raise OptionError(
                f"give the options in config= or as keywords, not both ({', '.join(given)})"
            )
        return config

    @property
    def limits(self) -> Limits:
        """The caps on one input file."""
        return Limits(
            self.max_file_mb,
            self.docx_max_mb,
            self.docx_max_elements,
            max_text_mb=self.max_text_mb,
            piece_mb=self.piece_mb,
        )

    @property
    def task_input(self) -> str | None:
        """What a task carries for a worker to read: ``"bytes"``, ``"paths"`` (absolute) or
        None (the path as given: local workers see the files)."""
        if self.engine != "dask":
            return None
        return self.dask_input or "bytes"

    @property
    def local_jobs(self) -> int:
        """Processes on this machine: ``jobs`` (all cores by default), 1 on a Dask cluster."""
        if self.engine != "local":
            return 1
        return default_jobs() if self.jobs is None else self.jobs


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
