"""Checks on the evidence files of a certification application: licence photos and commitment letters."""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
PDF_MAGIC = b"%PDF-"


def validate_evidence(upload):
    """Accept a JPEG/PNG/WebP image that Pillow can fully decode, or a PDF; refuse anything else with a reason."""
    limit = settings.CERTIFICATION_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; evidence files may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC:
        return "pdf"
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
        raise ValidationError(
            _("The file is neither a readable picture (JPEG, PNG, WebP) nor a PDF."), code="unreadable"
        ) from None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(_("Pictures must be JPEG, PNG or WebP."), code="format")
    return "image"
