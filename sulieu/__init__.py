"""Sử liệu: self-hosted platform for Vietnamese local-history work."""

__version__ = "0.1.0"
