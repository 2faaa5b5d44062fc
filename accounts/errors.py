"""The one error type for a refusal: what a person asked for and may not have, with the reason in their language.

Shaped after HackSoft's ApplicationError: a message a user can read and the HTTP status a view answers with, 403
unless the request itself was wrong (400). It lives here, in the lowest domain layer, so every domain's errors can
derive from it; `accounts.middleware.RefusalMiddleware` turns one that a view lets through into the error page.
"""

from http import HTTPStatus

from django.core.exceptions import ValidationError


class Refusal(Exception):
    status = HTTPStatus.FORBIDDEN

    def __init__(self, message, *args, status=None, **kwargs):
        # Cooperative, so that a domain error that is also a ValidationError keeps Django's behaviour for forms.
        super().__init__(message, *args, **kwargs)
        self.refused_because = message
        if status is not None:
            self.status = HTTPStatus(status)

    @property
    def user_message(self):
        return _text(self.refused_because)


class BadRequest(Refusal):
    """Refused because of what was sent (a missing reason, a file already imported), not because of who sent it."""

    status = HTTPStatus.BAD_REQUEST


def _text(message):
    if isinstance(message, (list, tuple)):
        return " ".join(_text(part) for part in message)
    if isinstance(message, ValidationError):
        return " ".join(message.messages)
    return str(message)
