"""session_analytics: landing-file generator and command-line tools for the warehouse."""

__version__ = "0.1.0"
