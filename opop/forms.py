"""Forms of the shared kernel: what a person tells about themselves (sign-up, profile)."""

from django import forms
from django.forms.renderers import TemplatesSetting
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
