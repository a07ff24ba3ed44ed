"""Readable messages for the database's unique constraints.

Django shows a `UniqueConstraint` on fields with its generic "… with this
Clinic and Name already exists" (its `violation_error_message` is ignored
there), and an admin inline's duplicate rows with "Please correct the
duplicate data for …". A model lists the clinic's own words per constraint in
`unique_messages`, keyed by the constraint's fields; the model's validation
and the admin's inline formsets both read them. Check constraints carry their
message themselves (`violation_error_message`).
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError


class ReadableUniqueMessages:
    #: (field, field, …) of a UniqueConstraint -> what a person is told.
    unique_messages: Mapping[tuple[str, ...], str] = {}

    def unique_error_message(self, model_class, unique_check):
        message = self.unique_messages.get(tuple(unique_check))
        if message is None:
            return super().unique_error_message(model_class, unique_check)
        return ValidationError(message, code="unique")
