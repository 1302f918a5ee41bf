"""eventcoder: news reports about armed conflict -> ACLED-compatible events with evidence.

The Python API is two functions (``eventcoder.coder``):

    import eventcoder
    events = eventcoder.extract(text, published="2024-05-07")      # one report -> list[Event]
    for event in eventcoder.extract_many(articles): ...             # many, through nlp.pipe

Importing the package loads nothing heavy: the language model and the gazetteer load on the first
call.
"""
from . import extract as _stages  # noqa: F401  (the stages' package is bound first: the function below keeps the name)
from .version import __version__

__all__ = ["__version__", "extract", "extract_many"]


def extract(text, published=None, **fields):
    """Code one report; see ``eventcoder.coder.extract``."""
    from .coder import extract as code_text

    return code_text(text, published, **fields)


def extract_many(articles, batch_size: int = 64):
    """Code a stream of articles; see ``eventcoder.coder.extract_many``."""
    from .coder import extract_many as code_stream

    return code_stream(articles, batch_size=batch_size)
