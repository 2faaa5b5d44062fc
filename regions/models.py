from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE = "province", "city", "county", "township", "village"

# Significant digits of each level in the 12-digit statistical code (2+2+2+3+3).
LEVEL_DIGITS = {PROVINCE: 2, CITY: 4, COUNTY: 6, TOWNSHIP: 9, VILLAGE: 12}
LEVEL_ORDER = [PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE]


def level_of_code(code):
    """The level a 12-digit code stands for: the deepest level whose own digits are not all zero."""
    level = None
    start = 0
    for name in LEVEL_ORDER:
        end = LEVEL_DIGITS[name]
        if code[start:end].strip("0"):
            level = name
        start = end
    return level


def normalise_code(code):
    code = str(code).strip()
    return code.ljust(12, "0") if code.isdigit() and len(code) in (2, 4, 6, 9) else code


class RegionQuerySet(models.QuerySet):
    def within(self, region):
        """The region and everything under it."""
        return self.filter(code__startswith=region.prefix)


class Region(models.Model):
    LEVEL_CHOICES = [
        (PROVINCE, _("Province")),
        (CITY, _("City")),
        (COUNTY, _("County / district")),
        (TOWNSHIP, _("Township")),
        (VILLAGE, _("Village")),
    ]

    code = models.CharField(
        _("Statistical code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{12}$", _("A region code has exactly 12 digits."))],
    )
    name = models.CharField(_("Name"), max_length=64)
    level = models.CharField(_("Level"), max_length=10, choices=LEVEL_CHOICES, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("Region")
        verbose_name_plural = _("Regions")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.level:
            self.level = level_of_code(self.code)
        super().save(*args, **kwargs)

    @property
    def prefix(self):
        return self.code[: LEVEL_DIGITS[self.level]]

    @property
    def full_name(self):
        return "".join(r.name for r in self.ancestors(include_self=True) if r.level != PROVINCE)

    def ancestors(self, include_self=False):
        """Ancestors from the top down, read in one query through the code prefixes."""
        prefixes = [
            self.code[: LEVEL_DIGITS[level]].ljust(12, "0")
            for level in LEVEL_ORDER
            if LEVEL_DIGITS[level] < LEVEL_DIGITS[self.level]
        ]
        found = list(Region.objects.filter(code__in=prefixes).order_by("code"))
        return found + [self] if include_self else found

    def contains(self, other):
        return other is not None and other.code.startswith(self.prefix)

    def ancestor_at(self, level):
        if self.level == level:
            return self
        return Region.objects.filter(code=self.code[: LEVEL_DIGITS[level]].ljust(12, "0")).first()

    def clean(self):
        level = level_of_code(self.code or "")
        if level is None:
            raise ValidationError({"code": _("This code does not name any administrative level.")})
        self.level = level
        if self.parent_id:
            if not self.code.startswith(self.parent.prefix) or LEVEL_ORDER.index(
                self.parent.level
            ) >= LEVEL_ORDER.index(level):
                raise ValidationError(
                    {
                        "parent": _("The code %(code)s does not lie under %(parent)s.")
                        % {"code": self.code, "parent": self.parent}
                    }
                )
        elif level != PROVINCE:
            raise ValidationError({"parent": _("Only a province may have no parent region.")})
