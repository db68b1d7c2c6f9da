"""Outreach: plan, run and measure a chamber of entrepreneurs' village-by-village outreach."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("outreach")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
