"""The santri registry: single edits, file imports, the API upsert, Kartu Santri numbers,
santri businesses and the santripreneur status."""

import hashlib
import secrets
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.figures import figures_mark_dirty
from opop.imports import preview_confirm, preview_discard, preview_store, upload_read
from opop.models import Organisation, User
from opop.services import DomainError, audit_record, organisation_create
from pesantren.models import Pesantren
from pesantren.services import is_pesantren_admin
from santri.models import ApiToken, ImportBatch, Santri, SantriBusiness
from santri.validation import (
    missing_columns,
    normalise_header,
    normalise_keys,
    to_model_values,
    validate_row,
    validate_rows,
)

MAX_IMPORT_ROWS = 20_000
API_MAX_BATCH = 500
UPSERT_FIELDS = ("name", "nik", "gender", "birth_date", "entry_year", "status", "skills", "interests")


def require_admin(user: User, pesantren: Pesantren) -> None:
    """Only the pesantren's owner or staff write its santri; everyone else is refused."""
    if not is_pesantren_admin(user=user, pesantren=pesantren):
        raise PermissionDenied


# --- Kartu Santri numbers -----------------------------------------------------------------------


def card_check_digit(body: str) -> str:
    """The Luhn (mod 10) check digit of a string of digits: catches every single-digit error."""
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def card_number_is_valid(number: str) -> bool:
    number = (number or "").replace(" ", "")
    return number.isdigit() and len(number) == 13 and card_check_digit(number[:-1]) == number[-1]


def card_number_for(santri: Santri) -> str:
    """13 digits: the regency/city code (4), the santri's id (8), a Luhn check digit. Unique as the id is."""
    body = santri.pesantren.kabupaten_kota_id.replace(".", "") + f"{santri.pk:08d}"
    return body + card_check_digit(body)


def _update_many(santri_list: list[Santri], fields: list[str]) -> None:
    """UPDATE … WHERE id = %s through executemany: for thousands of rows far quicker than
    bulk_update's CASE expressions, on SQLite and PostgreSQL alike."""
    if not santri_list:
        return
    quote = connection.ops.quote_name
    model_fields = [Santri._meta.get_field(name) for name in fields]
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 - names come from the model, values are parameters
        quote(Santri._meta.db_table),
        ", ".join(f"{quote(field.column)} = %s" for field in model_fields),
        quote(Santri._meta.pk.column),
    )
    params = [
        [field.get_db_prep_save(getattr(santri, field.attname), connection) for field in model_fields] + [santri.pk]
        for santri in santri_list
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _assign_cards(pesantren: Pesantren, santri_list: list[Santri]) -> None:
    kode = pesantren.kabupaten_kota_id.replace(".", "")
    for santri in santri_list:
        body = kode + f"{santri.pk:08d}"
        santri.card_number = body + card_check_digit(body)
    _update_many(santri_list, ["card_number"])


# --- single edits -------------------------------------------------------------------------------


@transaction.atomic
def santri_save(*, user: User, pesantren: Pesantren, santri: Santri | None = None, **fields) -> Santri:
    """Create or change one santri, with the same rules as the import. Raises ValidationError."""
    require_admin(user, pesantren)
    if santri is not None and santri.pesantren_id != pesantren.pk:
        raise PermissionDenied
    clean, reasons = validate_row(fields)
    if reasons:
        raise ValidationError(reasons)
    duplicate = Santri.objects.filter(pesantren=pesantren, nis=clean["nis"])
    if santri is not None:
        duplicate = duplicate.exclude(pk=santri.pk)
    if duplicate.exists():
        raise ValidationError({"nis": [_("Another santri of this pesantren has NIS %(nis)s.") % {"nis": clean["nis"]}]})
    values = to_model_values(clean)
    created = santri is None
    if created:
        santri = Santri(pesantren=pesantren)
    for key, value in values.items():
        setattr(santri, key, value)
    santri.full_clean(validate_unique=False, validate_constraints=False)
    santri.save(update_fields=None if created else [*values, "updated_at"])
    if created:
        santri.card_number = card_number_for(santri)
        santri.save(update_fields=["card_number"])
    audit_record(
        actor=user,
        action="santri.created" if created else "santri.updated",
        organisation=pesantren.organisation,
        target=santri,
        data={"nis": santri.nis},
    )
    return santri


@transaction.atomic
def santri_nik_reveal(*, user: User, santri: Santri) -> Santri:
    """Let one of the pesantren's admins (who keep the registry) see a santri's full NIK and birth date.

    Every reveal is an audit event `santri.nik_revealed`. Nobody else may reveal: Diskop UKM staff of the
    region or the province see the masked values only. Raises PermissionDenied.
    """
    require_admin(user, santri.pesantren)
    audit_record(
        actor=user,
        action="santri.nik_revealed",
        organisation=santri.pesantren.organisation,
        target=santri,
        data={"nis": santri.nis, "fields": ["nik", "birth_date"]},
    )
    return santri


@transaction.atomic
def santri_delete(*, user: User, santri: Santri) -> None:
    require_admin(user, santri.pesantren)
    if santri.registrations.exists() or santri.businesses.exists() or santri.proposals.exists():
        raise DomainError(
            _("This santri takes part in events, businesses or competitions; mark them graduated instead.")
        )
    audit_record(
        actor=user, action="santri.deleted", organisation=santri.pesantren.organisation, data={"nis": santri.nis}
    )
    santri.delete()


# --- bulk upsert: shared by the import and the API ----------------------------------------------


@transaction.atomic
def santri_upsert(*, pesantren: Pesantren, rows: list[dict], actor: User | None, source: str) -> tuple[int, int]:
    """Insert or update validated rows by NIS, in one transaction. Returns (created, updated).

    Rows must come from `validate_rows`; unchanged santri are not written.
    """
    existing = {s.nis: s for s in Santri.objects.filter(pesantren=pesantren).only("pk", "nis", *UPSERT_FIELDS)}
    new: list[Santri] = []
    changed: list[Santri] = []
    for clean in rows:
        values = to_model_values(clean)
        current = existing.get(values["nis"])
        if current is None:
            new.append(Santri(pesantren=pesantren, **values))
            continue
        if any(getattr(current, key) != values[key] for key in UPSERT_FIELDS):
            for key in UPSERT_FIELDS:
                setattr(current, key, values[key])
            current.updated_at = timezone.now()
            changed.append(current)
    if new:
        created = Santri.objects.bulk_create(new, batch_size=1000)
        if any(s.pk is None for s in created):  # a backend without RETURNING
            by_nis = dict(
                Santri.objects.filter(pesantren=pesantren, nis__in=[s.nis for s in new]).values_list("nis", "pk")
            )
            for santri in created:
                santri.pk = by_nis[santri.nis]
        _assign_cards(pesantren, created)
    if changed:
        _update_many(changed, [*UPSERT_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        action="santri.upserted",
        organisation=pesantren.organisation,
        data={"source": source, "created": len(new), "updated": len(changed)},
    )
    return len(new), len(changed)


# --- file import: upload → preview (stored) → confirm --------------------------------------------


def read_upload(*, filename: str, content: bytes) -> list[tuple[int, dict]]:
    """Read a CSV or XLSX file (the rules of opop.imports) into (line number, row) pairs, the columns named
    by the santri alias table (nama, jenis_kelamin, tahun_masuk…); line 1 is the header.

    Raises ValidationError for a file that cannot be read or lacks required columns.
    """
    table = upload_read(filename=filename, content=content, max_rows=MAX_IMPORT_ROWS)
    fields = normalise_header(table.header)
    missing = missing_columns(fields)
    if missing:
        raise ValidationError(_("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)})
    return [
        (line, {field: cell for field, cell in zip(fields, cells, strict=False) if field}) for line, cells in table.rows
    ]


def import_preview(*, user: User, pesantren: Pesantren, filename: str, content: bytes) -> ImportBatch:
    """Parse and check a file; keep the good rows and the reasons for the bad ones on the server."""
    require_admin(user, pesantren)
    parsed = read_upload(filename=filename, content=content)
    good, bad = validate_rows(parsed)
    known = set(Santri.objects.filter(pesantren=pesantren).values_list("nis", flat=True))
    updates = sum(1 for row in good if row["nis"] in known)
    return preview_store(
        model=ImportBatch,
        user=user,
        filename=filename,
        rows=good,
        errors=bad,
        total_rows=len(parsed),
        pesantren=pesantren,
        new_count=len(good) - updates,
        update_count=updates,
    )


def import_confirm(*, user: User, batch: ImportBatch) -> tuple[int, int]:
    """Import a previewed batch's good rows, all or nothing. A batch is imported once."""

    def apply(batch):
        require_admin(user, batch.pesantren)
        created, updated = santri_upsert(pesantren=batch.pesantren, rows=batch.rows, actor=user, source="file")
        batch.new_count, batch.update_count = created, updated
        return created, updated

    return preview_confirm(
        queryset=ImportBatch.objects.select_related("pesantren"),
        pk=batch.pk,
        apply=apply,
        update_fields=["new_count", "update_count"],
    )


def import_discard(*, user: User, batch: ImportBatch) -> None:
    preview_discard(
        queryset=ImportBatch.objects.select_related("pesantren"),
        pk=batch.pk,
        authorise=lambda batch: require_admin(user, batch.pesantren),
    )


# --- API tokens and the API upsert --------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, pesantren: Pesantren, name: str) -> tuple[ApiToken, str]:
    """A new token; the plain value is returned once and never stored."""
    require_admin(user, pesantren)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Name the system that will use this token.")]})
    plain = "opop_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        pesantren=pesantren, name=name[:100], prefix=plain[:12], token_hash=_hash(plain), created_by=user
    )
    audit_record(actor=user, action="santri.api_token_created", organisation=pesantren.organisation, target=token)
    return token, plain


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> None:
    require_admin(user, token.pesantren)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=user, action="santri.api_token_revoked", organisation=token.pesantren.organisation, target=token
        )


def api_token_authenticate(*, header: str) -> ApiToken | None:
    """The live token behind an `Authorization: Bearer …` header, or None."""
    scheme, _sep, plain = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not plain.strip():
        return None
    token = (
        ApiToken.objects.select_related("pesantren", "pesantren__organisation")
        .filter(token_hash=_hash(plain.strip()), revoked_at=None)
        .first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def santri_api_upsert(*, token: ApiToken, rows) -> dict:
    """Validate a batch sent by a pesantren's system and upsert its good rows.

    Rows are numbered from 1 in the order sent. Raises ValidationError for a batch that is not a
    list of objects or is larger than API_MAX_BATCH.
    """
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValidationError(_('Send {"santri": [ {…}, … ]}: a list of objects.'))
    if not rows:
        raise ValidationError(_("The batch is empty."))
    if len(rows) > API_MAX_BATCH:
        raise ValidationError(_("At most %(max)s santri per request.") % {"max": API_MAX_BATCH})
    good, bad = validate_rows([(n, normalise_keys(row)) for n, row in enumerate(rows, start=1)])
    created = updated = 0
    if good:
        created, updated = santri_upsert(pesantren=token.pesantren, rows=good, actor=None, source=f"api:{token.pk}")
    return {
        "created": created,
        "updated": updated,
        "unchanged": len(good) - created - updated,
        "errors": [{"row": e["line"], "nis": e["nis"], "errors": e["reasons"]} for e in bad],
    }


# --- santri businesses and the santripreneur status ---------------------------------------------


def santripreneur_mark(*, santri_ids, when: date, pesantren: Pesantren) -> int:
    """Record that these santri are santripreneurs from `when` (if not already); mark figures dirty.

    Returns how many became santripreneurs now. Call inside the writing transaction.
    """
    count = Santri.objects.filter(pk__in=list(santri_ids), santripreneur_since=None).update(santripreneur_since=when)
    if count:
        figures_mark_dirty(when=when, kabupaten_kota_id=pesantren.kabupaten_kota_id)
    return count


@transaction.atomic
def santri_business_save(
    *, user: User, pesantren: Pesantren, members, business: SantriBusiness | None = None, **fields
) -> SantriBusiness:
    """Create or change a santri business; its members (santri of this pesantren) become santripreneurs."""
    require_admin(user, pesantren)
    members = list(members)
    if not members:
        raise ValidationError({"members": [_("A santri business has at least one santri member.")]})
    if any(member.pesantren_id != pesantren.pk for member in members):
        raise ValidationError({"members": [_("Every member must be a santri of this pesantren.")]})
    creating = business is None
    if creating:
        business = SantriBusiness(pesantren=pesantren)
    elif business.pesantren_id != pesantren.pk:
        raise PermissionDenied
    for key, value in fields.items():
        setattr(business, key, value)
    business.full_clean(exclude=["pesantren"])
    business.save(update_fields=None if creating else [*fields, "updated_at"])
    business.members.set(members)
    santripreneur_mark(
        santri_ids=[m.pk for m in members], when=max(business.started_on, date(2019, 1, 1)), pesantren=pesantren
    )
    audit_record(actor=user, action="santri.business_saved", organisation=pesantren.organisation, target=business)
    return business


@transaction.atomic
def santri_business_organisation_open(*, user: User, business: SantriBusiness) -> Organisation:
    """Give a santri business its own OPOP Mart organisation, so that it can apply for a store.

    Only an admin (owner or staff) of the business's pesantren may. The organisation is of kind santri_business,
    supervised by the pesantren's organisation (whose admins approve its store and listings), in the pesantren's
    kabupaten/kota, with the acting admin as its first owner. Idempotent: a business that has its organisation
    already gets that one back."""
    require_admin(user, business.pesantren)
    return business_organisation_open_as_owner(user=user, business=business)


def business_organisation_open_as_owner(*, user: User, business: SantriBusiness) -> Organisation:
    """The organisation of `santri_business_organisation_open`, `user` its first owner, without asking who
    `user` is: for callers that checked that themselves (incubation_store_open: a team santri). Idempotent."""
    locked = SantriBusiness.objects.select_for_update(of=("self",)).select_related("pesantren").get(pk=business.pk)
    if locked.organisation_id is not None:
        return Organisation.objects.get(pk=locked.organisation_id)
    pesantren = locked.pesantren
    organisation = organisation_create(
        name=locked.name,
        kind=Organisation.Kind.SANTRI_BUSINESS,
        kabupaten_kota=pesantren.kabupaten_kota,
        parent=pesantren.organisation,
        owner=user,
        actor=user,
    )
    locked.organisation = organisation
    locked.save(update_fields=["organisation", "updated_at"])
    business.organisation = organisation
    audit_record(
        actor=user, action="santri.business_organisation_opened", organisation=pesantren.organisation, target=locked
    )
    return organisation


@transaction.atomic
def track_complete(*, user: User, santri: Santri, completed_on: date) -> Santri:
    """The santri completed the entrepreneurship track: they count as a santripreneur from then."""
    if not (is_pesantren_admin(user=user, pesantren=santri.pesantren) or getattr(user, "is_superuser", False)):
        from pesantren.services import is_programme_staff_for

        if not is_programme_staff_for(user=user, pesantren=santri.pesantren):
            raise PermissionDenied
    if santri.track_completed_on is None:
        Santri.objects.filter(pk=santri.pk).update(track_completed_on=completed_on)
        santri.track_completed_on = completed_on
    santripreneur_mark(santri_ids=[santri.pk], when=completed_on, pesantren=santri.pesantren)
    santri.refresh_from_db(fields=["santripreneur_since"])
    return santri
