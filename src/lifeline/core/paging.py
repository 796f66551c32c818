"""Pages of long lists that stay fast on a camp of a hundred thousand records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

PAGE_SIZE = 50

# Paginator is generic only in the type stubs; at run time it takes no subscript.
if TYPE_CHECKING:
    _Paginator = Paginator[Any]
else:
    _Paginator = Paginator


class CappedPaginator(_Paginator):
    """Counts at most `cap` matching rows. An exact total of a big unfiltered list costs a scan
    of the whole table on every page view, and nobody pages past the first few hundred rows:
    they search or filter instead."""

    cap = 10_000

    def __init__(self, rows: QuerySet[Any], per_page: int = PAGE_SIZE) -> None:
        super().__init__(rows, per_page)
        self.rows = rows

    @cached_property
    def count(self) -> int:
        return self.rows[: self.cap + 1].count()

    @property
    def count_capped(self) -> bool:
        return self.count > self.cap
