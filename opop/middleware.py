"""Language choice: Bahasa Indonesia unless the person picked English with the switcher."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_vary_headers


class PreferredLanguageMiddleware:
    """Like LocaleMiddleware, but the browser's Accept-Language does not override the default.

    The portal is Indonesian first: a visitor whose phone is set to English still lands in
    Bahasa Indonesia, and the language switcher (Django's set_language, a cookie) changes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        # Put back the language that was active before (the default, in a server's thread): the request's choice
        # never leaks into the next request, nor into the code around a test client's request.
        previous = translation.get_language()
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.activate(previous)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class RefuseInvalidTextMiddleware:
    """One gate for text no view can store or look up: a NUL byte in the path answers 404, in the query string
    400, before any view runs. PostgreSQL text cannot hold NUL (psycopg raises DataError, a 500), and no id,
    slug, number or search term of the portal contains one, so every view is covered at once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("The address contains a NUL byte.")
        if any("\x00" in text for key, values in request.GET.lists() for text in [key, *values]):
            raise BadRequest("The query string contains a NUL byte.")
        return self.get_response(request)
