"""allauth's e-mails speak as the portal: "Halo dari OPOP Jatim!", the one subject brand, absolute links."""

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from opop.mail import mail_brand, site_url


class AccountAdapter(DefaultAccountAdapter):
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
