from decimal import Decimal

from accounts.models import User
from regions.models import Region
from reports.models import Unit

# (name, kind, level, region code, paired village codes, annual target, canteen budget, reserved %)
UNITS = [
    (
        "张家界市财政局",
        Unit.Kind.AGENCY,
        Unit.Level.CITY,
        "430800000000",
        ["430822101201", "430822101202"],
        "300000",
        "800000",
        "15",
    ),
]


def load():
    units = []
    for name, kind, level, region_code, villages, target, budget, share in UNITS:
        unit, _created = Unit.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "level": level,
                "region": Region.objects.get(code=region_code),
                "annual_target": Decimal(target),
                "canteen_budget": Decimal(budget),
                "reserved_share_percent": Decimal(share),
            },
        )
        unit.paired_villages.add(*Region.objects.filter(code__in=villages))
        units.append(unit)
    units[0].members.add(User.objects.get(email="unit@demo.cn"))
    return units
