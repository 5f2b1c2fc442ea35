"""The package's version, in one place (the package face, the report and the Dask check read it)."""

__version__ = "0.1.0"
