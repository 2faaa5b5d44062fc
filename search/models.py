from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductSearchEntry(models.Model):
    """One row per product, holding everything the catalogue filters, sorts and matches on.

    Kept in step with products, stock records and certifications by search.indexing, so that a catalogue page,
    a category page or a search is one query on this table plus the product rows of the page shown.
    """

    product = models.OneToOneField(
        "catalogue.Product",
        verbose_name=_("Product"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_entry",
    )
    title = models.CharField(_("Title"), max_length=255)
    text = models.TextField(_("Searchable text"))
    tokens = models.TextField(_("Index tokens"), blank=True, default="")
    # Filled from `tokens` on PostgreSQL only, where a GIN index on it serves word searches (migration 0002).
    search_vector = SearchVectorField(_("Search vector"), null=True, blank=True)
    category_ids = models.CharField(
        _("Categories"), max_length=512, blank=True, help_text=_("Category ids with their ancestors, as |1|4|9|.")
    )
    # The first category, the supplier and the county are facets: their names are stored so that counting a
    # facet needs no join.
    category = models.ForeignKey(
        "catalogue.Category",
        verbose_name=_("Category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category_name = models.CharField(_("Category name"), max_length=255, blank=True)
    partner = models.ForeignKey(
        "partner.Partner",
        verbose_name=_("Supplier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partner_name = models.CharField(_("Supplier name"), max_length=128, blank=True)
    supplier_type = models.CharField(_("Supplier type"), max_length=24, blank=True)
    quality_marks = models.CharField(
        _("Quality marks"), max_length=64, blank=True, help_text=_("Marks the product holds, as |green|organic|.")
    )
    region_code = models.CharField(_("Region code"), max_length=12, blank=True, db_index=True)
    county_code = models.CharField(_("County code"), max_length=12, blank=True)
    county_name = models.CharField(_("County name"), max_length=64, blank=True)
    price = models.DecimalField(_("Price"), max_digits=12, decimal_places=2, null=True, blank=True)
    in_stock = models.BooleanField(_("In stock"), default=False)
    popularity = models.PositiveIntegerField(_("Units sold"), default=0)
    # The days on which both the product's and its supplier's certifications are valid.
    sellable_from = models.DateField(_("Sellable from"), null=True, blank=True)
    sellable_until = models.DateField(_("Sellable until"), null=True, blank=True)
    date_created = models.DateTimeField(_("Date created"))
    # When this row was last written: cached listings are keyed on the rows they show and on the table's latest
    # write, so a changed product is shown at once and nothing else is thrown away (search.listing).
    indexed_at = models.DateTimeField(_("Indexed at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("Product search entry")
        verbose_name_plural = _("Product search entries")
        indexes = [
            models.Index(fields=["sellable_until", "sellable_from"]),
            models.Index(fields=["category", "sellable_until"]),
            models.Index(fields=["partner", "sellable_until"]),
            models.Index(fields=["price"]),
            models.Index(fields=["-date_created"]),
            models.Index(fields=["-popularity"]),
        ]

    def __str__(self):
        return self.title
