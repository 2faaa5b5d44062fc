"""StreamField blocks of the site's pages."""

from django import forms
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.field_block import FieldBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText, expand_db_html

from shop.catalogue.richtext import clean_html


class SafeRichText(RichText):
    """Rich text whose HTML goes through the site's sanitiser whenever it is shown.

    The editor in /cms/ only produces allowed elements; this also holds for text that reached the database some other
    way (an import, the API, a hand-edited revision): scripts, event handlers and javascript: links never reach a page.
    Wagtail's page links and image embeds are expanded first, so what is cleaned is what the visitor would get.
    """

    def __html__(self):
        return render_to_string("wagtailcore/shared/richtext.html", {"html": clean_html(expand_db_html(self.source))})

    def __str__(self):
        return mark_safe(self.__html__())  # noqa: S308 - cleaned in __html__


class SafeRichTextBlock(blocks.RichTextBlock):
    def to_python(self, value):
        return SafeRichText(value)

    def normalize(self, value):
        return value if isinstance(value, SafeRichText) else SafeRichText(getattr(value, "source", value) or "")

    def value_from_form(self, value):
        return SafeRichText(super().value_from_form(value).source)


class ModelSelectBlock(blocks.ChooserBlock):
    """Choose one row of a model from a drop-down list (products and suppliers are not Wagtail snippets)."""

    def __init__(
        self, target_model, label_field="pk", queryset=None, required=True, help_text=None, validators=(), **kwargs
    ):
        self.target_model = target_model
        self.label_field = label_field
        self.choices_queryset = queryset
        self.field_options = {"required": required, "help_text": help_text, "validators": validators}
        super().__init__(required=required, help_text=help_text, validators=validators, **kwargs)

    @cached_property
    def widget(self):
        return forms.Select()

    @cached_property
    def field(self):
        queryset = self.choices_queryset() if callable(self.choices_queryset) else self.model_class.objects.all()
        field = forms.ModelChoiceField(queryset=queryset, widget=self.widget, **self.field_options)
        field.label_from_instance = lambda obj: str(getattr(obj, self.label_field))
        return field

    def get_form_state(self, value):
        return FieldBlock.get_form_state(self, value)

    def get_prep_value(self, value):
        # A primary key given directly (demo data, imports) is stored as it is.
        return value if isinstance(value, int) else super().get_prep_value(value)


def public_products():
    from oscar.core.loading import get_model

    return get_model("catalogue", "Product").objects.filter(is_public=True).order_by("title")


def suppliers():
    from suppliers.models import Partner

    return Partner.objects.order_by("name")


class ProductChooserBlock(ModelSelectBlock):
    """Its value is the product's id: the product list loads every chosen product at once, and only if sellable."""

    def __init__(self, **kwargs):
        super().__init__("catalogue.Product", label_field="title", queryset=public_products, **kwargs)

    def to_python(self, value):
        return value

    def bulk_to_python(self, values):
        return list(values)

    def value_from_form(self, value):
        return getattr(value, "pk", value)

    def extract_references(self, value):
        # For Wagtail's reference index ("usage" of a product): the value is an id here, not an instance.
        if value is not None:
            yield self.model_class, str(getattr(value, "pk", value)), "", ""


class SupplierChooserBlock(ModelSelectBlock):
    def __init__(self, **kwargs):
        super().__init__("partner.Partner", label_field="name", queryset=suppliers, **kwargs)


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "cms/blocks/image.html"


class ProductListBlock(blocks.StructBlock):
    """Products chosen by the editor, shown with their live price and stock; any that stop being sellable vanish."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=80)
    products = blocks.ListBlock(ProductChooserBlock(label=_("Product")), label=_("Products"))

    class Meta:
        icon = "list-ul"
        label = _("Product list")
        template = "cms/blocks/product_list.html"

    def get_context(self, value, parent_context=None):
        from cms.selectors import sellable_in_order

        context = super().get_context(value, parent_context=parent_context)
        context["products"] = sellable_in_order([int(getattr(p, "pk", p)) for p in value["products"] if p is not None])
        return context


class SupplierCardBlock(blocks.StructBlock):
    supplier = SupplierChooserBlock(label=_("Supplier"))
    text = blocks.TextBlock(label=_("Why this supplier"), required=False)

    class Meta:
        icon = "user"
        label = _("Supplier card")
        template = "cms/blocks/supplier_card.html"


class OptionalPageChooserBlock(blocks.PageChooserBlock):
    """Wagtail's page chooser where a page need not be chosen: no lookup when none was.

    Wagtail loads the pages chosen in a stream's blocks with one in_bulk(); for a block left without a page that is
    in_bulk([None]), which Django compiles in full (the page model's columns and ordering) before finding nothing to
    ask, on every view of the page: about half a millisecond of the home page's call to action, for nothing.
    """

    def bulk_to_python(self, values):
        chosen = [value for value in values if value is not None]
        if not chosen:
            return [None] * len(values)
        pages = iter(super().bulk_to_python(chosen))
        return [None if value is None else next(pages) for value in values]


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    button = blocks.CharBlock(label=_("Button label"), max_length=40)
    page = OptionalPageChooserBlock(label=_("Page"), required=False)
    url = blocks.CharBlock(
        label=_("Or an address on this site"),
        required=False,
        max_length=200,
        help_text=_("For shop pages, e.g. /shop/suppliers/catalogue/"),
        validators=[],
    )

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "cms/blocks/call_to_action.html"

    def clean(self, value):
        value = super().clean(value)
        url = value.get("url") or ""
        if url and not url.startswith("/"):
            from wagtail.blocks import StructBlockValidationError

            raise StructBlockValidationError(
                block_errors={"url": forms.ValidationError(_("Give an address on this site, starting with /."))}
            )
        if not url and not value.get("page"):
            from wagtail.blocks import StructBlockValidationError

            raise StructBlockValidationError(
                block_errors={"page": forms.ValidationError(_("Choose a page or give an address."))}
            )
        return value


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=200)
    answer = SafeRichTextBlock(label=_("Answer"), features=["bold", "italic", "link", "ol", "ul"])


class FaqBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=80)
    items = blocks.ListBlock(FaqItemBlock(), label=_("Questions"))

    class Meta:
        icon = "help"
        label = _("Frequently asked questions")
        template = "cms/blocks/faq.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Step"), max_length=120)
    text = SafeRichTextBlock(label=_("What to do"), features=["bold", "italic", "link", "ol", "ul"])
    image = ImageChooserBlock(label=_("Screenshot or photo"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Step")
        template = "cms/blocks/step.html"


def body_blocks():
    return [
        ("paragraph", SafeRichTextBlock(label=_("Rich text"))),
        ("image", ImageWithCaptionBlock()),
        ("products", ProductListBlock()),
        ("supplier", SupplierCardBlock()),
        ("call_to_action", CallToActionBlock()),
        ("faq", FaqBlock()),
    ]
