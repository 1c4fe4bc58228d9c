from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opop import limits
from pesantren.models import BusinessUnit, Partner, Pesantren
from santri.models import Event, Proposal, Santri
from santri.models.competitions import BUDGET_MAX_QUANTITY, BUDGET_MAX_ROWS, CANVAS_BLOCKS, CANVAS_MAX_CHARS


class SantriForm(forms.Form):
    """The fields of one santri; the rules are the import's (santri.validation.validate_row)."""

    nis = forms.CharField(label=_("NIS"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=150)
    nik = forms.CharField(
        label=_("NIK"), max_length=16, required=False, help_text=_("16 digits; optional; never shown publicly.")
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Santri.Gender.choices)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    entry_year = forms.IntegerField(label=_("Entry year"), min_value=1900, max_value=2100)
    status = forms.ChoiceField(label=_("Status"), choices=Santri.Status.choices)
    skills = forms.CharField(label=_("Skills"), max_length=255, required=False)
    interests = forms.CharField(label=_("Interests"), max_length=255, required=False)

    # Kept masked on the edit form too (opening the form is not a reveal): left empty, they keep the stored value.
    MASKED_FIELDS = ("nik", "birth_date")

    @classmethod
    def from_santri(cls, santri: Santri, data=None):
        initial = {field: getattr(santri, field) for field in cls.base_fields if field not in cls.MASKED_FIELDS}
        form = cls(data, initial=initial)
        form.santri = santri
        if santri.nik:
            form.fields["nik"].widget.attrs["placeholder"] = santri.nik_masked
            form.fields["nik"].help_text = _(
                "Stored: %(masked)s. Leave empty to keep it; type 16 digits to change it."
            ) % {"masked": santri.nik_masked}
        if santri.birth_date:
            form.fields["birth_date"].help_text = _("Stored: %(masked)s. Leave empty to keep it.") % {
                "masked": santri.birth_date_masked
            }
        return form

    def values(self) -> dict:
        """The cleaned fields, with an empty NIK or birth date on the edit form meaning "keep the stored one"."""
        values = dict(self.cleaned_data)
        santri = getattr(self, "santri", None)
        if santri is not None:
            for field in self.MASKED_FIELDS:
                if not values.get(field):
                    values[field] = getattr(santri, field)
        return values


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: nis, nama, nik, jenis_kelamin (L/P), tanggal_lahir, tahun_masuk, status, keterampilan, minat."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Used by"), max_length=100, help_text=_("For example: SIAKAD pondok."))


class SantriBusinessForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=BusinessUnit.Sector.choices)
    started_on = forms.DateField(label=_("Started"), widget=forms.DateInput(attrs={"type": "date"}))
    monthly_omzet = forms.IntegerField(label=_("Monthly turnover (Rp)"), min_value=0, max_value=limits.MAX_RUPIAH)
    members = limits.ModelMultipleChoiceField(label=_("Santri members"), queryset=Santri.objects.none())

    def __init__(self, *args, pesantren: Pesantren, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Santri.objects.filter(pesantren=pesantren, status=Santri.Status.ACTIVE)


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "description",
            "starts_on",
            "ends_on",
            "place",
            "kabupaten_kota",
            "organiser",
            "partner",
            "quota",
            "completes_track",
            "invited_pesantren",
        ]
        field_classes = {"invited_pesantren": limits.ModelMultipleChoiceField}
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.all()
        self.fields["invited_pesantren"].required = False
        self.fields["invited_pesantren"].help_text = _("Leave empty for an event open to every pesantren.")


class RegistrationForm(forms.Form):
    santri = forms.ModelChoiceField(label=_("Santri"), queryset=Santri.objects.none())

    def __init__(self, *args, santri_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["santri"].queryset = santri_qs


class CompetitionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    deadline = forms.DateTimeField(
        label=_("Submission deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    winners_count = forms.IntegerField(label=_("Winners per kabupaten/kota"), min_value=1, max_value=20, initial=1)
    criteria = forms.CharField(
        label=_("Rubric"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One criterion a line as 'name: weight'; the weights add up to 100."),
        initial="Inovasi: 30\nKelayakan usaha: 30\nDampak sosial: 20\nPresentasi: 20",
    )
    judges = forms.CharField(
        label=_("Judges' e-mail addresses"), required=False, help_text=_("Separated by commas or spaces.")
    )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline must be in the future."))
        return deadline

    def clean_criteria(self):
        criteria = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            name, sep, weight = line.rpartition(":")
            if not sep or not weight.strip().isdigit():
                raise forms.ValidationError(_("Write each criterion as 'name: weight', e.g. 'Inovasi: 30'."))
            criteria.append((name.strip(), int(weight)))
        return criteria


class ProposalStartForm(forms.Form):
    team_name = forms.CharField(label=_("Team name"), max_length=120)
    title = forms.CharField(label=_("Business idea"), max_length=200)


class ProposalForm(forms.ModelForm):
    """The draft: category, summary, the nine canvas blocks, funding asked and the pitch deck."""

    class Meta:
        model = Proposal
        fields = ["team_name", "title", "category", "text", *CANVAS_BLOCKS, "funding_asked", "attachment"]
        widgets = {name: forms.Textarea(attrs={"rows": 3, "maxlength": CANVAS_MAX_CHARS}) for name in CANVAS_BLOCKS} | {
            "text": forms.Textarea(attrs={"rows": 4, "maxlength": 3000}),
            "funding_asked": forms.NumberInput(attrs={"min": 0, "max": limits.MAX_RUPIAH, "inputmode": "numeric"}),
            "attachment": forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        }
        help_texts = {"attachment": _("Optional: a PDF of at most 5 MB."), "funding_asked": _("In whole rupiah.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funding_asked"].min_value = 0
        self.fields["funding_asked"].validators.append(MinValueValidator(0))
        self.fields["category"].required = False


class BudgetItemForm(forms.Form):
    description = forms.CharField(label=_("Item"), max_length=120)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=BUDGET_MAX_QUANTITY)
    unit_price = forms.IntegerField(
        label=_("Unit price (Rp)"),
        min_value=1,
        max_value=limits.MAX_RUPIAH,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


BudgetFormSet = forms.formset_factory(
    BudgetItemForm,
    extra=2,
    can_delete=True,
    max_num=BUDGET_MAX_ROWS,
    validate_max=True,
    absolute_max=BUDGET_MAX_ROWS,
)


def budget_rows(formset) -> list[dict]:
    """The filled, not deleted lines of a valid budget formset, in order."""
    return [
        {k: f.cleaned_data[k] for k in ("description", "quantity", "unit_price")}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class TeamSearchForm(forms.Form):
    q = forms.CharField(label=_("Search santri by name or NIS"), max_length=60, required=False)


class MentorForm(forms.Form):
    email = forms.EmailField(label=_("Mentor's e-mail address"), help_text=_("A Diskop UKM staff member."))


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=160)
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))


class ProgressNoteForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    text = forms.CharField(label=_("Progress this month"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    monthly_omzet = forms.IntegerField(
        label=_("Turnover this month (Rp)"), min_value=0, max_value=limits.MAX_RUPIAH, initial=0
    )


# --- santri accounts -------------------------------------------------------------------------------


class InvitationForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How"),
        choices=[
            ("email", _("By e-mail: a link to set the password")),
            ("code", _("Printed code for a santri without e-mail")),
        ],
        widget=forms.RadioSelect,
        initial="email",
    )
    email = forms.EmailField(label=_("Santri's e-mail address"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == "email" and not cleaned.get("email"):
            self.add_error("email", _("Enter the santri's e-mail address."))
        return cleaned


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class CodeRedeemForm(SetPasswordForm):
    code = forms.CharField(
        label=_("Code on your slip"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
        help_text=_("8 letters and digits, e.g. ABCD-2345."),
    )
    field_order = ["code", "password1", "password2"]


class SantriLoginForm(forms.Form):
    card_number = forms.CharField(
        label=_("Kartu Santri number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class ConsentDecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
