from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: the site's own page, in the visitor's language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/lockout.html", {"lockout_minutes": minutes}, status=429)


def client_username(request, credentials=None):
    """The address a sign-in is for, as django-axes counts failures: every login form passes it to `authenticate` as
    `username`, and e-mail addresses are matched without regard to case, so they are counted that way too."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return username.strip().lower() or None
