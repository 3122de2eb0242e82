"""What a refused step of a workflow is, whatever the record: a report's signature, a concern's step, a key's
revocation."""

from django.core.exceptions import ValidationError


class WrongState(ValidationError):
    """The step does not follow from the record's state: a conflict (409 in the API), not bad input."""
