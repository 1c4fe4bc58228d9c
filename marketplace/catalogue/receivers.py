"""Keep the catalogue caches true: any saved or deleted row a store page shows (service, admin, shell) bumps the
versions of the pieces that show it, after its commit (fragments.py; queryset updates call
`catalogue_changed(products=…)` themselves). A category drops the cached tree and bumps the catalogue version."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from marketplace.catalogue.fragments import bump_on_commit, catalogue_changed
from marketplace.catalogue.selectors import category_tree_forget, product_ids_forget
from marketplace.models import Category, Product, ProductPhoto, ProductVariant, Review, Store, WholesaleTier
from opop.models import Organisation

OF_A_PRODUCT = (ProductPhoto, ProductVariant, Review, WholesaleTier)


@receiver([post_save, post_delete], sender=Category, dispatch_uid="marketplace.category_tree_forget")
def _forget_category_tree(sender, **kwargs):
    category_tree_forget()
    catalogue_changed()  # navigation and filter forms on every page


@receiver([post_save, post_delete], sender=Product, dispatch_uid="marketplace.product_changed")
def _product_changed(sender, instance, **kwargs):
    product_ids_forget(instance.slug)
    catalogue_changed(products=[instance])


def _part_changed(sender, instance, **kwargs):
    catalogue_changed(products=[instance.product_id])


for _model in OF_A_PRODUCT:
    for _signal in (post_save, post_delete):
        _signal.connect(
            _part_changed, sender=_model, dispatch_uid=f"marketplace.catalogue_changed.{_model._meta.label}"
        )


@receiver([post_save, post_delete], sender=Store, dispatch_uid="marketplace.store_changed")
def _store_changed(sender, instance, **kwargs):
    catalogue_changed(stores=[instance.pk])


@receiver([post_save, post_delete], sender=Organisation, dispatch_uid="marketplace.organisation_changed")
def _organisation_changed(sender, instance, **kwargs):
    def bump():  # its store looked up after the commit, outside the saving transaction
        stores = [
            ("store", pk) for pk in Store.objects.filter(organisation_id=instance.pk).values_list("pk", flat=True)
        ]
        bump_on_commit(stores)

    transaction.on_commit(bump)
