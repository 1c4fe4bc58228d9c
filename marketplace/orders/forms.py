import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.models import Address, Order, Review
from marketplace.shipping.quotes import offered_services, service_label
from opop.addresses import AddressFormMixin


class AddressForm(AddressFormMixin, forms.ModelForm):
    """A shopper's address-book entry: anywhere in Indonesia; kecamatan and desa are chosen in East Java."""

    address_after = "phone"
    address_fields = {
        "provinsi": "provinsi",
        "kabupaten_code": "kabupaten_code",
        "kabupaten_kota": "kabupaten_kota",
        "kabupaten": "other_city",
        "kecamatan": "kecamatan",
        "kecamatan_code": "kecamatan_code",
        "desa": "desa",
        "desa_code": "desa_code",
        "street": "street",
        "rt_rw": "rt_rw",
        "postal_code": "postal_code",
        "latitude": "latitude",
        "longitude": "longitude",
    }

    class Meta:
        model = Address
        fields = ["label", "recipient_name", "phone", "is_default"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})}

    def _post_clean(self):
        # The model's own checks (phone, region) see the address the widget cleaned; while the widget has
        # errors they would only repeat them.
        if not hasattr(self, "address"):
            return
        self.address_apply(self.instance)
        super()._post_clean()


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


class CheckoutForm(forms.Form):
    """How the buyer pays the whole checkout (bank transfer to each store, or one gateway payment), the address,
    and per store the delivery and — for a store offering pickup — cash at pickup. The caller passes in what the
    choices are made of (the stores of the cart, the buyer's addresses, the pesantren they may buy for), so the
    form reads nothing itself."""

    payment = forms.ChoiceField(
        label=_("Payment"),
        choices=[
            (Order.PaymentMethod.GATEWAY, _("Virtual account / QRIS: one payment for the whole checkout")),
            (Order.PaymentMethod.BANK_TRANSFER, _("Bank transfer to each store's own account")),
        ],
        initial=Order.PaymentMethod.BANK_TRANSFER,
        widget=forms.RadioSelect,
    )
    address = forms.TypedChoiceField(label=_("Ship to"), coerce=int, widget=forms.RadioSelect, required=False)

    # Made when the form is rendered; a second submission of the same form places nothing new (idempotency key).
    checkout_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, stores, addresses, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checkout_key"].initial = uuid.uuid4
        key_name = self.add_prefix("checkout_key")
        if self.is_bound and not _is_uuid(self.data.get(key_name)):
            # A preview bound from the query string, or an old page: give the form its key now.
            self.data = self.data.copy()
            self.data[key_name] = str(uuid.uuid4())
        self.addresses = {address.pk: address for address in addresses}
        self.fields["address"].choices = [(address.pk, str(address)) for address in addresses]
        self.stores = stores
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        if organisations:
            # B2B: a pesantren admin buys for the pesantren (transaksi bilateral antar pesantren).
            self.fields["on_behalf_of"] = forms.TypedChoiceField(
                label=_("Buy as"),
                choices=[("", _("Myself")), *((o.pk, str(o)) for o in organisations)],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=_("Buying for your pesantren marks the order as pesantren-to-pesantren trade."),
            )
        for store in stores:
            # One choice per store: a service it offers, or pickup. "shipping" (the store's default service) is
            # what older forms and scripts post; the price is always the server's quote (checkout_plan).
            deliveries = [(code, service_label(code)) for code in offered_services(store)]
            deliveries.append((Order.Delivery.SHIPPING, Order.Delivery.SHIPPING.label))
            if store.allows_pickup:
                deliveries.append((Order.Delivery.PICKUP, Order.Delivery.PICKUP.label))
                self.fields[f"cash_{store.pk}"] = forms.BooleanField(
                    label=_("Pay cash when I pick it up"), required=False
                )
            self.fields[f"delivery_{store.pk}"] = forms.ChoiceField(
                label=_("Delivery"),
                choices=deliveries,
                initial=Order.Delivery.SHIPPING,
                widget=forms.RadioSelect,
                required=False,
            )

    def clean_address(self):
        return self.addresses.get(self.cleaned_data.get("address"))

    def clean_on_behalf_of(self):
        return self.organisations.get(self.cleaned_data.get("on_behalf_of"))

    def choices(self) -> dict[int, tuple[str, str, str]]:
        """Store id → (delivery, payment method, service code), for checkout_plan and order_place."""
        data, choices = self.cleaned_data, {}
        for store in self.stores:
            chosen = data.get(f"delivery_{store.pk}") or Order.Delivery.SHIPPING
            delivery = Order.Delivery.PICKUP if chosen == Order.Delivery.PICKUP else Order.Delivery.SHIPPING
            service = "" if chosen in Order.Delivery.values else chosen
            method = Order.PaymentMethod.CASH_ON_PICKUP if data.get(f"cash_{store.pk}") else data["payment"]
            choices[store.pk] = (delivery, method, service)
        return choices

    def shown_total(self) -> int | None:
        """The grand total the page showed when the buyer pressed "Place order" (kept up to date by the page's
        script); None when the form did not send one."""
        try:
            return int(self.data.get(self.add_prefix("shown_total"), ""))
        except ValueError:
            return None

    def store_fields(self, store):
        return self[f"delivery_{store.pk}"], self[f"cash_{store.pk}"] if f"cash_{store.pk}" in self.fields else None


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
