from django import template

from tracker.roles import may_read_compliance_report, may_read_quota_ledger

register = template.Library()


@register.filter
def reads_quota_ledger(user) -> bool:
    """Whether the admin's index links the quota ledger for ``user``."""
    return may_read_quota_ledger(user)


@register.filter
def reads_compliance_report(user) -> bool:
    """Whether the admin's index links the compliance report for ``user``."""
    return may_read_compliance_report(user)
