import uuid

from django import forms
from django.utils.translation import gettext_lazy as _


class PayoutRequestForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Amount (Rp)"),
        min_value=1,
        required=False,
        help_text=_("Leave empty to withdraw the whole available balance."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    # The form's id: submitting one form twice (a double click, a retry) makes one payout.
    request_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=250)


class BankReferenceForm(forms.Form):
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=80)
