import pytest

from pesantren.tests.factories import PesantrenFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pes_a(pesantren_a, admin_a):
    """The Jombang pesantren (admin_a owns it)."""
    return PesantrenFactory(organisation=pesantren_a, name="PP Darul Ulum", nspp="510035170001")


@pytest.fixture
def pes_b(pesantren_b, admin_b):
    """The Pasuruan pesantren (admin_b owns it)."""
    return PesantrenFactory(organisation=pesantren_b, name="PP Sidogiri", nspp="510035140002")


@pytest.fixture(autouse=True)
def _english():
    """Service messages are asserted in English, the msgid language."""
    from django.utils import translation

    with translation.override("en"):
        yield
