"""The one sanitiser for HTML written by people: product and category descriptions, offers, CMS rich text."""

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

TAGS = {
    *("p", "br", "hr", "div", "span", "blockquote", "pre", "code"),
    *("strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "mark"),
    *("h2", "h3", "h4", "h5", "h6"),
    *("ul", "ol", "li", "dl", "dt", "dd"),
    *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
    *("a", "img", "figure", "figcaption"),
}
ATTRIBUTES = {
    "a": {"href", "title"},
    # Wagtail's image embeds float by class ("richtext-image left").
    "img": {"src", "alt", "width", "height", "class"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
# Relative links stay; of the absolute ones only these schemes, so javascript:, data: and vbscript: never reach a page.
URL_SCHEMES = {"http", "https", "mailto", "tel"}

cleaner = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    clean_content_tags={"script", "style"},
    link_rel="noopener noreferrer nofollow",
)


def clean_html(value) -> SafeString:
    """`value` with only harmless markup left: no scripts, event handlers, styles or script URLs."""
    if not value:
        return mark_safe("")
    return mark_safe(cleaner.clean(str(value)))  # noqa: S308 - the output of the sanitiser


def clean_html_fields(instance, fields):
    """Sanitise, in place, the named HTML fields of a model instance about to be saved."""
    for name in fields:
        value = getattr(instance, name, None)
        if value:
            setattr(instance, name, str(clean_html(value)))


# Model fields that hold HTML someone typed (Oscar's dashboard edits them in a rich-text editor; other paths too).
HTML_FIELDS = {
    ("catalogue", "Product"): ("description",),
    ("catalogue", "Category"): ("description", "long_description"),
    ("offer", "ConditionalOffer"): ("description",),
    ("offer", "Range"): ("description",),
    ("shipping", "OrderAndItemCharges"): ("description",),
    ("shipping", "WeightBased"): ("description",),
    ("flatpages", "FlatPage"): ("content",),
}

# Plain-text fields that Oscar writes into HTML unescaped: a range's name goes into the descriptions of the conditions
# and benefits on it (oscar.apps.offer.utils.range_anchor), which the offer, voucher and voucher set pages in the back
# office print as HTML. Such a name is kept as text without markup.
TEXT_SHOWN_AS_HTML = {
    ("offer", "Range"): ("name",),
}


def strip_markup_fields(instance, fields):
    """Remove, in place, any markup from the named plain-text fields of a model instance about to be saved."""
    for name in fields:
        value = getattr(instance, name, None)
        if value:
            setattr(instance, name, strip_tags(value).strip())


fields_by_model = {}
text_fields_by_model = {}


def sanitise_before_save(sender, instance, **kwargs):
    clean_html_fields(instance, fields_by_model.get(sender, ()))
    strip_markup_fields(instance, text_fields_by_model.get(sender, ()))


def connect_sanitisers():
    from django.apps import apps
    from django.db.models.signals import pre_save

    for label, name in {*HTML_FIELDS, *TEXT_SHOWN_AS_HTML}:
        model = apps.get_model(label, name)
        fields_by_model[model] = HTML_FIELDS.get((label, name), ())
        text_fields_by_model[model] = TEXT_SHOWN_AS_HTML.get((label, name), ())
        pre_save.connect(sanitise_before_save, sender=model, dispatch_uid=f"richtext.sanitise.{label}.{name}")
