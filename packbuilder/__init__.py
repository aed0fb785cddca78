"""packbuilder: an improvement plan's monthly returns, checks, tracker and Word packs."""

__version__ = "0.1.0"
