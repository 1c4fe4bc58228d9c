import factory

from opop.tests.factories import OrganisationFactory, UserFactory
from pesantren.samsat.models import Outlet


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    organisation = factory.SubFactory(OrganisationFactory)
    # Outside every fixture's fixed codes (SMO3517001, SMO3514001), whatever order the tests run in.
    code = factory.Sequence(lambda n: f"SMOT{n:06d}")
    name = factory.Sequence(lambda n: f"Kopontren Samsat {n}")
    address = "Jl. KH. Romly Tamim No. 1, Peterongan"
    opening_hours = "Senin-Sabtu 08.00-15.00 WIB"
    latitude = "-7.541200"
    longitude = "112.262100"
    registered_by = factory.SubFactory(UserFactory)
