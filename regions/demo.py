"""Demo regions: Hunan, three of its cities, their counties, and a few townships and villages.

City and county codes are the official ones; township and village codes are illustrative.
"""

from pathlib import Path

from regions.models import Region, level_of_code
from regions.services import regions_import_csv

# Hunan's province, its fourteen cities and prefectures and the counties of several of them (GB/T 2260 codes): enough
# for the address picker to offer real choices. `manage.py load_regions` loads any list of the same shape.
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
# township code -> (name, [(village code suffix, village name), ...])
TOWNSHIPS = {
    "430802101000": ("王家坪镇", [("201", "石堰坪村"), ("202", "马头溪村")]),
    "430802102000": ("罗塔坪乡", [("201", "长坪村")]),
    "430811101000": ("协和乡", [("201", "龙尾巴村")]),
    "430821101000": ("江垭镇", [("201", "仁和村"), ("202", "三眼泉村")]),
    "430822101000": ("瑞塔铺镇", [("201", "合群村"), ("202", "苦竹坪村")]),
    "430822102000": ("洪家关白族乡", [("201", "泉峪村")]),
    "433123101000": ("廖家桥镇", [("201", "菖蒲塘村")]),
    "433124101000": ("双龙镇", [("201", "十八洞村")]),
    "433125101000": ("吕洞山镇", [("201", "黄金村"), ("202", "夯沙村")]),
    "433126101000": ("默戎镇", [("201", "翁草村")]),
    "433127101000": ("芙蓉镇", [("201", "列夕村")]),
    "431125101000": ("夏层铺镇", [("201", "上洞村")]),
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
        for suffix, village_name in villages:
            put(code[:9] + suffix, village_name, township)
    return Region.objects.count()


def load_code_list():
    with HUNAN_CODE_LIST.open("rb") as stream:
        return regions_import_csv(stream=stream)
