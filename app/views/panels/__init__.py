"""Panels the main window embeds: each is a standalone widget with its own signals."""
