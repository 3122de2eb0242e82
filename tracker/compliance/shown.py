"""A finding as a person reads it, in the active language: its kind, grade and state by their labels, its
category and treaty by their names. The codes stay what the API, the files and the register carry."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker.compliance.breach import GRADE_LABELS, KIND_LABELS, STATE_LABELS
from tracker.models import AppliesTo, Counting, EquipmentCategory, Treaty
from zones import names

# Who a ceiling limits when it names no one party, and what it counts, in a table's few words.
HOLDERS = {
    AppliesTo.ALL.value: gettext_lazy("all parties"),
    AppliesTo.EACH.value: gettext_lazy("each party"),
    AppliesTo.GROUP.value: gettext_lazy("the group"),
}
COUNTING = {Counting.ALL.value: gettext_lazy("all holdings"), Counting.ACTIVE.value: gettext_lazy("active units")}


def names_in_language(model: type[models.Model], key: str) -> dict[str, str]:
    """``model``'s names in the active language by ``key``, for the records named in it: none in English, where
    a finding, the API and the files name a category by its code, a zone or treaty by its English name."""
    field = names.name_field()
    if field is None:
        return {}
    return dict(model.objects.exclude(**{field: ""}).values_list(key, field))


class Labels:
    """The labels and names of one page or report, each category and treaty read once."""

    def __init__(self):
        self.categories = names_in_language(EquipmentCategory, "code")
        self.treaties = names_in_language(Treaty, "name")

    def kind(self, code: str) -> str:
        return str(KIND_LABELS.get(code, code))

    def grade(self, code: str) -> str:
        return str(GRADE_LABELS.get(code, code))

    def state(self, code: str) -> str:
        return str(STATE_LABELS.get(code, code))

    def category(self, code: str | None) -> str:
        return self.categories.get(code, code or "")

    def treaty(self, name: str | None) -> str:
        """A treaty's name in the active language; a citation of a clause (not a treaty's name) as it is."""
        return self.treaties.get(name, name or "")

    def party(self, code: str | None) -> str:
        return code or _("all parties")

    def holder(self, applies_to: str, party: str | None) -> str:
        """A ceiling's holder: its party's code, or who it limits together."""
        return party or str(HOLDERS.get(applies_to, applies_to))

    def counting(self, code: str) -> str:
        return str(COUNTING.get(code, code))

    def for_script(self) -> dict:
        """What a page's script needs to show findings: every label and name, by code."""
        return {
            "kinds": {code: str(label) for code, label in KIND_LABELS.items()},
            "grades": {code: str(label) for code, label in GRADE_LABELS.items()},
            "states": {code: str(label) for code, label in STATE_LABELS.items()},
            "categories": self.categories,
            "treaties": self.treaties,
        }
