from datetime import date

import factory

from pesantren.tests.factories import PesantrenFactory
from santri.models import Santri


class SantriFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Santri
        skip_postgeneration_save = True

    pesantren = factory.SubFactory(PesantrenFactory)
    name = factory.Faker("name", locale="id_ID")
    nis = factory.Sequence(lambda n: f"2024{n:05d}")
    nik = factory.Sequence(lambda n: f"3517{n:012d}")
    gender = "L"
    birth_date = date(2007, 5, 17)
    entry_year = 2022

    @factory.post_generation
    def card(self, create, extracted, **kwargs):
        if create and not self.card_number:
            from santri.services import card_number_for

            self.card_number = card_number_for(self)
            self.save(update_fields=["card_number"])
