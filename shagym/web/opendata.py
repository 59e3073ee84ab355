"""Open data (issue 12): aggregate figures of the complaints by month, region, body and public service, for anyone,
without personal data and with small counts suppressed; downloadable as CSV and JSON (shagym.reports.opendata)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shagym.directory.models import Territory
from shagym.reports import exports, opendata, queries

PUBLIC_CACHE = "public, max-age=300"


class PeriodForm(forms.Form):
    year = forms.ChoiceField(label=_("Year"), required=False)
    region = forms.ModelChoiceField(label=_("Region (for its bodies)"), queryset=Territory.objects.none(),
                                    required=False, empty_label=_("choose a region"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        this_year = queries.today().year
        years = [(str(y), str(y)) for y in range(this_year, 2019, -1)]
        self.fields["year"].choices = [("", _("the last twelve months")), *years]  # type: ignore[attr-defined]
        region = self.fields["region"]
        region.queryset = Territory.objects.filter(parent__isnull=True).order_by("kato")  # type: ignore[attr-defined]
        region.label_from_instance = lambda territory: territory.name  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _("Choose one of the options in the list.")


def _period(request: HttpRequest) -> queries.ReportFilter:
    try:
        return opendata.period(year=request.GET.get("year"), start=request.GET.get("from"), end=request.GET.get("to"))
    except opendata.BadPeriod:
        return queries.ReportFilter.last_twelve_months(queries.today())


def open_data(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    data = opendata.dataset(_period(request) if valid else queries.ReportFilter.last_twelve_months(queries.today()))
    region = form.cleaned_data.get("region") if form.is_bound and valid else None
    bodies = [row for row in data.tables["body"] if region is not None and row["region"] == region.name]
    query = request.GET.urlencode()
    response = render(request, "web/open_data.html", {
        "form": form, "data": data, "columns": opendata.COLUMNS, "threshold": opendata.threshold(),
        "bodies": bodies, "region": region, "query": query, "dimensions": opendata.DIMENSIONS,
        "labels": opendata.DIMENSION_LABELS, "licence": settings.SHAGYM_OPEN_DATA_LICENCE,
        "licence_url": settings.SHAGYM_OPEN_DATA_LICENCE_URL,
    }, status=200 if valid else 400)
    if valid:
        response["Cache-Control"] = PUBLIC_CACHE
    return response


def open_data_file(request: HttpRequest, name: str, fmt: str) -> HttpResponseBase:
    if fmt == "json" and name == "data":
        data = opendata.dataset(_period(request))
        response: HttpResponseBase = JsonResponse(opendata.as_json(data), json_dumps_params={"ensure_ascii": False})
        response["Content-Disposition"] = f'attachment; filename="shagym-open-data-{data.filters.start:%Y%m}-{data.filters.end:%Y%m}.json"'
    elif fmt == "csv" and name in opendata.DIMENSIONS:
        data = opendata.dataset(_period(request), dimensions=(name,))
        filename = f"shagym-open-data-{name}-{data.filters.start:%Y%m}-{data.filters.end:%Y%m}.csv"
        response = exports.csv_response(filename, data.header(name), opendata.csv_rows(data, name))
    else:
        raise Http404(gettext("No such file."))
    response["Cache-Control"] = PUBLIC_CACHE
    return response
