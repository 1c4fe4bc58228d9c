from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.halal.legality import normalise_number
from marketplace.halal.models import (
    CRITERIA,
    AttachmentKind,
    ClaimStatus,
    HalalCase,
    LegalityKind,
    LegalityStatus,
    Scheme,
    certificate_number_validator,
)
from marketplace.halal.selectors import QUEUE_STATUS_CHOICES
from marketplace.halal.uploads import validate_attachment
from marketplace.models import Product
from opop import limits
from opop.models import KabupatenKota, User

SHOWN_PRODUCTS = 50


class _ShownChoices(ModelChoiceIterator):
    """The options a product field lists: its `shown` queryset, while validation keeps the whole `queryset`."""

    def __init__(self, field):
        super().__init__(field)
        self.queryset = field.shown


def offer_products(field, products: QuerySet, *, query: str = "", chosen=()) -> None:
    """Make `field` list at most SHOWN_PRODUCTS of `products` (the name search `query`'s, by name) and the ones
    already `chosen`, instead of every product of a big store; any of `products` still validates, and an id
    outside them is refused with the field's own message."""
    found = products.filter(name__icontains=query) if query else products
    ids = list(found.order_by("name", "id").values_list("pk", flat=True)[:SHOWN_PRODUCTS])
    chosen_ids = [int(pk) for pk in map(str, chosen) if pk.isdigit() and int(pk) <= limits.MAX_ID]
    field.shown = products.filter(pk__in=ids + chosen_ids).order_by("name", "id")
    field.iterator = _ShownChoices
    field.widget.choices = field.choices
    field.more = found.count() > len(ids)
    field.shown_limit = SHOWN_PRODUCTS


class ProductSearchForm(forms.Form):
    """The search over a business's products in or above a form that picks some of them."""

    q = forms.CharField(label=_("Search your products by name"), required=False, max_length=100)


class CaseForm(forms.ModelForm):
    class Meta:
        model = HalalCase
        fields = [
            "organisation",
            "business_unit",
            "scheme",
            "products",
            "annual_turnover",
            "production_sites",
            "sells_goods",
            "uses_risky_materials",
        ]
        widgets = {"products": forms.CheckboxSelectMultiple}
        field_classes = {"products": limits.ModelMultipleChoiceField}

    def __init__(self, *args, organisations, query: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if self.instance.pk:
            self.fields.pop("organisation")
            org_ids = [self.instance.organisation_id]
        else:
            org_ids = list(organisations.values_list("pk", flat=True))
            if len(org_ids) == 1:
                self.fields["organisation"].initial = org_ids[0]
        products = Product.objects.filter(store__organisation_id__in=org_ids).select_related("store")
        self.fields["products"].queryset = products
        if self.is_bound:
            chosen = self.data.getlist(self.add_prefix("products")) if hasattr(self.data, "getlist") else []
        else:  # the case's products, or those ticked before a search (posted_values)
            chosen = [getattr(product, "pk", product) for product in self.initial.get("products") or ()]
        offer_products(self.fields["products"], products, query=query, chosen=chosen)


class StepForm(forms.Form):
    """The fields every workflow step takes: date, note and up to two attachments."""

    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    attachment_kind = forms.ChoiceField(label=_("Attachment kind"), choices=AttachmentKind.choices, required=False)
    attachment = forms.FileField(
        label=_("Attachment (PDF, JPG or PNG, max. 5 MB)"), required=False, validators=[validate_attachment]
    )

    def clean_occurred_on(self):
        day = self.cleaned_data.get("occurred_on") or timezone.localdate()
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day

    def attachments(self):
        upload = self.cleaned_data.get("attachment")
        return [(self.cleaned_data.get("attachment_kind") or AttachmentKind.OTHER, upload)] if upload else []


class AssignForm(StepForm):
    assignee = forms.ModelChoiceField(
        label=_("Companion/auditor (e-mail)"), queryset=User.objects.filter(is_active=True), to_field_name="email"
    )
    inspection_body = forms.CharField(label=_("LPH / companion institution"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].widget = forms.EmailInput()


class IssueForm(StepForm):
    number = forms.CharField(
        label=_("Certificate number (SH)"),
        max_length=40,
        validators=[certificate_number_validator],
        help_text=_("The SH number that starts with ID; the label must carry this number, not the KH fatwa number."),
    )
    issued_on = forms.DateField(label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(
        label=_("Valid until (optional)"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    pdf = forms.FileField(label=_("Certificate PDF"), required=False)

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()

    def clean_pdf(self):
        pdf = self.cleaned_data.get("pdf")
        if pdf:
            validate_attachment(pdf, pdf_only=True)
        return pdf

    def clean(self):
        data = super().clean()
        if data.get("issued_on") and data.get("expires_on") and data["expires_on"] < data["issued_on"]:
            self.add_error("expires_on", _("The expiry date must be after the issue date."))
        return data

    def certificate(self):
        data = self.cleaned_data
        return {k: data.get(k) for k in ("number", "issued_on", "expires_on", "pdf")}


STEP_FORMS = {"assign": AssignForm, "issue": IssueForm}


class AttachForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("File (PDF, JPG or PNG, max. 5 MB)"), validators=[validate_attachment])


class QueueFilterForm(forms.Form):
    kabupaten_kota = forms.ModelChoiceField(
        label=_("Regency/city"), queryset=KabupatenKota.objects.all(), required=False
    )
    scheme = forms.ChoiceField(label=_("Scheme"), choices=[("", "—"), *Scheme.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *QUEUE_STATUS_CHOICES], required=False)

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["kabupaten_kota"]:
            queryset = queryset.filter(store__organisation__kabupaten_kota=data["kabupaten_kota"])
        if data["scheme"]:
            queryset = queryset.filter(case_scheme=data["scheme"])
        if data["status"] == "certified":
            queryset = queryset.filter(certified=True)
        elif data["status"] == "none":
            queryset = queryset.filter(certified=False, case_status__isnull=True)
        elif data["status"]:
            queryset = queryset.filter(certified=False, case_status=data["status"])
        return queryset


class ProposeForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none(), widget=forms.HiddenInput)
    motivation = forms.CharField(label=_("Why this product"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.RadioSelect
    )
    notes = forms.CharField(label=_("Curator's notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reason = forms.CharField(
        label=_("Reason (required when rejecting)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, label in CRITERIA:
            self.fields[field] = forms.IntegerField(label=label, min_value=1, max_value=5, required=False)

    def scores(self):
        return {field: self.cleaned_data.get(field) for field, _label in CRITERIA}


class VerifyForm(forms.Form):
    # Letters, digits, dots and dashes: what BPJPH and MUI numbers are made of, and what the verification URL
    # can carry (a "/" or a "<" would not make a certificate page).
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=40,
        validators=[
            RegexValidator(
                r"^\s*[A-Za-z0-9][A-Za-z0-9.\-]*\s*$",
                _("A certificate number has only letters, digits, dots and dashes."),
            )
        ],
    )


class LegalityForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=LegalityKind.choices)
    number = forms.CharField(label=_("Number"), max_length=60)

    def __init__(self, *args, products, query: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        # the product posted, or the one picked before a search (posted_values)
        chosen = [self.data.get(self.add_prefix("product"))] if self.is_bound else [self.initial.get("product")]
        offer_products(self.fields["product"], products, query=query, chosen=[pk for pk in chosen if pk])

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("number"):
            try:
                data["number"] = normalise_number(data["kind"], data["number"])
            except ValidationError as exc:
                self.add_error("number", exc)
        return data


class LegalityVerifyForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("verify", _("Verify")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class LegalityFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *LegalityKind.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *LegalityStatus.choices], required=False)


class ClaimVerifyForm(forms.Form):
    """What staff read on BPJPH's record (SIHALAL / the certificate) for a number a seller typed."""

    issued_on = forms.DateField(label=_("Issue date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_while_unchanged = forms.BooleanField(
        label=_("Valid while nothing changes (no expiry date, BPJPH certificates since 2021)"), required=False
    )
    expires_on = forms.DateField(label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ClaimRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the seller sees it)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ClaimFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(value, label) for value, label in ClaimStatus.choices if value != ClaimStatus.WITHDRAWN],
        required=False,
    )
