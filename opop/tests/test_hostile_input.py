"""Hostile input at the kernel's own POST endpoints: language switch and the accounts (allauth) forms."""

from opop.tests.hostile import Endpoint

WATCH = ("opop",)

ENDPOINTS = [
    Endpoint("set_language", "shopper", page="home", fields=("language", "next")),
    Endpoint("account_login", "anonymous", fields=("login", "password", "remember")),
    Endpoint(
        "account_signup",
        "anonymous",
        valid={"email": "baru@opop.test", "password1": "Sangat-Rahasia-2026", "password2": "Sangat-Rahasia-2026"},
        fields=("full_name",),
    ),
    Endpoint("account_reset_password", "anonymous", fields=("email",)),
    Endpoint("account_change_password", "shopper", fields=("oldpassword", "password1", "password2")),
    Endpoint("account_email", "shopper", fields=("email", "action_add", "action_remove", "action_primary")),
    Endpoint("account_logout", "shopper", fields=("next",)),
]
ENDPOINTS += [
    # The person's own data (#17): profile, deletion request and its withdrawal; the staff queue.
    Endpoint("opop:profile", "shopper", fields=("full_name", "phone")),
    Endpoint("opop:deletion_request", "shopper", page="opop:profile", valid={"confirm": "on"}, fields=("reason",)),
    Endpoint("opop:deletion_withdraw", "shopper", page="opop:profile"),
    Endpoint("opop:deletion_process", "staff_province", page="opop:deletion_queue", fields=("confirm",)),
    Endpoint("account_confirm_email", "anonymous", fields=("key",)),
    Endpoint("account_confirm_login_code", "anonymous", fields=("code",)),
]


def test_redirect_next_only_follows_paths_on_this_site(rf):
    from opop.redirects import redirect_next

    request = rf.post("/")
    assert redirect_next(request, "/mart/", "home")["Location"] == "/mart/"
    for hostile in ["https://evil.example/", "//evil.example", "/\\evil.example", "' OR '1'='1", "", None]:
        assert redirect_next(request, hostile, "home")["Location"] == "/"
