"""Checks that an uploaded file is what it claims to be: certification evidence, receipts and import spreadsheets.

A file is accepted only when its content is decoded as one of the types its field allows and its name ends with that
type's extension; what is stored and served afterwards follows the detected type, never the upload's own claims.
"""

import codecs
import csv
import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    extension: str
    content_type: str
    extensions: tuple[str, ...]
    inline: bool = False


PNG = FileType("png", "PNG", ".png", "image/png", (".png",), inline=True)
JPEG = FileType("jpeg", "JPEG", ".jpg", "image/jpeg", (".jpg", ".jpeg"), inline=True)
PDF = FileType("pdf", "PDF", ".pdf", "application/pdf", (".pdf",), inline=True)
XLSX = FileType(
    "xlsx", "Excel (.xlsx)", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
CSV = FileType("csv", "CSV", ".csv", "text/csv", (".csv",))
TYPES = {file_type.key: file_type for file_type in (PNG, JPEG, PDF, XLSX, CSV)}
BY_EXTENSION = {extension: file_type for file_type in TYPES.values() for extension in file_type.extensions}
# Served for a stored file whose type could not be established (one kept from before uploads were verified).
UNKNOWN = FileType("unknown", "?", "", "application/octet-stream", ())

EVIDENCE_TYPES = (JPEG, PNG, PDF)
RECEIPT_TYPES = (JPEG, PNG, PDF)
IMPORT_TYPES = (XLSX, CSV)

PDF_MAGIC = b"%PDF-"
PILLOW_FORMATS = {"JPEG": JPEG, "PNG": PNG}


def type_of_stored(name):
    """The type of a stored file, from the extension it was given when its content was verified."""
    return BY_EXTENSION.get(PurePath(name or "").suffix.lower(), UNKNOWN)


def verify_upload(upload, *, allowed, max_bytes):
    """The type of `upload` among `allowed`, established from its content; ValidationError with the reason if not."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; files here may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    accepted = "、".join(file_type.label for file_type in allowed)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        detected = detect(upload, head, allowed)
    finally:
        upload.seek(0)
    if detected is None:
        raise ValidationError(
            _("The file is not a readable file of an accepted type (%(types)s).") % {"types": accepted},
            code="unreadable",
        )
    if PurePath(upload.name or "").suffix.lower() not in detected.extensions:
        raise ValidationError(
            _("The file is a %(type)s file; its name must end in %(extension)s.")
            % {"type": detected.label, "extension": detected.extension},
            code="extension",
        )
    return detected


def detect(upload, head, allowed):
    if head.startswith(PDF_MAGIC):
        return check_pdf(upload) if PDF in allowed else None
    if XLSX in allowed and head.startswith(b"PK\x03\x04"):
        return check_xlsx(upload)
    if set(allowed) & {JPEG, PNG}:
        picture = check_picture(upload)
        if picture is not None:
            return picture if picture in allowed else None
    if CSV in allowed:
        return check_csv(upload)
    return None


def check_picture(upload):
    try:
        with warnings.catch_warnings():
            # A picture of more pixels than Pillow's limit is a decompression bomb: treat the warning as an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The picture is too large in pixels to be processed safely."), code="bomb") from None
    except Exception:
        return None
    if image_format not in PILLOW_FORMATS:
        raise ValidationError(_("Pictures must be JPEG or PNG."), code="format")
    return PILLOW_FORMATS[image_format]


def check_pdf(upload):
    try:
        reader = PdfReader(upload, strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception:
        return None
    if encrypted:
        # A reviewer cannot open a letter locked with a password the supplier never gave the office.
        raise ValidationError(_("The PDF is protected by a password; upload it without protection."), code="encrypted")
    return PDF if pages else None


def check_xlsx(upload):
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return XLSX if {"[Content_Types].xml", "xl/workbook.xml"} <= names else None


CSV_SAMPLE_BYTES = 64 * 1024


def check_csv(upload):
    data = upload.read(CSV_SAMPLE_BYTES)
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        # The sample of a longer file may end inside a multi-byte character: a non-final incremental decode leaves
        # such a tail undecoded instead of refusing the file.
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            text = decoder.decode(data, final=len(data) < CSV_SAMPLE_BYTES)
        except UnicodeDecodeError:
            continue
        try:
            next(csv.reader(io.StringIO(text)), None)
        except csv.Error:
            return None
        return CSV
    return None


def validate_evidence(upload):
    """Accept a licence picture or letter that is a real JPEG, PNG or PDF; refuse anything else with a reason."""
    return verify_upload(upload, allowed=EVIDENCE_TYPES, max_bytes=settings.CERTIFICATION_EVIDENCE_MAX_BYTES)
