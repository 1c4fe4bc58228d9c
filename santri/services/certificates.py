"""Certificate numbers taken without collisions: one locked counter row per (series, year, kabupaten/kota)."""

from django.db import transaction

from santri.certificate_numbers import (
    ACTIVITY_SERIES,
    COMPETITION_SERIES,
    certificate_number,
    certificate_prefix,
    certificate_sequence_after,
)
from santri.models import CertificateSequence, CompetitionCertificate, Registration


def _highest_issued(series: str, prefix: str) -> str | None:
    """The highest number issued under `prefix` before its counter row existed (numbers from before the counter)."""
    model, field = {
        COMPETITION_SERIES: (CompetitionCertificate, "number"),
        ACTIVITY_SERIES: (Registration, "certificate_number"),
    }[series]
    return (
        model.objects.filter(**{f"{field}__startswith": prefix})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )


@transaction.atomic
def certificate_numbers_take(*, series: str, year: int, kabupaten_kota_id: str, count: int = 1) -> list[str]:
    """`count` new consecutive numbers of `series` (SP, SK) for `year` and the kabupaten/kota, e.g.
    `SP-2026-3517-0042-K`. Call inside the transaction that saves them: the counter row stays locked until it
    commits, so a second publish (or attendance) of the same series, year and region at the same moment waits and
    takes the numbers after these: never the same. A rolled-back transaction gives its numbers back.

    Callers taking several series or regions in one transaction take them in sorted order (no deadlock)."""
    if count <= 0:
        return []
    prefix = certificate_prefix(series=series, year=year, kabupaten_kota_id=kabupaten_kota_id)
    key = {"series": series, "year": year, "kabupaten_kota_id": kabupaten_kota_id}
    # The row's first use starts after what was issued before it; a concurrent first use waits on the unique key.
    seed = certificate_sequence_after(_highest_issued(series, prefix)) - 1
    CertificateSequence.objects.bulk_create([CertificateSequence(**key, last=seed)], ignore_conflicts=True)
    counter = CertificateSequence.objects.select_for_update().get(**key)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return [certificate_number(prefix=prefix, seq=seq) for seq in range(first, first + count)]
