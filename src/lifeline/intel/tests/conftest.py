from lifeline.missions.tests.conftest import mission, rafiq, vehicle

__all__ = ["mission", "rafiq", "vehicle"]
