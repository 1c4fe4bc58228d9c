"""Template filters every page uses; loaded as a builtin, so no `{% load %}` is needed."""

from django import template
from django.template import Variable, defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from opop.formatting import format_date, format_rupiah, normalise_phone
from opop.forms import form_fields_html
from opop.web import kept_reverse, rendered_rows

register = template.Library()


def _written(expression) -> bool:
    """A template value written in the template itself ('home', 3), with no filter: the same on every render."""
    var = expression.var
    return not expression.filters and (isinstance(var, str) or (isinstance(var, Variable) and var.literal is not None))


class KeptURLNode(defaulttags.URLNode):
    """{% url %} whose view name and arguments are all written in the template: reversed once per process
    (opop.web.kept_reverse), not on every render. The menus, headers and footers of every page are made of these."""

    def render(self, context):
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        view_name = self.view_name.resolve(context)
        args = tuple(arg.resolve(context) for arg in self.args)
        url = kept_reverse(view_name, args, current_app)
        if url is None:
            if self.asvar is None:
                raise NoReverseMatch(f"Reverse for '{view_name}' with arguments '{args}' not found.")
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's {% url %} (this builtin library replaces it in every template), kept per process when nothing in it
    varies by render; a URL of a row's value or with keyword arguments is reversed by Django's node, as before."""
    node = defaulttags.url(parser, token)
    if node.kwargs or not all(_written(e) for e in (node.view_name, *node.args)):
        return node
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)


@register.filter
def rupiah(value):
    """`{{ 15000|rupiah }}` → `Rp15.000`."""
    try:
        return format_rupiah(value)
    except (TypeError, ValueError):
        return ""


@register.filter
def tanggal(value):
    """`{{ order.created_at|tanggal }}` → `22 Nov 2026` (WIB)."""
    return format_date(value, get_language() or "id")


@register.filter
def phone(value):
    """Show a stored phone number as +62…; leaves what cannot be read as it is."""
    try:
        return normalise_phone(value)
    except ValueError:
        return value


@register.filter
def public_name(user):
    """`{{ review.buyer|public_name }}` → `Siti R.`: how a person appears on public pages. Never the e-mail."""
    return getattr(user, "public_name", "") if user is not None else ""


@register.filter
def person_name(user):
    """`{{ event.actor|person_name }}` → `Siti Rahmawati`: seller and staff pages. Never the e-mail."""
    return getattr(user, "person_name", "") if user is not None else ""


@register.filter
def masked_date(value):
    """A birth date shown only by its year: `••/••/2008`."""
    return f"••/••/{value.year}" if value else ""


@register.filter
def opening_hours(value):
    """`{{ outlet.opening_hours|opening_hours }}`: day names in the active language (Sabtu → Saturday)."""
    from opop.formatting import format_opening_hours

    return format_opening_hours(value)


# Query parameters that say "the filter panel was used" without being a field of the filter form.
FILTER_PANEL_FLAG = "filter"


def filter_panel_is_open(query, form, *, ignore=()) -> bool:
    """Whether a filter panel renders open: `?filter=1` in the URL, or any of the form's fields has a value there.

    `ignore` names fields that do not count (the shop's search words: a search alone keeps the panel shut).
    """
    if query.get(FILTER_PANEL_FLAG) == "1":
        return True
    names = {bound.html_name for bound in form} - set(ignore) if form is not None else set()
    return any(value.strip() for name in names for value in query.getlist(name))


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@register.inclusion_tag("components/filter_panel.html", takes_context=True)
def filter_panel(
    context, form, *, keep="", ignore="", action="", clear_url="", submit_label="", fields_html="", label="", query=None
):
    """`{% filter_panel filter.form keep="tab" %}`: the one collapsible filter panel of every list.

    Closed on phones and opened on wider screens by static/js/forms.js; open when the URL carries
    `filter=1` (the panel's own submit sends it) or any active filter, so the state lives in the URL.
    `keep` names query parameters (comma-separated) carried over as hidden fields; `fields_html`
    replaces the field loop with already-rendered fields (the reports cache theirs); `query` stands
    in for the request's query string where a fragment is rendered without the request.
    """
    if query is None:
        request = context.get("request")
        query = request.GET if request is not None else {}
    hidden = [
        (name, value)
        for name in _names(keep)
        for value in (query.getlist(name) if hasattr(query, "getlist") else [])
        if value
    ]
    return {
        "form": form,
        "open": filter_panel_is_open(query, form, ignore=_names(ignore)) if hasattr(query, "getlist") else False,
        "hidden": hidden,
        "action": action,
        "clear_url": clear_url,
        "submit_label": submit_label,
        "fields_html": fields_html or (form_fields_html(form) if form is not None else ""),
        "label": label,
        "flag": FILTER_PANEL_FLAG,
    }


@register.filter
def fields_html(form) -> str:
    """The form's fields as form_fields_html renders them (kept rendered in this process where that is safe):
    `{{ form|fields_html }}` in a form whose fields are the usual label, widget, help and errors."""
    return mark_safe(form_fields_html(form))  # noqa: S308 - rendered by our templates, escaped there


# What only names a page, never a filter: dropped from the query string the pagination links keep.
PAGE_PARAMETERS = ("page", "after")


@register.simple_tag(takes_context=True)
def page_querystring(context, number) -> str:
    """`?<the list's filters>&page=<number>` for components/pagination.html: every list's page links keep the
    current query string (its filters, sort, tab) except the page itself. A fragment rendered without a request
    (a cached catalogue shelf) passes its own `querystring` instead."""
    request = getattr(context, "request", None)  # also under {% include … only %}
    if request is not None:
        params = request.GET.copy()
        for name in PAGE_PARAMETERS:
            params.pop(name, None)
        kept = params.urlencode()
    else:
        kept = context.get("querystring") or ""
    return f"?{kept}&page={number}" if kept else f"?page={number}"


@register.simple_tag(takes_context=True)
def language_switcher(context):
    """components/language_switcher.html, rendered once per request however often the page shows it (the header
    menu and the footer): the same form, the same CSRF token, the same way back to this page."""
    request = context.get("request")
    kept = request.__dict__.setdefault("_language_switcher", {}) if request is not None else {}
    key = get_language()
    if key not in kept:
        kept[key] = context.template.engine.get_template("components/language_switcher.html").render(context)
    return kept[key]


@register.simple_tag(takes_context=True)
def nav_menu(context):
    """The menu's entries (the navigation context processor's `nav_items`), each kept rendered per process under
    its label, link and state (opop.web.rendered_rows): a signed-in page's menu of 15-20 links costs no template
    work once its entries have been seen."""
    return rendered_rows("components/_nav_item.html", context.get("nav_items") or ())
