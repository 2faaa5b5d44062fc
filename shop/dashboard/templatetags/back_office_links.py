"""Links on Oscar's order pages only to the pages the viewer may open, and note types by their Chinese name."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.nav import default_access_fn
from oscar.core.loading import get_model

register = template.Library()

OrderNote = get_model("order", "OrderNote")

NOTE_TYPE_LABELS = {
    OrderNote.INFO: _("Information"),
    OrderNote.WARNING: _("Warning"),
    OrderNote.ERROR: _("Error"),
    OrderNote.SYSTEM: _("System"),
}


@register.simple_tag(takes_context=True)
def url_if_allowed(context, url_name, **kwargs):
    """The address of a back-office page when the viewer may open it (as the dashboard's menu decides), else "".

    An argument that is None (a line whose product was deleted) gives "" too.
    """
    if any(value is None for value in kwargs.values()):
        return ""
    if not default_access_fn(context["request"].user, url_name, url_kwargs=kwargs):
        return ""
    return reverse(url_name, kwargs=kwargs)


@register.filter
def note_type_label(note_type):
    return NOTE_TYPE_LABELS.get(note_type, note_type)
