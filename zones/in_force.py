"""In force on a day: a first and a last day, both inclusive, either open when empty.

The one statement of the rule, for zone versions, treaties and ceilings alike: as an ORM ``Q``,
as a SQL condition for raw queries, and as a test of a record already in memory.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class InForce:
    """The names of a record's first and last days in force."""

    start: str = "valid_from"
    end: str = "valid_to"

    def q(self, day: datetime.date, through: str = "") -> Q:
        """In force on ``day``; ``through`` a relation prefix (``"treaty__"``) to ask it of a related record."""
        start, end = f"{through}{self.start}", f"{through}{self.end}"
        return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": day})) & (
            Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day})
        )

    def sql(self, alias: str, day: str = "%(day)s") -> str:
        """The same as a SQL condition on table ``alias``; ``day`` a SQL expression (a parameter or a column)."""
        start, end = f"{alias}.{self.start}", f"{alias}.{self.end}"
        return f"({start} IS NULL OR {start} <= {day}) AND ({end} IS NULL OR {end} >= {day})"

    def in_order(self, name: str) -> models.CheckConstraint:
        """The database's refusal of a last day before the first."""
        return models.CheckConstraint(
            name=name,
            condition=Q(**{f"{self.start}__isnull": True})
            | Q(**{f"{self.end}__isnull": True})
            | Q(**{f"{self.start}__lte": models.F(self.end)}),
            violation_error_message=f"{self.end} must not be before {self.start}",
        )

    def holds(self, record: object, day: datetime.date) -> bool:
        """The same of a record already loaded."""
        start, end = getattr(record, self.start), getattr(record, self.end)
        return (start is None or start <= day) and (end is None or day <= end)


VALID = InForce("valid_from", "valid_to")


class InForceQuerySet(models.QuerySet):
    """Rows dated by ``dates``."""

    dates = VALID

    def in_force(self, day: datetime.date) -> models.QuerySet:
        return self.filter(self.dates.q(day))
