from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from shagym.directory.calendar import deadline_for
from shagym.documents import verification

from .forms import DeadlineForm, VerifyForm


def healthz(request: HttpRequest) -> HttpResponse:
    """"ok", through the whole middleware stack and nothing else: for load balancers, and the framework's ceiling in
    bench/web.py."""
    return HttpResponse("ok", content_type="text/plain")


def deadline_calculator(request: HttpRequest) -> HttpResponse:
    """Public calculator: choose the addressee and the day of receipt, see the due date and every day skipped."""
    form = DeadlineForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        result = deadline_for(
            received=form.cleaned_data["received"],
            working_days=form.working_days(),
            extension_days=form.cleaned_data.get("extension_days") or 0,
        )
    return render(request, "web/deadline.html", {"form": form, "result": result})


def verify(request: HttpRequest) -> HttpResponse:
    """RULES §23: anyone holding a document checks it: by its number (who issued and signed it, when) or by the file
    (is it the original, unchanged)."""
    form = VerifyForm(request.POST or None, request.FILES or None) if request.method == "POST" else VerifyForm(
        request.GET or None)
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload is not None:
            data = b"".join(upload.chunks())
            found = verification.check_file(data)
            return render(request, "web/verify_result.html", {"check": found, "document": found.document},
                          status=200)
        number = verification.normalise_number(form.cleaned_data["number"])
        if verification.by_number(number) is not None:
            return redirect("verify-document", number=number)
        form.add_error("number", gettext("There is no document with this number. Check the number as printed at "
                                         "the foot of the document."))
    return render(request, "web/verify.html", {"form": form}, status=400 if form.errors else 200)


def verify_document(request: HttpRequest, number: str) -> HttpResponse:
    """A document by its number: the page its QR code opens."""
    document = verification.by_number(number)
    if document is None:
        raise Http404
    return render(request, "web/verify_result.html", {"document": document, "check": None})
