"""A gunicorn configuration for the network test (`gunicorn -c python:...`): in the worker,
an apply hook on persons (which runs inside the apply's transaction, before it commits) writes
the file named by LIFELINE_TEST_APPLYING and waits, so that the test's SIGKILL lands in the
middle of an apply, provably."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Set
from pathlib import Path
from typing import Any


def post_worker_init(worker: Any) -> None:
    from lifeline.core.replication import after_apply_register

    flag = Path(os.environ["LIFELINE_TEST_APPLYING"])

    def applying(ids: Set[uuid.UUID]) -> None:
        flag.write_text(f"{len(ids)} persons being applied\n")
        time.sleep(30)  # killed long before

    after_apply_register("people.person", applying)
