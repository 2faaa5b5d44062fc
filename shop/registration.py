"""Oscar's registration and sign-in pages, where an e-mail that cannot be sent no longer turns a created account into
an error."""

import logging

from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_classes

AccountAuthView, AccountRegistrationView = get_classes("customer.views", ["AccountAuthView", "AccountRegistrationView"])

logger = logging.getLogger(__name__)

WELCOME_NOT_SENT = _("Your account has been created and you are signed in; the welcome e-mail could not be sent yet.")


class WelcomeEmailMayFail:
    def send_registration_email(self, user):
        # By now the account exists: the buyer is told so and signed in, whatever the mail server does.
        try:
            super().send_registration_email(user)
        except Exception:
            logger.exception("Welcome e-mail to user %s not sent", user.pk)
            messages.warning(self.request, WELCOME_NOT_SENT)


class RegistrationView(WelcomeEmailMayFail, AccountRegistrationView):
    pass


class SignInOrRegisterView(WelcomeEmailMayFail, AccountAuthView):
    pass
