"""``packbuilder review FROM TO``: the DfE six-month review pack, written from history alone.

A stage after history: the command layer (packbuilder/commands/review.py) reads the recorded
months from history and passes them down as plain values (``ReviewSpan``); nothing here opens
the history database or reads a return again. ``span`` works out what the review shows,
``evidence`` copies the office's evidence bank, ``pack`` writes the Word pack and the evidence
workbook, and ``write`` stages the whole folder and moves it into place with its manifest.
"""

from packbuilder.review.span import RecordedMonth, ReviewSpan
from packbuilder.review.write import ReviewOutputs, write_review

__all__ = ["RecordedMonth", "ReviewOutputs", "ReviewSpan", "write_review"]
