"""session_analytics: landing-file generator and command-line tools."""

__version__ = "0.1.0"
