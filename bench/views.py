"""The minimal Django page every benchmarked page is compared with, in the style of TechEmpower's "fortunes":
one query, one small template, the project's full middleware stack."""

from django.shortcuts import render

from opop.models import KabupatenKota


def fortunes(request):
    rows = list(KabupatenKota.objects.values_list("kode", "nama"))
    rows.append(("00.00", "Additional fortune added at request time."))
    rows.sort(key=lambda row: row[1])
    return render(request, "bench/fortunes.html", {"rows": rows})
