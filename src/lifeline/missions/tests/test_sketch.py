"""The sketch map of a mission's page: north up, every mark inside the box."""

from __future__ import annotations

from lifeline.missions.sketch import Mark, sketch_of


def test_the_sketch_keeps_north_up_and_everything_inside_the_box() -> None:
    sketch = sketch_of(
        [
            Mark("waypoint", "A", 33.50, 36.20),
            Mark("waypoint", "B", 33.60, 36.30),
            Mark("extraction", "Bravo", 33.55, 36.25),
        ]
    )
    a, b = sketch.marks[0], sketch.marks[1]
    assert b.y < a.y and b.x > a.x
    assert all(0 <= m.x <= sketch.width and 0 <= m.y <= sketch.height for m in sketch.marks)
    assert sketch.route.count(",") == 2 and sketch.scale_m > 0
