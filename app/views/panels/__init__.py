"""Panels the main window embeds, one visible part each, with their own signals."""
