"""Programme dashboards. Views read rollup tables only, through reports.selectors and the dashboards' panels
(reports.overview, reports.tables; see reports.panels), and only assemble them."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from opop.exports import FORMATS, export_response
from reports import cached, overview, panels, selectors, tables
from reports.forms import DashboardFilterForm


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# The cached HTML of a page's tables is rendered with this in place of the page's query string (the
# export links keep the request's own filters); each request puts its own query back.
QUERY_MARK = "opop-report-query-2b7e"


def _cached(request, page: str, parts: tuple, dashboard: list[panels.Panel], context: panels.Context, *, names=False):
    """The dashboard's panels built (reports.panels) and rendered, cached per rollup generation
    (reports.cached). Returns (shown panels, html, generation) with the request's query string in the
    export links."""

    def compute():
        shown = panels.show(dashboard, context)
        html = render_to_string(
            "reports/_panels.html", {"panels": shown, "filters": context.filters, "query": QUERY_MARK}, request=None
        )
        return shown, html

    current = cached.generation()
    shown, html = cached.get_or_build(page, parts, compute, names=names, current=current)
    query = _query_without(request, "export", "table")
    html = html.replace(f"{QUERY_MARK}&amp;", f"{conditional_escape(query)}&amp;" if query else "")
    html = mark_safe(html)  # noqa: S308 - rendered by the template engine; the query is escaped
    return shown, html, current


def _form_fields_html(form, scope) -> str:
    """The filter form's fields. A valid (or empty) form is cached: its values are among the choices,
    which depend only on the scope, the fields shown and this year, so the keys stay few. A form with
    an invalid value is rendered as it is."""

    def build():
        return render_to_string("reports/_filter_fields.html", {"form": form})

    if form.is_bound and not form.is_valid():
        return build()
    values = tuple((name, form.data.get(name, "") if form.is_bound else "") for name in form.fields)
    parts = (scope.region, form.fields["year"].choices[1][0], form.is_bound, values)
    return mark_safe(cached.get_static("filters", parts, build))  # noqa: S308 - rendered by the template engine


def _render(request, template: str, context: dict, report_tables: list, *, scope=None, current=None):
    """Render the page, or one of its tables as CSV/XLSX when ?export=csv|xlsx&table=<slug> (audited)."""
    export = request.GET.get("export")
    if export in FORMATS:
        for table in report_tables:
            if table.slug == request.GET.get("table"):
                return export_response(
                    tables=table,
                    file_format=export,
                    actor=request.user,
                    dataset=f"reports.{request.resolver_match.url_name}.{table.slug}",
                    region=scope.region if scope is not None else None,
                    filters=_export_filters(request),
                )
        raise Http404
    if "form" in context:
        context["form_fields_html"] = _form_fields_html(context["form"], scope)
    context |= {
        "report_tables": report_tables,
        "query": _query_without(request, "export", "table"),
        # The generation's query answers it; without a cache, the (cached) selector does.
        "data_as_of": current.data_as_of if current is not None else selectors.data_as_of(),
    }
    return render(request, template, context)


def _export_filters(request) -> dict:
    return {key: value for key, value in request.GET.items() if key not in {"export", "table"}}


def _staff_filters(request, *, with_region=True):
    scope = selectors.dashboard_scope(request.user)
    regions = list(selectors.regions_for(scope))
    form = DashboardFilterForm(
        request.GET or None, regions=regions, today=timezone.localdate(), with_region=with_region
    )
    filters = form.filters() if request.GET else selectors.Filters()
    return scope, regions, form, filters


@login_required
def dashboard(request):
    scope, _regions, form, filters = _staff_filters(request)
    context = panels.Context(scope, filters)
    shown, html, current = _cached(request, "overview", (scope, filters), overview.OVERVIEW, context)
    page = {"form": form, "totals": panels.figures_of(shown, "totals"), "panels_html": html}
    return _render(request, "reports/dashboard.html", page, panels.tables_of(shown), scope=scope, current=current)


@login_required
def regions(request):
    scope, _regions, form, filters = _staff_filters(request, with_region=False)
    year = filters.year or timezone.localdate().year
    sort = request.GET.get("sort", "region")
    descending = request.GET.get("dir") == "desc"
    # An unknown sort (anything in the URL) sorts by region: key it so, or each would be an entry.
    sort_key = sort if sort in {column.key for column in tables.REGION_COLUMNS} else "region"
    current = cached.generation()
    table = cached.get_or_build(
        "regions",
        (scope, filters, year, sort_key, descending),
        lambda: tables.regions(scope, filters, year=year, sort=sort, descending=descending).translated(),
        current=current,
    )
    figure = request.GET.get("figure", "omzet")
    context = {
        "form": form,
        "year": year,
        "sort": sort,
        "descending": descending,
        "figure": figure,
        "figures": [(column.key, column.label) for column in table.columns if column.key in tables.CARTOGRAM_FIGURES],
        "cartogram": tables.regions_cartogram(table, figure),
        "sort_query": _query_without(request, "sort", "dir", "export", "table"),
    }
    return _render(request, "reports/regions.html", context, [table], scope=scope, current=current)


@login_required
def region(request, kode: str):
    scope, regions, form, filters = _staff_filters(request, with_region=False)
    region_ = next((item for item in regions if item.kode == kode), None)
    if region_ is None:
        raise Http404
    context = panels.Context(scope, filters, kode=kode)
    shown, html, current = _cached(request, "region", (scope, kode, filters), tables.REGION_DETAIL, context, names=True)
    page = {"form": form, "region": region_, "panels_html": html}
    return _render(request, "reports/region_detail.html", page, panels.tables_of(shown), scope=scope, current=current)


@login_required
def cohorts(request):
    scope, _regions, form, filters = _staff_filters(request)
    shown, html, current = _cached(request, "cohorts", (scope, filters), tables.COHORTS, panels.Context(scope, filters))
    page = {"form": form, "panels_html": html}
    return _render(request, "reports/cohorts.html", page, panels.tables_of(shown), scope=scope, current=current)


def public(request):
    """Transparency page for everyone: province-level aggregates per year, nothing per pesantren or region."""
    context = panels.Context(None, selectors.Filters())
    shown, html, current = _cached(request, "public", (), tables.PUBLIC, context)
    page = {"panels_html": html}
    return _render(request, "reports/public.html", page, panels.tables_of(shown), current=current)
