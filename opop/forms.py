"""Forms of the shared kernel: what a person tells about themselves (sign-up, profile)."""

import hashlib
import threading
from collections import OrderedDict

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from opop.formatting import normalise_phone
from opop.models import DeletionRequest, User

# Django's blank choice is "---------" (forms) or "- Select an option -" (model fields, Django 6.1, untranslated
# in Indonesian); the portal says "— Choose —" / "— Pilih —" on every form.
EMPTY_CHOICE_LABEL = _("— Choose —")
DJANGO_BLANK_LABEL = "---------"


def empty_choice_label_install() -> None:
    """Every select of every form shows the translated empty choice: Django's dashes are replaced where the
    option is drawn (ChoiceWidget.create_option), so model fields, ModelChoiceFields and filters all get it
    without each form repeating an empty_label. Called once from OpopConfig.ready()."""
    from django.db.models.fields import BLANK_CHOICE_LABEL
    from django.forms.widgets import ChoiceWidget

    if getattr(ChoiceWidget.create_option, "_opop_empty_label", False):
        return
    original = ChoiceWidget.create_option

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        if value in ("", None) and str(label) in (DJANGO_BLANK_LABEL, str(BLANK_CHOICE_LABEL)):
            label = EMPTY_CHOICE_LABEL
        return original(self, name, value, label, selected, index, subindex=subindex, attrs=attrs)

    create_option._opop_empty_label = True
    ChoiceWidget.create_option = create_option


def model_choices_in_one_query_install() -> None:
    """A ModelChoiceField's options are read with one plain query. Django reads them with queryset.iterator(),
    which on PostgreSQL is a server-side cursor: DECLARE, FETCH and CLOSE, three round trips, on every render of
    the select (the regions filter of the staff list paid 17 ms for them on a loaded machine). The portal's choice
    lists are small (38 regions, the category tree, a store's products); Django's memory saving is for lists a
    select could not show anyway. Called once from OpopConfig.ready()."""
    from django.forms.models import ModelChoiceIterator

    if getattr(ModelChoiceIterator.__iter__, "_opop_one_query", False):
        return

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():  # a fresh clone: one SELECT, no cursor kept between renders
            yield self.choice(obj)

    __iter__._opop_one_query = True
    ModelChoiceIterator.__iter__ = __iter__


# Models whose rows come from migrations and never change while the portal runs (Kemendagri's regions): a
# choice list read from them is the same until the next deploy, so a form of such choices can be kept rendered.
REFERENCE_MODELS = frozenset({"opop.KabupatenKota", "opop.Wilayah"})
_FIELDS_HTML: OrderedDict[str, str] = OrderedDict()
_FIELDS_HTML_LOCK = threading.Lock()  # gunicorn's threads share the process's kept forms
FIELDS_HTML_KEPT = 256


def _fields_signature(form) -> tuple | None:
    """What a form's rendered fields depend on besides its values: each field's label, help text, required flag,
    widget attributes and choices; None when a choice list is read from a model that can change (it would have
    to be read to know, which is what keeping the HTML saves)."""
    parts = []
    for name, field in form.fields.items():
        choices = None
        if isinstance(field, forms.ModelChoiceField):
            if field.queryset.model._meta.label not in REFERENCE_MODELS:
                return None
            choices = str(field.queryset.query)
        elif hasattr(field, "choices"):
            choices = [(str(value), str(label)) for value, label in field.choices]
        elif getattr(field.widget, "choices", None):  # a Select given its own choices (a yes/no filter)
            choices = [(str(value), str(label)) for value, label in field.widget.choices]
        attrs = sorted((key, str(value)) for key, value in field.widget.attrs.items())
        parts.append(
            (
                name,
                str(field.label),
                str(field.help_text),
                field.required,
                field.disabled,
                type(field.widget).__name__,
                attrs,
                choices,
            )
        )
    return tuple(parts)


def form_fields_html(form, *, template_name: str = "components/form_fields.html") -> str:
    """The form's fields rendered (each `as_field_group`), kept in this process for a form whose choices are all
    fixed or reference data and whose values are valid: a filter panel's seven selects cost about 30 ms to render
    on a loaded machine, most of it Django's per-option templates. Keyed by everything the HTML shows (the form's
    class, fields, choices, values or initial values, prefix and the language), so nothing is ever stale; a form
    with errors is rendered as it is."""
    from django.template.loader import render_to_string

    def build():
        return render_to_string(template_name, {"form": form})

    if form.is_bound and not form.is_valid():
        return build()
    signature = _fields_signature(form)
    if signature is None:
        return build()
    values = tuple((name, repr(form[name].value())) for name in form.fields)  # the data, or the initial values
    key = hashlib.sha256(
        repr(
            (
                type(form).__module__,
                type(form).__qualname__,
                get_language(),
                form.is_bound,
                form.prefix,
                form.auto_id,
                values,
                signature,
            )
        ).encode()
    ).hexdigest()
    with _FIELDS_HTML_LOCK:
        html = _FIELDS_HTML.get(key)
        if html is not None:
            _FIELDS_HTML.move_to_end(key)
    if html is None:
        html = build()  # outside the lock: two threads may render the same form once each, never wrongly
        with _FIELDS_HTML_LOCK:
            _FIELDS_HTML[key] = html
            while len(_FIELDS_HTML) > FIELDS_HTML_KEPT:
                _FIELDS_HTML.popitem(last=False)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine


def posted_values(form) -> dict:
    """What the fields of a bound `form` hold, unvalidated, as the initial values of a fresh form: the page shows
    the person's input again without judging it (a search inside a form, before it is saved)."""
    return {name: form[name].value() for name in form.fields}


def _clean_phone(value: str) -> str:
    if not value:
        return ""
    try:
        return normalise_phone(value)
    except ValueError as exc:
        raise forms.ValidationError(str(exc)) from None


class PersonFields(forms.Form):
    full_name = forms.CharField(
        label=_("Display name"),
        max_length=150,
        help_text=_("Shown to sellers as written and to the public shortened, e.g. “Siti R.”."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        help_text=_("For the stores you buy from, to deliver your order. 08… or +62…."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if "@" in name:
            raise forms.ValidationError(_("Write your name, not an e-mail address."))
        return name

    def clean_phone(self):
        return _clean_phone(self.cleaned_data.get("phone", ""))


class SignupForm(PersonFields):
    """allauth's ACCOUNT_SIGNUP_FORM_CLASS: its fields join the sign-up form; `signup` saves them."""

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.phone = self.cleaned_data["phone"]
        user.save(update_fields=["full_name", "phone"])


class ProfileForm(PersonFields):
    """The same two fields, edited later from /akun/profil/."""

    def __init__(self, data=None, *, instance: User, **kwargs):
        self.instance = instance
        super().__init__(data, initial={"full_name": instance.full_name, "phone": instance.phone}, **kwargs)

    def save(self) -> User:
        from opop.privacy import user_profile_update

        return user_profile_update(
            user=self.instance, full_name=self.cleaned_data["full_name"], phone=self.cleaned_data["phone"]
        )


class DeletionRequestForm(forms.ModelForm):
    confirm = forms.BooleanField(
        label=_("I understand that my account will be closed and my name, contact and addresses erased."),
    )

    class Meta:
        model = DeletionRequest
        fields = ["reason"]
        labels = {"reason": _("Why (optional)")}
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}


class FormRenderer(TemplatesSetting):
    """Forms render with the project's templates, so templates/django/forms/ (the required marker on every
    label) overrides Django's own; Django's are found through the `django.forms` app."""
