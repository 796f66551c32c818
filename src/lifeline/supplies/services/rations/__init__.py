"""Rations: cycles and distribution points (`cycles`), what a ration card is owed
(`entitlements`) and the issue of a ration (`issue`), whose write is the private hot path
(`_hot_path`). The public names are listed by `lifeline.supplies.services`."""
