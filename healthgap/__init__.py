"""Gezondheidskloof: health inequalities per municipality in the Netherlands and Belgium."""

__version__ = "0.1.0"
