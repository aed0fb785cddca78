"""Counts in words, the same everywhere a message counts something: "1 error", "2 errors"."""

from __future__ import annotations


def count(number: int, noun: str, plural: str = "") -> str:
    """NUMBER and NOUN, the noun plural unless NUMBER is 1 (PLURAL where not NOUN + "s")."""
    return f"{number:,} {noun if number == 1 else (plural or noun + 's')}"
