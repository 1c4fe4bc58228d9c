"""The sales report (with CSV export) and the bulk price/stock update."""

import csv
from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.seller import bulk
from marketplace.seller.access import seller_view
from marketplace.seller.forms import BulkUploadForm, ReportForm
from marketplace.seller.sales import sales_report
from opop.services import DomainError, export_record

BULK_SESSION = "seller_bulk_rows"


@seller_view
def sales(request, store):
    today = timezone.localdate()
    initial = {"start": today - timedelta(days=29), "end": today, "group": "day"}
    form = ReportForm(request.GET if "start" in request.GET else initial)
    report = None
    if form.is_valid():
        data = form.cleaned_data
        report = sales_report(store=store, start=data["start"], end=data["end"], group=data["group"])
        if request.GET.get("format") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="penjualan-{store.slug}-{data["start"]}-{data["end"]}.csv"'
            )
            response.write("\ufeff")  # a BOM, so that spreadsheet programs read the file as UTF-8
            writer = csv.writer(response)
            writer.writerow(
                [
                    _("Period"),
                    _("Omzet (goods value, without shipping) (Rp)"),
                    _("Shipping costs (Rp)"),
                    _("Orders"),
                    _("Items sold"),
                ]
            )
            for row in report["rows"]:
                writer.writerow([row.start.isoformat(), row.omzet, row.shipping, row.orders, row.items])
            totals = report["totals"]
            writer.writerow([_("Total"), totals["omzet"], totals["shipping"], totals["orders"], totals["items"]])
            export_record(
                actor=request.user,
                dataset="marketplace.sales",
                rows=len(report["rows"]),
                organisation=store.organisation,
                filters={"start": data["start"], "end": data["end"], "group": data["group"]},
            )
            return response
    return render(
        request,
        "marketplace/seller/sales.html",
        {"store": store, "form": form, "report": report, "querystring": request.GET.urlencode()},
    )


@seller_view
def bulk_update(request, store):
    if request.GET.get("template") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="produk-{store.slug}.csv"'
        rows = list(bulk.export_rows(store))
        csv.writer(response).writerows(rows)
        products = max(len(rows) - 1, 0)  # less the header row
        export_record(
            actor=request.user, dataset="marketplace.products", rows=products, organisation=store.organisation
        )
        return response
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    rows = None
    if request.method == "POST" and "apply" in request.POST:
        stored = request.session.pop(BULK_SESSION, None)
        if not stored or stored.get("store") != store.pk:
            messages.error(request, _("Upload the file again."))
            return redirect("marketplace:seller_bulk")
        try:
            changed = bulk.bulk_apply(
                store=store, rows=[bulk.BulkRow(**row) for row in stored["rows"]], actor=request.user
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(n)d product(s) updated.") % {"n": changed})
            return redirect("marketplace:seller_product_list")
    elif request.method == "POST" and form.is_valid():
        try:
            rows = bulk.bulk_parse(store=store, upload=form.cleaned_data["file"])
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            request.session[BULK_SESSION] = {"store": store.pk, "rows": [row.__dict__ for row in rows]}
    return render(
        request,
        "marketplace/seller/bulk.html",
        {
            "store": store,
            "form": form,
            "rows": rows,
            "has_errors": rows is not None and any(row.errors for row in rows),
            "changes": sum(1 for row in rows or [] if row.changes),
        },
    )
