"""Kept for code written before `brainbone.layout`: finding the book root now lives there."""

from __future__ import annotations

from brainbone.layout import find_book_root, is_book_root

__all__ = ["find_book_root", "is_book_root"]
