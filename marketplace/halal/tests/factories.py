from datetime import date

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.halal.models import Certificate, HalalCase
from opop.tests.factories import OrganisationFactory, UserFactory
from opop.uploads import sample_pdf


def pdf_upload(name="dokumen.pdf", size=None) -> SimpleUploadedFile:
    body = sample_pdf("Dokumen halal")
    if size:
        body = body + b"0" * (size - len(body))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HalalCase
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory)
    annual_turnover = 200_000_000

    @factory.post_generation
    def products(self, create, extracted, **kwargs):
        if create and extracted:
            self.products.set(extracted)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"ID3517{n:013d}")
    organisation = factory.SubFactory(OrganisationFactory)
    issued_on = date(2025, 1, 10)

    @factory.post_generation
    def products(self, create, extracted, **kwargs):
        if create and extracted:
            self.products.set(extracted)
