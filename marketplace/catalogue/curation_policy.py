"""Which categories are curated: `CurationRule` rows keyed by category slug, with effective dates.

A category without a rule of its own follows its nearest ancestor's; no rule anywhere means not curated
(`DEFAULT_REQUIRES_CURATION`). The rule in force on a day is the one with the latest `effective_from` on or
before it whose `effective_until` (inclusive) has not passed — the shape of `halal.policy`. Migration 0012
seeds Makanan & Minuman, Herbal & Kesehatan and Kosmetik as curated from 1 January 2026, by slug, so the rules
hold before the categories exist.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.catalogue.selectors import category_tree
from marketplace.models import Category, CurationRule
from opop.models import User
from opop.permissions import is_province_staff
from opop.services import DomainError, audit_record

DEFAULT_REQUIRES_CURATION = False


def _category_path(category: Category) -> list[str]:
    """The slugs from `category` up to its root, read from the cached tree (no query)."""
    nodes = {node.pk: node for node in category_tree()}
    path, node, seen = [], nodes.get(category.pk, category), set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        path.append(node.slug)
        node = nodes.get(node.parent_id) if node.parent_id else None
    return path


def rules_in_force(*, on: date | None = None) -> QuerySet:
    on = on or timezone.localdate()
    return CurationRule.objects.filter(effective_from__lte=on).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gte=on)
    )


def rule_for(*, category: Category, on: date | None = None) -> CurationRule | None:
    """The rule deciding `category` on `on` (today by default): its own, else its nearest ancestor's."""
    path = _category_path(category)
    by_slug: dict[str, CurationRule] = {}
    for rule in rules_in_force(on=on).filter(category_slug__in=path).order_by("-effective_from"):
        by_slug.setdefault(rule.category_slug, rule)
    return next((by_slug[slug] for slug in path if slug in by_slug), None)


def requires_curation(*, category: Category, on: date | None = None) -> bool:
    rule = rule_for(category=category, on=on)
    return rule.requires_curation if rule is not None else DEFAULT_REQUIRES_CURATION


def may_edit_policy(*, user) -> bool:
    return is_province_staff(user=user)


@transaction.atomic
def curation_rule_save(
    *,
    actor: User,
    category_slug: str,
    requires_curation: bool,
    effective_from: date,
    effective_until: date | None = None,
    note: str = "",
    rule: CurationRule | None = None,
) -> CurationRule:
    """Create or change a policy row (province-wide programme staff only); audited with before and after."""
    if not may_edit_policy(user=actor):
        raise DomainError(_("Only province-wide Diskop staff can change the curation policy."))
    rule = rule or CurationRule()
    creating = rule.pk is None
    before = None if creating else _rule_data(rule)
    rule.category_slug, rule.requires_curation = category_slug, requires_curation
    rule.effective_from, rule.effective_until, rule.note = effective_from, effective_until, note
    rule.changed_by = actor
    try:
        rule.full_clean()
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from None
    rule.save(
        update_fields=None
        if creating
        else [
            "category_slug",
            "requires_curation",
            "effective_from",
            "effective_until",
            "note",
            "changed_by",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="marketplace.curation_rule.saved",
        target=rule,
        data={"before": before, "after": _rule_data(rule)},
    )
    return rule


def _rule_data(rule: CurationRule) -> dict:
    return {
        "category_slug": rule.category_slug,
        "requires_curation": rule.requires_curation,
        "effective_from": rule.effective_from.isoformat(),
        "effective_until": rule.effective_until.isoformat() if rule.effective_until else None,
    }
