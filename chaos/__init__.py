"""Fault injection: ``python -m chaos`` (``make chaos``); see :mod:`chaos.run` for what is measured."""
