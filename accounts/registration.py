"""Registration that tells nobody whether an address already has an account.

Whoever registers sees "check your mailbox". A new address gets an inactive account and a link that activates it; the
owner of an existing account gets a note that someone tried, with the way to reset the password. Only the mailbox's
owner learns which case it was.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from oscar.apps.customer.signals import user_registered


def _send(*, request, user, template, context):
    context = {"user": user, "site_url": request.build_absolute_uri("/"), **context}
    subject = render_to_string(f"accounts/emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/emails/{template}_body.txt", context)
    send_mail(subject, body, None, [user.email])


def _send_activation(*, request, user):
    link = reverse(
        "accounts:activate",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    _send(request=request, user=user, template="activate", context={"link": request.build_absolute_uri(link)})


def registration_submit(*, request, form):
    """Create an inactive account and mail its activation link, or tell the existing owner; returns nothing either
    way, so that the caller cannot show a difference."""
    User = get_user_model()
    email = form.cleaned_data["email"]
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = form.save(commit=False)
                user.is_active = False
                user.save()
        except IntegrityError:
            # The same address registered twice at once: the first request made the account.
            existing = User.objects.filter(email__iexact=email).first()
        else:
            user_registered.send_robust(sender=registration_submit, request=request, user=user)
            _send_activation(request=request, user=user)
            return
    if not existing.is_active and existing.last_login is None:
        # Registered but never activated: the password-reset route ignores inactive accounts, so the link comes again.
        _send_activation(request=request, user=existing)
    else:
        _send(
            request=request,
            user=existing,
            template="already_registered",
            context={"reset_link": request.build_absolute_uri(reverse("password-reset"))},
        )
