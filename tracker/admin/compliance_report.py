"""The compliance report in the admin: an HTML preview of the period and party picked, and the same as a
print-ready PDF to download (``tracker.compliance_report``)."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker import compliance_report
from tracker.models import StateParty
from tracker.roles import may_read_compliance_report


class ReportForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"))
    end = forms.DateField(label=gettext_lazy("To"))
    party = forms.ModelChoiceField(
        StateParty.objects.all(),
        label=gettext_lazy("Party"),
        required=False,
        to_field_name="code",
        empty_label=gettext_lazy("all parties"),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError(
                _("the period starts (%(start)s) after it ends (%(end)s)") % {"start": start, "end": end}
            )
        return cleaned


def this_year() -> dict[str, str]:
    today = timezone.localdate()
    return {"start": datetime.date(today.year, 1, 1).isoformat(), "end": today.isoformat()}


def compliance_report_view(request, admin_site):
    """The report for the period asked (this year so far by default): previewed, or as a PDF with ``format=pdf``."""
    if not may_read_compliance_report(request.user):
        raise PermissionDenied
    form = ReportForm(request.GET if "start" in request.GET else this_year())
    report = None
    if form.is_valid():
        start, end, party = (form.cleaned_data[name] for name in ("start", "end", "party"))
        report = compliance_report.gather(start, end, party, request.user)
        if request.GET.get("format") == "pdf":
            name = f"compliance-report-{start}-{end}{f'-{party.code}' if party else ''}.pdf"
            response = HttpResponse(compliance_report.to_pdf(report), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    context = {
        **admin_site.each_context(request),
        "title": _("Compliance report"),
        "form": form,
        **(compliance_report.template_context(report) if report else {}),
    }
    return TemplateResponse(request, "admin/compliance_report.html", context)
