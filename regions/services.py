import csv
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regions.models import Region, level_of_code, normalise_code
from regions.selectors import forget_cached_children


class RegionImportError(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors))


def regions_import_csv(*, stream):
    """Load rows of (code, name, parent code); all rows or none. Returns (created, updated)."""
    text = stream.read()
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    if rows and not rows[0][0].strip().isdigit():
        rows = rows[1:]
    errors = []
    parsed = []
    seen = {}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 2:
            errors.append(_("Row %(row)s: expected code, name and parent code.") % {"row": number})
            continue
        code = normalise_code(row[0])
        name = row[1].strip()
        parent_code = normalise_code(row[2]) if len(row) > 2 and row[2].strip() else ""
        if not (code.isdigit() and len(code) == 12) or level_of_code(code) is None:
            errors.append(_("Row %(row)s: “%(code)s” is not a 12-digit region code.") % {"row": number, "code": row[0]})
            continue
        if not name:
            errors.append(_("Row %(row)s: the name is empty.") % {"row": number})
            continue
        seen[code] = number
        parsed.append((number, code, name, parent_code))
    known = set(Region.objects.filter(code__in=[p for *_x, p in parsed if p]).values_list("code", flat=True))
    for number, _code, _name, parent_code in parsed:
        if parent_code and parent_code not in known and parent_code not in seen:
            errors.append(
                _("Row %(row)s: the parent code %(parent)s is unknown.") % {"row": number, "parent": parent_code}
            )
    if errors:
        raise RegionImportError(errors)

    created = updated = 0
    with transaction.atomic():
        # Every region the rows name, read once: a list of thousands loads in one pass, and again without a write.
        wanted = {code for _n, code, _name, _p in parsed} | {p for *_x, p in parsed if p}
        by_code = {region.code: region for region in Region.objects.filter(code__in=wanted)}
        # Parents first: a shorter significant prefix sorts before its children.
        for number, code, name, parent_code in sorted(parsed, key=lambda p: (len(p[1].rstrip("0")), p[1])):
            parent = by_code[parent_code] if parent_code else None
            region = by_code.get(code) or Region(code=code)
            is_new = region.pk is None
            level = level_of_code(code)
            if not is_new and (region.name, region.parent_id, region.level) == (name, parent and parent.pk, level):
                updated += 1
                continue
            region.name, region.parent, region.level = name, parent, level
            try:
                # The code is unique by construction (looked up above, or new); the parent was read above.
                region.full_clean(exclude=["parent"], validate_unique=False)
            except ValidationError as exc:
                raise RegionImportError(
                    [_("Row %(row)s: %(error)s") % {"row": number, "error": "; ".join(exc.messages)}]
                ) from exc
            region.save()
            by_code[code] = region
            created += is_new
            updated += not is_new
        transaction.on_commit(forget_cached_children)
    return created, updated
