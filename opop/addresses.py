"""The one address widget: province → kabupaten/kota → kecamatan → desa/kelurahan, each a select filtered by the
one before, the postal code filled in from the desa, street and RT/RW, an optional latitude/longitude pair.

A form gets it by mixing in `AddressFormMixin` and rendering `components/address_fields.html`. Without
JavaScript each level has a "Choose" submit button (`REFRESH`): the form comes back unbound, with everything
typed kept as its initial values and the next level's choices, and no errors shown. With JavaScript
(static/js/address.js) the selects fill at once from `/wilayah/<kode>/anak.json`.

Outside East Java only the province and kabupaten/kota are chosen; kecamatan and desa are typed.

The form maps the cleaned address (`AddressValue`) onto its model's own column names through `address_fields`.
"""

from dataclasses import dataclass, fields
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from opop import wilayah
from opop.models import KabupatenKota

REFRESH = "wilayah_pilih"
P = "alamat_"  # every widget field's name starts with this, so it never clashes with a model field
LEVELS = ("provinsi", "kabupaten", "kecamatan", "desa")
POSTAL_CODE_PATTERN = r"^\d{5}$"


@dataclass
class AddressValue:
    """An address as the widget cleaned it. Codes are Kemendagri's; kecamatan/desa codes are empty outside
    East Java."""

    provinsi_code: str = ""
    provinsi: str = ""
    kabupaten_code: str = ""
    kabupaten: str = ""  # `Kabupaten Jombang`, as Kemendagri writes it
    kabupaten_kota: KabupatenKota | None = None  # the kernel's East Java region, None outside
    kecamatan_code: str = ""
    kecamatan: str = ""
    desa_code: str = ""
    desa: str = ""
    postal_code: str = ""
    street: str = ""
    rt_rw: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


class DesaSelect(forms.Select):
    """A select whose options carry their postal code (`data-kodepos`), for the script to fill it in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.postal_codes: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        code = self.postal_codes.get(str(value))
        if code:
            option["attrs"]["data-kodepos"] = code
        return option


def _choices(regions, placeholder) -> list[tuple[str, str]]:
    return [("", placeholder), *((region.kode, region.nama) for region in regions)]


class AddressFormMixin:
    """Mix in before forms.Form / forms.ModelForm. Class options:

    - `address_jatim_only`: the province is East Java (pesantren, stores, B2B deliveries).
    - `address_with_pin`: offer the optional latitude/longitude pair.
    - `address_fields`: AddressValue attribute → model attribute, for `address_initial` and `address_apply`.
      Without an `rt_rw` entry, RT/RW is written after the street.
    """

    address_jatim_only = False
    address_with_pin = True
    address_fields: dict[str, str] = {}
    address_after: str | None = None  # the widget's place among the form's fields (default: at the end)
    address_street_label = _("Street, house number, building")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.address_refresh = self.is_bound and REFRESH in self.data
        self._add_address_fields()
        instance = getattr(self, "instance", None)
        if not self.is_bound and instance is not None and instance.pk:
            for key, value in self.address_initial(instance).items():
                self.initial.setdefault(key, value)
        if self.address_after in self.fields:
            names = list(self.fields)
            widget = [name for name in names if name.startswith(P)]
            rest = [name for name in names if not name.startswith(P)]
            at = rest.index(self.address_after) + 1
            self.order_fields(rest[:at] + widget + rest[at:])
        if self.address_refresh:
            # A round trip for the next level's choices: keep what was typed, show no errors.
            for name, field in self.fields.items():
                if isinstance(field, forms.FileField):
                    continue
                self.initial[name] = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            self.is_bound = False
        self._fill_address_choices()

    # --- fields ------------------------------------------------------------------------------------------

    def _add_address_fields(self):
        f = self.fields
        f[P + "provinsi"] = forms.ChoiceField(label=_("Province"))
        f[P + "kabupaten"] = forms.ChoiceField(label=_("Regency/city (kabupaten/kota)"))
        f[P + "kecamatan"] = forms.ChoiceField(label=_("District (kecamatan)"), required=False)
        f[P + "desa"] = forms.ChoiceField(label=_("Village (desa/kelurahan)"), required=False, widget=DesaSelect)
        f[P + "kecamatan_nama"] = forms.CharField(label=_("District (kecamatan)"), max_length=80, required=False)
        f[P + "desa_nama"] = forms.CharField(label=_("Village (desa/kelurahan)"), max_length=80, required=False)
        f[P + "jalan"] = forms.CharField(
            label=self.address_street_label,
            max_length=200,
            widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
        )
        f[P + "rt_rw"] = forms.CharField(
            label=_("RT/RW"),
            max_length=15,
            required=False,
            help_text=_("For example 002/005."),
            widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "002/005"}),
        )
        f[P + "kodepos"] = forms.RegexField(
            label=_("Postal code"),
            regex=POSTAL_CODE_PATTERN,
            error_messages={"invalid": _("A postal code has 5 digits.")},
            help_text=_("Filled in from the village; change it if your address uses another."),
            widget=forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": "5", "data-kodepos": ""}
            ),
        )
        if self.address_with_pin:
            f[P + "lat"] = forms.DecimalField(
                label=_("Latitude (optional)"),
                required=False,
                min_value=-90,
                max_value=90,
                max_digits=9,
                decimal_places=6,
                help_text=_("The map pin, e.g. -7.545120; leave empty if unknown."),
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            )
            f[P + "lng"] = forms.DecimalField(
                label=_("Longitude (optional)"),
                required=False,
                min_value=-180,
                max_value=180,
                max_digits=9,
                decimal_places=6,
                help_text=_("For example 112.280300."),
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            )

    def _value(self, name: str) -> str:
        if self.is_bound:
            return (self.data.get(self.add_prefix(P + name)) or "").strip()
        value = self.initial.get(P + name)
        if value is None:
            value = self.fields[P + name].initial
        return str(value or "").strip()

    def _fill_address_choices(self):
        provinces = [r for r in wilayah.children(None) if not self.address_jatim_only or r.kode == wilayah.JAWA_TIMUR]
        self.fields[P + "provinsi"].choices = [(r.kode, r.nama) for r in provinces]
        province = self._value("provinsi") or wilayah.JAWA_TIMUR
        if province not in {r.kode for r in provinces}:
            province = wilayah.JAWA_TIMUR
        if not self.is_bound:
            self.initial[P + "provinsi"] = province
        self.address_villages = wilayah.has_villages(province)
        kabupaten = self._value("kabupaten")
        kabupaten_regions = list(wilayah.children(province))
        self.fields[P + "kabupaten"].choices = _choices(kabupaten_regions, _("Choose the regency/city"))
        self._regions = {r.kode: r for r in provinces + kabupaten_regions}
        kecamatan_regions, desa_regions = [], []
        if self.address_villages and kabupaten in self._regions:
            kecamatan_regions = list(wilayah.children(kabupaten))
            kecamatan = self._value("kecamatan")
            if kecamatan in {r.kode for r in kecamatan_regions}:
                desa_regions = list(wilayah.children(kecamatan))
        self._regions.update({r.kode: r for r in kecamatan_regions + desa_regions})
        self.fields[P + "kecamatan"].choices = _choices(kecamatan_regions, _("Choose the district"))
        self.fields[P + "desa"].choices = _choices(desa_regions, _("Choose the village"))
        self.fields[P + "desa"].widget.postal_codes = {r.kode: r.kodepos for r in desa_regions if r.kodepos}
        # Which inputs count: chosen kecamatan/desa in East Java, typed ones elsewhere.
        self.fields[P + "kecamatan"].required = self.fields[P + "desa"].required = self.address_villages
        self.fields[P + "kecamatan_nama"].required = self.fields[P + "desa_nama"].required = not self.address_villages
        if not self.is_bound:
            desa = self._regions.get(self._value("desa"))
            if desa is not None and desa.kodepos and (self.address_refresh or not self._value("kodepos")):
                self.initial[P + "kodepos"] = desa.kodepos

    # --- cleaning ----------------------------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        if self.address_refresh:
            return data
        region = self._regions.get
        province, kabupaten = region(data.get(P + "provinsi") or ""), region(data.get(P + "kabupaten") or "")
        if province is None or kabupaten is None or wilayah.province_of(kabupaten.kode) != province.kode:
            if P + "kabupaten" not in self.errors:
                self.add_error(P + "kabupaten", _("Choose the regency or city in the chosen province."))
            return data
        value = AddressValue(
            provinsi_code=province.kode,
            provinsi=province.nama,
            kabupaten_code=kabupaten.kode,
            kabupaten=kabupaten.nama,
            street=data.get(P + "jalan", ""),
            rt_rw=" ".join((data.get(P + "rt_rw") or "").split()),
            postal_code=data.get(P + "kodepos") or "",
            latitude=data.get(P + "lat"),
            longitude=data.get(P + "lng"),
        )
        if (value.latitude is None) != (value.longitude is None) and self.address_with_pin:
            self.add_error(
                P + "lng" if value.longitude is None else P + "lat", _("Give both latitude and longitude, or neither.")
            )
        if self.address_villages:
            value.kabupaten_kota = KabupatenKota.objects.filter(kode=kabupaten.kode).first()
            kecamatan, desa = region(data.get(P + "kecamatan") or ""), region(data.get(P + "desa") or "")
            if kecamatan is None or kecamatan.induk_id != kabupaten.kode:
                if P + "kecamatan" not in self.errors:
                    self.add_error(P + "kecamatan", _("Choose the district in the chosen regency or city."))
                return data
            if desa is None or desa.induk_id != kecamatan.kode:
                if P + "desa" not in self.errors:
                    self.add_error(P + "desa", _("Choose the village in the chosen district."))
                return data
            value.kecamatan_code, value.kecamatan = kecamatan.kode, kecamatan.nama
            value.desa_code, value.desa = desa.kode, desa.nama
            if not value.postal_code and desa.kodepos and P + "kodepos" in self.errors:
                # Left empty: the village's own postal code.
                del self.errors[P + "kodepos"]
                value.postal_code = desa.kodepos
            codes = {r.kodepos for r in self._regions.values() if r.induk_id == kecamatan.kode and r.kodepos}
            if value.postal_code and codes and value.postal_code not in codes:
                self.add_error(
                    P + "kodepos",
                    _("Kecamatan %(kecamatan)s uses the postal codes %(codes)s.")
                    % {"kecamatan": kecamatan.nama, "codes": ", ".join(sorted(codes))},
                )
        else:
            value.kecamatan = " ".join((data.get(P + "kecamatan_nama") or "").split())
            value.desa = " ".join((data.get(P + "desa_nama") or "").split())
        self.address = value
        return data

    # --- mapping onto a model ----------------------------------------------------------------------------

    @classmethod
    def address_initial(cls, instance) -> dict:
        """The widget's initial values read from a model instance through `address_fields`."""
        m = cls.address_fields
        read = lambda key: getattr(instance, m[key], "") if key in m else ""  # noqa: E731
        kabupaten = read("kabupaten_code") or (
            getattr(instance, m["kabupaten_kota"] + "_id", "") if "kabupaten_kota" in m else ""
        )
        if not kabupaten:
            return {}
        initial = {
            P + "provinsi": wilayah.province_of(kabupaten),
            P + "kabupaten": kabupaten,
            P + "kecamatan": read("kecamatan_code"),
            P + "desa": read("desa_code"),
            P + "jalan": read("street"),
            P + "rt_rw": read("rt_rw"),
            P + "kodepos": read("postal_code"),
            P + "lat": read("latitude"),
            P + "lng": read("longitude"),
        }
        if not wilayah.has_villages(initial[P + "provinsi"]):
            initial[P + "kecamatan_nama"], initial[P + "desa_nama"] = read("kecamatan"), read("desa")
        return {key: value for key, value in initial.items() if value not in ("", None)}

    def address_values(self) -> dict:
        """The cleaned address under the model's own attribute names (after is_valid())."""
        value = self.address
        street = value.street
        if value.rt_rw and "rt_rw" not in self.address_fields:
            street = f"{street}, RT/RW {value.rt_rw}"
        out = {}
        for item in fields(AddressValue):
            if item.name in self.address_fields:
                out[self.address_fields[item.name]] = street if item.name == "street" else getattr(value, item.name)
        return out

    def address_apply(self, instance) -> None:
        for name, val in self.address_values().items():
            setattr(instance, name, val)

    _WIDGET_FIELD = {
        "provinsi": "provinsi",
        "provinsi_code": "provinsi",
        "kabupaten": "kabupaten",
        "kabupaten_code": "kabupaten",
        "kabupaten_kota": "kabupaten",
        "street": "jalan",
        "rt_rw": "rt_rw",
        "postal_code": "kodepos",
        "latitude": "lat",
        "longitude": "lng",
    }

    def address_error_field(self, name: str | None) -> str | None:
        """The form field that shows a model's or service's error on `name` (a model attribute)."""
        if name is None or name in self.fields or name == NON_FIELD_ERRORS:
            return name
        key = next((k for k, attr in self.address_fields.items() if attr == name), None)
        if key in ("kecamatan", "kecamatan_code", "desa", "desa_code"):
            level = key.removesuffix("_code")
            return P + (level if self.address_villages else f"{level}_nama")
        return P + self._WIDGET_FIELD[key] if key in self._WIDGET_FIELD else None

    def add_error(self, field, error):
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            remapped: dict = {}
            for name, errors in error.error_dict.items():
                remapped.setdefault(self.address_error_field(name) or NON_FIELD_ERRORS, []).extend(errors)
            error = ValidationError(remapped)
        elif field is not None:
            field = self.address_error_field(field)
        return super().add_error(field, error)

    @property
    def address_field_names(self) -> set[str]:
        return {name for name in self.fields if name.startswith(P)}

    def address_bound_fields(self) -> dict:
        """The widget's fields by their short name, for the template component."""
        return {name[len(P) :]: self[name] for name in self.fields if name.startswith(P)}
