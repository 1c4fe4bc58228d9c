"""Listing curation: the one place deciding whether a product, or a change to it, waits for review.

Policy (curation_policy.py, re-exported here). `CurationRule` rows (keyed by category slug, with effective dates)
say which categories are curated; a category without a rule of its own follows its nearest ancestor's; no rule
anywhere means not curated. The migration seeds food & drink, herbal & health and cosmetics as curated.

Reviews. A new product in a curated category starts `pending` with a NEW `ProductRevision` in the queue; in any
other category it is approved at once. Once approved, edits to what shoppers rely on (`REVIEWED_FIELDS`, and
new photos) of a product in a curated category become one pending EDIT revision — the product keeps its last
approved values on every public page until the revision is approved; price, stock and the other fields change
at once. A product not approved yet (pending or rejected) is not public, so its edits apply directly, and a
rejected one goes back to the queue when the seller saves it again.

Who decides. Diskop staff (region-scoped staff in their kabupaten/kota only) — except for the stores of santri
businesses supervised by a pesantren (`Organisation.parent`), whose listings that pesantren's owners and staff
decide instead. A santri business without a supervising pesantren is decided by Diskop staff. A member of the
selling organisation never decides its own listing. Superusers decide like Diskop staff, everywhere.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from marketplace.catalogue.curation_policy import (  # noqa: F401 - the policy is part of this module's interface
    DEFAULT_REQUIRES_CURATION,
    curation_rule_save,
    may_edit_policy,
    requires_curation,
    rule_for,
    rules_in_force,
)
from marketplace.catalogue.fragments import catalogue_changed
from marketplace.catalogue.selectors import category_tree
from marketplace.images import photo_renditions
from marketplace.models import (
    Category,
    ListingStatus,
    Product,
    ProductPhoto,
    ProductRevision,
    RevisionPhoto,
)
from opop.mail import send_mail_on_commit
from opop.models import Membership, Organisation, User
from opop.permissions import access_for, is_programme_staff, is_programme_staff_for_region
from opop.services import DomainError, audit_record

# What shoppers rely on: a change to any of these (or a new photo) of an approved, curated product is reviewed.
# The halal number is not among them: a typed number is a claim that halal staff verify (halal/claims.py).
REVIEWED_FIELDS = ("name", "category", "description", "nib", "pirt", "bpom_md")
ADMIN_ROLES = (Membership.Role.OWNER, Membership.Role.STAFF)
PENDING = ProductRevision.Status.PENDING

# --- who decides -----------------------------------------------------------------------------------


def _supervised() -> Q:
    """Products of santri businesses that a pesantren supervises (their admins decide, not Diskop)."""
    return Q(
        product__store__organisation__kind=Organisation.Kind.SANTRI_BUSINESS,
        product__store__organisation__parent_id__isnull=False,
    )


def _decidable(user) -> Q | None:
    """The revisions `user` may decide, as a filter (None: none at all)."""
    access = access_for(user)
    if not (access.superuser or access.programme_staff or access.memberships):
        return None
    condition = Q(pk__in=[])
    if access.superuser:
        condition = Q()
    elif access.programme_staff:
        diskop = ~_supervised()
        if access.region is not None:
            diskop &= Q(product__store__organisation__kabupaten_kota_id=access.region)
        condition |= diskop
    supervising = access.organisation_ids(roles=ADMIN_ROLES, kinds=(Organisation.Kind.PESANTREN,))
    if supervising and not access.superuser:
        condition |= _supervised() & Q(product__store__organisation__parent_id__in=supervising)
    own = access.organisation_ids()
    return condition & ~Q(product__store__organisation_id__in=own) if own else condition


def may_decide(*, user, product: Product) -> bool:
    organisation = product.store.organisation
    access = access_for(user)
    if organisation.pk in access.organisation_ids():
        return False  # never one's own listing, whatever else one is
    if organisation.kind == Organisation.Kind.SANTRI_BUSINESS and organisation.parent_id:
        return access.superuser or organisation.parent_id in access.organisation_ids(roles=ADMIN_ROLES)
    return is_programme_staff_for_region(user=user, kabupaten_kota_id=organisation.kabupaten_kota_id)


def is_curator(*, user) -> bool:
    """Sees the curation queue at all: programme staff, superusers, admins of a pesantren (for its santri)."""
    return is_programme_staff(user=user) or bool(
        access_for(user).organisation_ids(roles=ADMIN_ROLES, kinds=(Organisation.Kind.PESANTREN,))
    )


# --- selectors -------------------------------------------------------------------------------------


def _queue_rows(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(
        "product__store__organisation__kabupaten_kota", "product__category", "submitted_by"
    ).prefetch_related(
        Prefetch("product__photos", queryset=ProductPhoto.objects.order_by("position", "id")),
        "photos",
    )


def revisions_for(*, user) -> QuerySet:
    """Every review `user` may decide, in any state (a decided one answers "already decided", not 404)."""
    condition = _decidable(user)
    if condition is None:
        return ProductRevision.objects.none()
    return ProductRevision.objects.filter(condition)


def curation_queue(*, user) -> QuerySet:
    """The pending reviews `user` may decide, oldest first, with product, store, region and photos loaded."""
    return _queue_rows(revisions_for(user=user).filter(status=PENDING)).order_by("created_at", "id")


def _display(field: str, value, categories: dict[int, Category]) -> str:
    if field == "category":
        category = categories.get(value)
        if category is None:
            return "—"
        parent = categories.get(category.parent_id) if category.parent_id else None
        return f"{parent.name} > {category.name}" if parent else category.name
    return value if value not in (None, "") else "—"


def change_rows(revision: ProductRevision) -> list[dict]:
    """(field label, approved value, proposed value) of each proposed change, for the queue and the seller."""
    categories = {node.pk: node for node in category_tree()}
    product = revision.product
    rows = []
    for field in REVIEWED_FIELDS:
        if field not in revision.changes:
            continue
        if revision.status == PENDING or field not in revision.previous:
            old = product.category_id if field == "category" else getattr(product, field)
        else:
            old = revision.previous[field]
        rows.append(
            {
                "field": field,
                "label": Product._meta.get_field(field).verbose_name,
                "old": _display(field, old, categories),
                "new": _display(field, revision.changes[field], categories),
            }
        )
    return rows


def with_change_rows(revisions) -> list[ProductRevision]:
    revisions = list(revisions)
    for revision in revisions:
        revision.change_rows = change_rows(revision)
    return revisions


def latest_review(product: Product) -> ProductRevision | None:
    """The review the seller should see on the product page: the pending one, else the latest decided one."""
    return product.revisions.exclude(status=ProductRevision.Status.WITHDRAWN).prefetch_related("photos").first()


def seller_reviews() -> Prefetch:
    """For a seller's product list: each product's latest review, as `product.reviews_shown` (0 or 1 item)."""
    return Prefetch(
        "revisions",
        queryset=ProductRevision.objects.exclude(status=ProductRevision.Status.WITHDRAWN).order_by("-created_at"),
        to_attr="reviews_shown",
    )


# --- submitting ------------------------------------------------------------------------------------


def new_listing_status(*, category: Category) -> str:
    return ListingStatus.PENDING if requires_curation(category=category) else ListingStatus.APPROVED


def listing_review_open(*, product: Product, actor: User | None) -> ProductRevision | None:
    """After a new product (or a copy) is saved with `new_listing_status`: queue it when it waits for review."""
    if product.listing_status != ListingStatus.PENDING:
        return None
    return ProductRevision.objects.create(product=product, kind=ProductRevision.Kind.NEW, submitted_by=actor)


def _value(field: str, value):
    return value.pk if isinstance(value, Category) else value


def _pending(product: Product) -> ProductRevision | None:
    return ProductRevision.objects.select_for_update().filter(product=product, status=PENDING).first()


def _withdraw(revision: ProductRevision) -> None:
    revision.status = ProductRevision.Status.WITHDRAWN
    revision.save(update_fields=["status", "updated_at"])


@transaction.atomic
def listing_update(*, product: Product, actor: User, **fields) -> ProductRevision | None:
    """Apply a seller's edit of `product`, holding back what needs review. Returns the pending review, if any.

    `fields` are Product fields (the seller form's). Guarantees: price, stock and every other field not in
    REVIEWED_FIELDS change now; on an approved product in a curated category, reviewed fields that differ
    from the approved values become (or replace) the one pending EDIT revision and the product keeps its
    approved values. Raises ValidationError for values the product could not hold.
    """
    product = Product.objects.select_for_update().select_related("category").get(pk=product.pk)
    pending = _pending(product)
    target_category = fields.get("category", product.category)
    curated = requires_curation(category=target_category)
    held = {}
    if product.listing_status == ListingStatus.APPROVED and curated:
        # Proposals of the pending review stay unless this edit gives the field again.
        held = dict(pending.changes) if pending is not None else {}
        for name, value in fields.items():
            if name not in REVIEWED_FIELDS:
                continue
            if _value(name, value) != _value(name, getattr(product, name)):
                held[name] = _value(name, value)
            else:
                held.pop(name, None)
    proposed = Product.objects.get(pk=product.pk)
    for name, value in fields.items():
        setattr(proposed, name, value)
    for name, value in held.items():
        setattr(proposed, "category_id" if name == "category" else name, value)
    proposed.full_clean()  # the held values too: a review never carries values the product could not take
    changed = [name for name in fields if name not in held]
    for name in changed:
        setattr(product, name, fields[name])
    product.full_clean()
    product.save(update_fields=[*changed, "updated_at"])

    if product.listing_status == ListingStatus.APPROVED:
        if not curated:  # nothing of this product is reviewed any more: held photos join it
            if pending is not None:
                _photos_promote(pending, product)
                _withdraw(pending)
            return None
        if not held and (pending is None or not pending.photos.exists()):
            if pending is not None:
                _withdraw(pending)
            return None
        creating = pending is None
        if creating:
            pending = ProductRevision(product=product, kind=ProductRevision.Kind.EDIT)
        pending.changes, pending.submitted_by = held, actor
        pending.save(update_fields=None if creating else ["changes", "submitted_by", "updated_at"])
        return pending

    # Not public yet: the product itself is what is reviewed.
    if not curated:
        if pending is not None:
            _withdraw(pending)
        _listing_set(product, status=ListingStatus.APPROVED, actor=None, reason="")
        catalogue_changed()  # public or not: every list at once
        return None
    if pending is None:
        if product.listing_status == ListingStatus.REJECTED:
            _listing_set(product, status=ListingStatus.PENDING, actor=None, reason=product.listing_reason)
        pending = ProductRevision.objects.create(product=product, kind=ProductRevision.Kind.NEW, submitted_by=actor)
    return pending


def _photos_curated(product: Product) -> bool:
    """New photos of this product wait for review: it is public and in a curated category."""
    return product.listing_status == ListingStatus.APPROVED and requires_curation(category=product.category)


@transaction.atomic
def listing_photo_add(*, product: Product, upload, actor: User, alt_text: str = ""):
    """Add a photo: straight to the product, or held in its pending review when shoppers must not see it yet.

    Returns the ProductPhoto or the RevisionPhoto. Raises ValidationError for an unusable image."""
    from marketplace.catalogue.services import product_photo_add

    product = Product.objects.select_for_update().select_related("category").get(pk=product.pk)
    if not _photos_curated(product):
        return product_photo_add(product=product, upload=upload, alt_text=alt_text)
    renditions = photo_renditions(upload, name=product.slug)
    pending = _pending(product) or ProductRevision.objects.create(
        product=product, kind=ProductRevision.Kind.EDIT, submitted_by=actor
    )
    photo = RevisionPhoto(revision=pending, alt_text=alt_text or product.name)
    for field, content in renditions.items():
        getattr(photo, field).save(content.name, content, save=False)
    photo.save()
    return photo


@transaction.atomic
def revision_photo_delete(*, photo: RevisionPhoto) -> None:
    """The seller takes back a held photo; a review left with nothing to review is withdrawn."""
    revision = ProductRevision.objects.select_for_update().get(pk=photo.revision_id)
    if revision.status != PENDING:
        raise DomainError(_("This photo has already been reviewed."))
    files = [getattr(photo, field) for field in ("large", "medium", "small")]
    photo.delete()
    if not revision.changes and not revision.photos.exists() and revision.kind == ProductRevision.Kind.EDIT:
        _withdraw(revision)
    transaction.on_commit(lambda: [f.delete(save=False) for f in files if f])


def _photos_promote(revision: ProductRevision, product: Product) -> int:
    """Held photos become the product's, after its current ones (the same files; nothing is copied)."""
    position = ProductPhoto.objects.filter(product=product).count()
    made = []
    for offset, held in enumerate(revision.photos.all()):
        made.append(
            ProductPhoto(
                product=product,
                large=held.large.name,
                medium=held.medium.name,
                small=held.small.name,
                width=held.width,
                height=held.height,
                alt_text=held.alt_text,
                position=position + offset,
            )
        )
    ProductPhoto.objects.bulk_create(made)
    if made:
        catalogue_changed(products=[product])
    return len(made)


def _listing_set(product: Product, *, status: str, actor: User | None, reason: str) -> None:
    product.listing_status, product.listing_reason = status, reason
    product.listing_reviewed_by = actor
    product.listing_reviewed_at = timezone.now() if actor is not None else None
    product.save(
        update_fields=["listing_status", "listing_reason", "listing_reviewed_by", "listing_reviewed_at", "updated_at"]
    )


# --- deciding --------------------------------------------------------------------------------------


def _locked_for_decision(revision: ProductRevision, actor: User) -> ProductRevision:
    revision = (
        ProductRevision.objects.select_for_update()
        .select_related("product__store__organisation", "product__category")
        .get(pk=revision.pk)
    )
    if not may_decide(user=actor, product=revision.product):
        raise DomainError(_("You may not decide this listing."))
    if revision.status != PENDING:
        raise DomainError(_("This listing has already been decided."))
    return revision


@transaction.atomic
def listing_approve(*, revision: ProductRevision, actor: User) -> ProductRevision:
    """Approve a review: a new product becomes public; proposed changes and held photos reach the product.

    Raises DomainError when `actor` may not decide it or it was decided already (a second click)."""
    revision = _locked_for_decision(revision, actor)
    product = Product.objects.select_for_update().get(pk=revision.product_id)
    if revision.kind == ProductRevision.Kind.EDIT:
        revision.previous = {
            name: _value(name, getattr(product, name if name != "category" else "category_id"))
            for name in revision.changes
        }
        changed = ["category_id" if name == "category" else name for name in revision.changes]
        for name, value in zip(changed, revision.changes.values(), strict=True):
            setattr(product, name, value)
        try:
            product.full_clean()
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages)) from None
        product.save(update_fields=[*changed, "updated_at"])
        _photos_promote(revision, product)
    _listing_set(product, status=ListingStatus.APPROVED, actor=actor, reason="")
    product.store = revision.product.store
    revision.product = product  # the e-mail names the product as approved
    _decided(revision, actor=actor, status=ProductRevision.Status.APPROVED, reason="")
    return revision


@transaction.atomic
def listing_reject(*, revision: ProductRevision, actor: User, reason: str) -> ProductRevision:
    """Reject a review with a reason the seller sees. A new product stays hidden; an approved product keeps its
    approved version (the proposed changes and photos stay on the review, for the seller to see)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tell the seller why the listing is rejected."))
    revision = _locked_for_decision(revision, actor)
    if revision.kind == ProductRevision.Kind.NEW:
        product = Product.objects.select_for_update().get(pk=revision.product_id)
        _listing_set(product, status=ListingStatus.REJECTED, actor=actor, reason=reason)
    _decided(revision, actor=actor, status=ProductRevision.Status.REJECTED, reason=reason)
    return revision


def _decided(revision: ProductRevision, *, actor: User, status: str, reason: str) -> None:
    revision.status, revision.reason = status, reason
    revision.reviewed_by, revision.reviewed_at = actor, timezone.now()
    revision.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at", "previous", "updated_at"])
    catalogue_changed()  # the cached store pages hold the product (or not) as it was: every list at once
    product = revision.product
    organisation = product.store.organisation
    audit_record(
        actor=actor,
        action=f"marketplace.listing.{status}",
        organisation=organisation,
        target=product,
        data={"revision": revision.pk, "kind": revision.kind, "changes": revision.changes, "reason": reason},
    )
    _notify(revision)


def _notify(revision: ProductRevision) -> None:
    """Tell the selling organisation's owners and staff (rendered in the site language, sent after commit)."""
    product = revision.product
    recipients = list(
        Membership.objects.filter(organisation=product.store.organisation_id, role__in=ADMIN_ROLES)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not recipients:
        return
    context = {"revision": revision, "product": product, "store": product.store}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("marketplace/email/listing_decision_subject.txt", context)
        body = render_to_string("marketplace/email/listing_decision.txt", context)
    send_mail_on_commit(subject=" ".join(subject.split()), body=body, recipients=recipients)
