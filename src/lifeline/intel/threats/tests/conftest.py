"""The mission fixtures of the missions tests, for the threat tests that file reports."""

from lifeline.missions.tests.conftest import mission, rafiq, vehicle

__all__ = ["mission", "rafiq", "vehicle"]
