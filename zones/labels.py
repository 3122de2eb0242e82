"""A migration operation for labels alone (verbose names, help texts, choices' labels): nothing in the database.

Django re-renders every related model after each altered field; for the few hundred fields whose labels became
translatable that took over a minute of each test run's migrations. Here the state takes every change first
and renders once, when next asked for.
"""

from django.db import migrations


class LabelsOnly(migrations.SeparateDatabaseAndState):
    def __init__(self, state_operations):
        super().__init__(state_operations=state_operations)

    def state_forwards(self, app_label, state):
        state.__dict__.pop("apps", None)  # ProjectState.apps is a cached property: rendered again when next read
        super().state_forwards(app_label, state)
