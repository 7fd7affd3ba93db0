"""Panels of the window, one visible part each."""
