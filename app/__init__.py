"""Registration hook preview: Okta's registration inline hook Preview tab, on the desktop."""

__version__ = "0.1.0"
