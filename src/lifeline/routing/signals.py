"""What routing tells whoever listens, without knowing who: the risk watch (intel's) hears
which cells a drawn zone raised, in the transaction that draws it."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `cells`: the set of H3 cells whose risk a new threat zone raised.
risk_raised = Signal()
