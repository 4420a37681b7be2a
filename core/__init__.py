"""Content Audit core: configuration, the data model, the run store and the pipeline."""

__version__ = "0.1.0"
