import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.models import Address, Order, Review
from opop.models import KabupatenKota, Organisation


class AddressForm(forms.ModelForm):
    class Meta:
        model = Address
        fields = [
            "label",
            "recipient_name",
            "phone",
            "provinsi",
            "kabupaten_kota",
            "other_city",
            "kecamatan",
            "desa",
            "street",
            "postal_code",
            "is_default",
        ]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kabupaten_kota"].queryset = KabupatenKota.objects.all()


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


class CheckoutForm(forms.Form):
    """The address, and for each store how the buyer receives and pays. Fields per store are added at runtime."""

    address = forms.ModelChoiceField(
        label=_("Ship to"),
        queryset=Address.objects.none(),
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
    )

    # Made when the form is rendered; a second submission of the same form places nothing new (idempotency key).
    checkout_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, stores, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checkout_key"].initial = uuid.uuid4
        key_name = self.add_prefix("checkout_key")
        if self.is_bound and not _is_uuid(self.data.get(key_name)):
            # A preview bound from the query string, or an old page: give the form its key now.
            self.data = self.data.copy()
            self.data[key_name] = str(uuid.uuid4())
        self.fields["address"].queryset = user.addresses.select_related("kabupaten_kota")
        self.stores = stores
        from marketplace.orders.services import buying_organisation_ids

        pesantren = buying_organisation_ids(user)
        if pesantren:
            # B2B: a pesantren admin buys for the pesantren (transaksi bilateral antar pesantren).
            self.fields["on_behalf_of"] = forms.ModelChoiceField(
                label=_("Buy as"),
                queryset=Organisation.objects.filter(pk__in=pesantren),
                required=False,
                empty_label=_("Myself"),
                help_text=_("Buying for your pesantren marks the order as pesantren-to-pesantren trade."),
            )
        for store in stores:
            deliveries = [(Order.Delivery.SHIPPING, Order.Delivery.SHIPPING.label)]
            payments = [
                (Order.PaymentMethod.BANK_TRANSFER, Order.PaymentMethod.BANK_TRANSFER.label),
                (Order.PaymentMethod.GATEWAY, Order.PaymentMethod.GATEWAY.label),
            ]
            if store.allows_pickup:
                deliveries.append((Order.Delivery.PICKUP, Order.Delivery.PICKUP.label))
                payments.append((Order.PaymentMethod.CASH_ON_PICKUP, Order.PaymentMethod.CASH_ON_PICKUP.label))
            self.fields[f"delivery_{store.pk}"] = forms.ChoiceField(
                label=_("Delivery"), choices=deliveries, initial=Order.Delivery.SHIPPING, widget=forms.RadioSelect
            )
            self.fields[f"payment_{store.pk}"] = forms.ChoiceField(
                label=_("Payment"),
                choices=payments,
                initial=Order.PaymentMethod.BANK_TRANSFER,
                widget=forms.RadioSelect,
            )

    def choices(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {s.pk: (data[f"delivery_{s.pk}"], data[f"payment_{s.pk}"]) for s in self.stores}

    def store_fields(self, store):
        return self[f"delivery_{store.pk}"], self[f"payment_{store.pk}"]


class ProofForm(forms.Form):
    proof = forms.ImageField(label=_("Photo of the transfer receipt"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=250)


class ShipForm(forms.Form):
    courier = forms.CharField(label=_("Courier"), max_length=40)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=60)


class ReviewForm(forms.ModelForm):
    photo = forms.ImageField(label=_("Photo (optional)"), required=False)

    class Meta:
        model = Review
        fields = ["rating", "text"]
        widgets = {"rating": forms.RadioSelect(choices=[(i, "★" * i) for i in range(5, 0, -1)])}


class ComplaintForm(forms.Form):
    """The buyer's complaint: what went wrong (the seller reads it, then refunds or rejects with a reason)."""

    reason = forms.CharField(
        label=_("What is wrong with the order?"),
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: an item is missing, broken or not as described."),
    )
