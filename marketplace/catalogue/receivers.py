"""Keep the cached category tree true: any saved or deleted category (service, admin, shell) drops it."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from marketplace.catalogue.selectors import category_tree_forget
from marketplace.models import Category


@receiver([post_save, post_delete], sender=Category, dispatch_uid="marketplace.category_tree_forget")
def _forget_category_tree(sender, **kwargs):
    category_tree_forget()
