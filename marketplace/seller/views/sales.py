"""The sales report (with CSV export) and the bulk price/stock update."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.seller import bulk
from marketplace.seller.access import seller_view
from marketplace.seller.forms import BulkUploadForm, ReportForm
from marketplace.seller.sales import sales_report
from opop.exports import export_response, rows_table
from opop.models import ImportPreview
from opop.services import DomainError

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
            totals = report["totals"]
            rows = [[row.start.isoformat(), row.omzet, row.shipping, row.orders, row.items] for row in report["rows"]]
            rows.append([_("Total"), totals["omzet"], totals["shipping"], totals["orders"], totals["items"]])
            return export_response(
                tables=rows_table(
                    slug="sales",
                    labels=[
                        _("Period"),
                        _("Omzet (goods value, without shipping) (Rp)"),
                        _("Shipping costs (Rp)"),
                        _("Orders"),
                        _("Items sold"),
                    ],
                    rows=rows,
                ),
                file_format="csv",
                actor=request.user,
                dataset="marketplace.sales",
                filename=f"penjualan-{store.slug}-{data['start']}-{data['end']}",
                rows=len(report["rows"]),  # the total line is not a row of the data set
                organisation=store.organisation,
                filters={"start": data["start"], "end": data["end"], "group": data["group"]},
            )
    return render(
        request,
        "marketplace/seller/sales.html",
        {"store": store, "form": form, "report": report, "querystring": request.GET.urlencode()},
    )


@seller_view
def bulk_update(request, store):
    if request.GET.get("template") == "csv":
        header, *products = bulk.export_rows(store)
        return export_response(
            tables=rows_table(slug="products", labels=header, rows=products),
            file_format="csv",
            actor=request.user,
            dataset="marketplace.products",
            filename=f"produk-{store.slug}",
            organisation=store.organisation,
        )
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    rows = None
    if request.method == "POST" and "apply" in request.POST:
        stored = request.session.pop(BULK_SESSION, None)
        if not stored or stored.get("store") != store.pk:
            messages.error(request, _("Upload the file again."))
            return redirect("marketplace:seller_bulk")
        try:
            changed = bulk.bulk_confirm(store=store, pk=stored["preview"], actor=request.user)
        except ImportPreview.DoesNotExist:
            messages.error(request, _("Upload the file again."))
            return redirect("marketplace:seller_bulk")
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(n)d product(s) updated.") % {"n": changed})
            return redirect("marketplace:seller_product_list")
    elif request.method == "POST" and form.is_valid():
        try:
            preview, rows = bulk.bulk_preview(store=store, upload=form.cleaned_data["file"], actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            # the rows are on the server (opop.imports); the session only remembers which upload the page shows
            request.session[BULK_SESSION] = {"store": store.pk, "preview": preview.pk}
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
