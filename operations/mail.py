"""The e-mail backend every part of the site sends through (Django's, Oscar's and Wagtail's mails alike).

Sending a message only writes an `EmailDelivery` row in the caller's transaction and, once that commits, enqueues the
task that hands it to the real backend (`EMAIL_DELIVERY_BACKEND`). A request never waits on the mail server, a
rolled-back change sends nothing, and a message the server refused is retried (operations.services).
"""

import base64
from email.mime.base import MIMEBase
from functools import partial

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from operations.models import EmailDelivery


def message_to_data(message):
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            name, content, mimetype = (
                attachment.get_filename() or "attachment",
                attachment.get_payload(decode=True),
                attachment.get_content_type(),
            )
        else:
            name, content, mimetype = attachment
        if isinstance(content, str):
            attachments.append({"name": name, "text": content, "mimetype": mimetype})
        else:
            attachments.append({"name": name, "base64": base64.b64encode(content).decode(), "mimetype": mimetype})
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": str(message.from_email),
        "to": [str(a) for a in message.to],
        "cc": [str(a) for a in message.cc],
        "bcc": [str(a) for a in message.bcc],
        "reply_to": [str(a) for a in message.reply_to],
        "headers": {str(k): str(v) for k, v in message.extra_headers.items()},
        "content_subtype": message.content_subtype,
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def message_from_data(data, connection=None):
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[tuple(alternative) for alternative in data["alternatives"]],
        connection=connection,
    )
    message.content_subtype = data["content_subtype"]
    for attachment in data["attachments"]:
        content = attachment["text"] if "text" in attachment else base64.b64decode(attachment["base64"])
        message.attach(attachment["name"], content, attachment["mimetype"])
    return message


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from operations.tasks import email_deliver

        now = timezone.now()
        deliveries = EmailDelivery.objects.bulk_create(
            EmailDelivery(
                subject=str(message.subject)[:255],
                recipients=", ".join(str(address) for address in message.recipients()),
                message=message_to_data(message),
                next_attempt_at=now,
            )
            for message in email_messages
            if message.recipients()
        )
        for delivery in deliveries:
            # robust: the row is kept whatever happens to the enqueue, and the scheduler's sweep enqueues it again.
            transaction.on_commit(partial(email_deliver.enqueue, delivery_id=delivery.pk), robust=True)
        return len(deliveries)
