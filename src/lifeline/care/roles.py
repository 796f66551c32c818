"""What each role may do in care; `CareConfig.ready` grants it (see `core.roles`). Medical
records are for the medics and the commander alone: both admit, triage and record, prescribe,
give doses (which issue stock) and share scarce medicine."""

from __future__ import annotations

from lifeline.core.roles import Role

_CARE = frozenset(
    {
        "care.view_medical",
        "care.record_care",
        "care.prescribe_treatment",
        "care.allocate_medicine",
    }
)

ROLE_GRANTS: dict[Role, frozenset[str]] = {Role.COMMANDER: _CARE, Role.MEDIC: _CARE}
