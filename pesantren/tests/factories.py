from datetime import date

import factory

from opop.models import KabupatenKota
from opop.tests.factories import OrganisationFactory
from pesantren.models import (
    FIGURE_FIELDS,
    BusinessUnit,
    MonthlyReport,
    MonthlyReportRevision,
    Partner,
    Pesantren,
    PotentialMapping,
)


class PesantrenFactory(factory.django.DjangoModelFactory):
    """A pesantren row as the services would leave it; defaults to verified, cohort 2021."""

    class Meta:
        model = Pesantren

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.LazyAttribute(lambda o: o.organisation.name)
    nspp = factory.Sequence(lambda n: f"59{n:010d}")  # apart from the fixtures' 5100… numbers
    street = "Jl. KH. Hasyim Asy'ari No. 1"
    desa = "Keplaksari"
    kecamatan = "Peterongan"
    kabupaten_kota = factory.LazyAttribute(
        lambda o: o.organisation.kabupaten_kota or KabupatenKota.objects.get(kode="35.17")
    )
    postal_code = "61481"  # Keplaksari, Peterongan, Kab. Jombang
    kecamatan_code = factory.LazyAttribute(lambda o: "35.17.10" if o.kabupaten_kota.kode == "35.17" else "")
    desa_code = factory.LazyAttribute(lambda o: "35.17.10.2002" if o.kabupaten_kota.kode == "35.17" else "")
    pengasuh = "KH. Abdul Ghofur"
    santri_count = 750
    phone = "+6281234567890"
    email = factory.Sequence(lambda n: f"pondok{n}@pesantren.test")
    flagship_product = "Kopi robusta"
    description = "Pondok pesantren dengan unit usaha kopi."
    status = Pesantren.Status.VERIFIED
    cohort = 2021
    card_number = factory.Sequence(lambda n: f"OPOP-TEST-{n:05d}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Universitas Mitra {n}")
    kind = Partner.Kind.ACADEMIA


class BusinessUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessUnit

    pesantren = factory.SubFactory(PesantrenFactory)
    kind = BusinessUnit.Kind.UNIT_USAHA
    name = factory.Sequence(lambda n: f"Unit Usaha {n}")
    sector = BusinessUnit.Sector.FOOD
    products = "Keripik singkong"


class PotentialMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PotentialMapping

    pesantren = factory.SubFactory(PesantrenFactory)
    assessed_on = factory.Faker("past_date")
    kelembagaan_score = 2
    sdm_score = 3
    produk_score = 3
    pemasaran_score = 2
    pembiayaan_score = 1


class MonthlyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyReport
        skip_postgeneration_save = True

    pesantren = factory.SubFactory(PesantrenFactory)
    month = factory.Sequence(lambda n: date(2024 - n // 12, 12 - n % 12, 1))
    omzet = 85_000_000
    aset = 900_000_000
    workers_total = 12
    jobs_created = 1
    operating_contribution = 20_000_000
    operating_costs = 40_000_000

    @factory.post_generation
    def with_revision(self, create, extracted, **kwargs):
        if create:
            MonthlyReportRevision.objects.create(
                report=self,
                number=1,
                **{field: getattr(self, field) for field in FIGURE_FIELDS},
            )
