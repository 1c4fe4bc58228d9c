from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from marketplace.models import Address, Category, Product, ProductVariant, Store
from opop.models import KabupatenKota, Organisation
from opop.tests.factories import OrganisationFactory


def image_upload(width=400, height=300, fmt="JPEG", name="foto.jpg", color=(200, 120, 40)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Kategori {n}")
    slug = factory.Sequence(lambda n: f"kategori-{n}")


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Toko Koppontren {n}")
    slug = factory.Sequence(lambda n: f"toko-koppontren-{n}")
    default_shipping_rate = 40000
    bank_name = "Bank Jatim Syariah"
    bank_account_number = "0123456789"
    bank_account_name = "Koppontren"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    store = factory.SubFactory(StoreFactory)
    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Produk Santri {n}")
    slug = factory.Sequence(lambda n: f"produk-santri-{n}")
    description = "Produk olahan pondok pesantren."
    price = 25000
    stock = 10
    weight_grams = 250


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductVariant

    product = factory.SubFactory(ProductFactory)
    name = factory.Sequence(lambda n: f"Ukuran {n}")
    price = 30000
    stock = 5


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    label = "Rumah"
    recipient_name = "Siti Rahmawati"
    phone = "+6281234500001"
    kabupaten_kota = factory.LazyFunction(lambda: KabupatenKota.objects.get(kode="35.78"))
    kecamatan = "Wonokromo"
    desa = "Jagir"
    street = "Jl. Jagir Wonokromo 12"
    postal_code = "60244"


def santri_org(**kwargs):
    return OrganisationFactory(kind=Organisation.Kind.SANTRI_BUSINESS, **kwargs)
