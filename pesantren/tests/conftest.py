import pytest

from pesantren.tests.factories import PesantrenFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded logos go to a throw-away folder, not the working tree.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pes_a(pesantren_a, admin_a):
    """The Jombang pesantren (admin_a owns it), verified into cohort 2021."""
    return PesantrenFactory(organisation=pesantren_a, name="PP Darul Ulum", nspp="510035170001")


@pytest.fixture
def pes_b(pesantren_b, admin_b):
    """The Pasuruan pesantren (admin_b owns it), verified into cohort 2021."""
    return PesantrenFactory(organisation=pesantren_b, name="PP Sidogiri", nspp="510035140002")


@pytest.fixture
def at_status():
    """Put a pesantren in `status` directly (the path there is tested separately)."""

    def move(pesantren, status):
        pesantren.status = status
        if status in ("registered", "submitted", "returned"):
            pesantren.cohort = None
            pesantren.card_number = None
        pesantren.save()
        return pesantren

    return move
