"""Counting attempts per person or per address, for the forms a stranger could try many times: the public objection
form (per address) and gift-voucher redemption (per account). The counts live in the cache; an absent cache lets
the attempt through rather than refuse everyone."""

from django.conf import settings
from django.core.cache import cache


def client_ip(request, credentials=None):
    """The visitor's address. Behind TRUSTED_PROXY_COUNT reverse proxies (nginx in docker/), the address the nearest
    of them appended to X-Forwarded-For, counted from the right: entries further left were written by the client and
    prove nothing. With no proxy trusted, the connection's own address. Also django-axes' AXES_CLIENT_IP_CALLABLE,
    so that sign-in failures are counted per visitor and not for the proxy as a whole."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    # None when the request has no address at all (a test client's sign-in): django-axes then records none.
    return request.META.get("REMOTE_ADDR") or None


def _key(scope, subject):
    return f"throttle:{scope}:{subject}"


def attempts(scope, subject):
    return cache.get(_key(scope, subject), 0)


def exceeded(scope, subject, limit):
    """Whether `subject` already made `limit` counted attempts in the current window."""
    return attempts(scope, subject) >= limit


def count(scope, subject, seconds=3600):
    """Count one attempt; the window starts with the first attempt counted and lasts `seconds`."""
    key = _key(scope, subject)
    cache.add(key, 0, seconds)
    try:
        # With Redis away django-redis takes the error as a miss (IGNORE_EXCEPTIONS) and incr() answers None: no
        # count, so the attempt goes through.
        return cache.incr(key) or 0
    except ValueError:
        # The key expired between add and incr.
        cache.add(key, 1, seconds)
        return 1
