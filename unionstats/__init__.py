"""unionstats: read union activity workbooks, check them and count them exactly."""

__version__ = "0.1.0"
