"""The demo that `make run` loads: the three sites and the people of the stories in
`shared/seeds/`, the demo accounts (one per role) and a generated camp population.

Not a Django app: plain modules that write only through the services, so the demo has the
same change-log and audit rows as real use. Everything is deterministic except passwords and
row ids.
"""
