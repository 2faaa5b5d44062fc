from django.conf import settings
from django.utils import translation
from django_tasks import task


@task()
def bulletins_generate():
    from procurement.bulletins import bulletins_generate

    return bulletins_generate()


@task()
def bulletin_email_send(bulletin_id):
    from procurement.bulletins import send_email
    from procurement.models import Bulletin

    with translation.override(settings.LANGUAGE_CODE):
        messages = send_email(Bulletin.objects.select_related("office").get(pk=bulletin_id))
    return [message.to for message in messages]
