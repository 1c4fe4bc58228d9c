"""Signal receivers: only hand over to a service, so the work stays visible in one place."""

from allauth.account.signals import user_logged_in
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in as django_user_logged_in
from django.dispatch import receiver

from marketplace.cart.services import cart_count_on_login, cart_merge


@receiver(user_logged_in, dispatch_uid="marketplace.cart_merge_on_login")
def merge_cart_on_login(sender, request, user, **kwargs):
    for problem in cart_merge(user=user, session=request.session):
        messages.warning(request, problem)


@receiver(django_user_logged_in, dispatch_uid="marketplace.cart_count_on_login")
def count_cart_on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        cart_count_on_login(user=user, session=request.session)
