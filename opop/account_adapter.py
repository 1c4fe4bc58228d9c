"""allauth's e-mails speak as the portal: "Halo dari OPOP Jatim!", the one subject brand, absolute links."""

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from opop.mail import mail_brand, site_url
from opop.permissions import is_in_audience


def login_landing(user) -> str | None:
    """Where `user` lands after signing in when no `next` says otherwise: the first of the apps' `login_landings`
    ((audience, URL name) on their AppConfig) whose audience they are in, else None (LOGIN_REDIRECT_URL)."""
    for config in apps.get_app_configs():
        for audience, url_name in getattr(config, "login_landings", ()):
            if is_in_audience(user=user, name=audience):
                return reverse(url_name)
    return None


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # allauth asks only when the sign-in carries no (safe) `next`: that one still wins.
        return login_landing(request.user) or super().get_login_redirect_url(request)

    def format_email_subject(self, subject) -> str:
        return mail_brand(subject=subject, body="")[0]

    def render_mail(self, template_prefix, email, context, headers=None):
        # allauth builds its links from the request's host (127.0.0.1:8017 behind a proxy): use the site address.
        context = {**context, "site_url": settings.SITE_URL}
        for key, value in list(context.items()):
            if key.endswith("_url") and key != "site_url" and isinstance(value, str) and value.startswith("http"):
                parts = urlsplit(value)
                context[key] = site_url(parts.path + (f"?{parts.query}" if parts.query else ""))
        message = super().render_mail(template_prefix, email, context, headers=headers)
        message.subject, message.body = mail_brand(subject=message.subject, body=message.body)
        return message
