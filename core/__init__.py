"""The lowest layer: the data model, configuration, URLs and the run store.

Nothing here imports the crawler, the checks, the reports or the application layer."""

__version__ = "0.1.0"
