"""Keep the catalogue caches true: any saved or deleted category (service, admin, shell) drops the cached
tree, and any saved or deleted row a store page shows bumps the catalogue generation after its commit
(fragments.py; queryset updates call `catalogue_changed()` themselves)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from marketplace.catalogue.fragments import catalogue_changed
from marketplace.catalogue.selectors import category_tree_forget
from marketplace.models import Category, Product, ProductPhoto, ProductVariant, Review, Store, WholesaleTier
from opop.models import Organisation

SHOWN_ON_STORE_PAGES = (Category, Product, ProductPhoto, ProductVariant, Review, Store, WholesaleTier, Organisation)


@receiver([post_save, post_delete], sender=Category, dispatch_uid="marketplace.category_tree_forget")
def _forget_category_tree(sender, **kwargs):
    category_tree_forget()


def _catalogue_changed(sender, **kwargs):
    catalogue_changed()


for _model in SHOWN_ON_STORE_PAGES:
    for _signal in (post_save, post_delete):
        _signal.connect(
            _catalogue_changed, sender=_model, dispatch_uid=f"marketplace.catalogue_changed.{_model._meta.label}"
        )
