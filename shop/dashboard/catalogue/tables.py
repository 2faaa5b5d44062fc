from django_tables2 import TemplateColumn
from oscar.apps.dashboard.catalogue import tables


class ProductTable(tables.ProductTable):
    # Oscar's selection checkbox column is sortable by default, and sorting by it asks the database for a field that
    # does not exist: it is a column to tick, never to sort by.
    checkbox = TemplateColumn(
        verbose_name="",
        template_name="oscar/dashboard/catalogue/product_row_checkbox.html",
        orderable=False,
    )

    # django-tables2 does not inherit Meta: without it the table loses Oscar's template, caption and styling.
    class Meta(tables.ProductTable.Meta):
        pass


class CategoryTable(tables.CategoryTable):
    checkbox = TemplateColumn(
        verbose_name="",
        template_name="oscar/dashboard/catalogue/category_row_checkbox.html",
        orderable=False,
    )

    class Meta(tables.CategoryTable.Meta):
        pass
