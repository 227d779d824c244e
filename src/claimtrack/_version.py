"""The package's version: the build reads it from here, the package imports it (no metadata
lookup at start-up)."""

from __future__ import annotations

VERSION = "0.1.0"
