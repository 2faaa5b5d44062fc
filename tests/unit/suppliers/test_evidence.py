import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from suppliers.evidence import validate_evidence


def picture(size=(40, 30), fmt="PNG"):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return SimpleUploadedFile(f"licence.{fmt.lower()}", out.getvalue())


def refusal(upload):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        validate_evidence(upload)
    return excinfo.value.messages[0]


def test_a_licence_photo_and_a_pdf_letter_are_accepted():
    assert validate_evidence(picture(fmt="JPEG")) == "image"
    assert validate_evidence(SimpleUploadedFile("承诺书.pdf", b"%PDF-1.7\n...")) == "pdf"


def test_a_file_that_only_claims_to_be_a_picture_is_refused():
    assert "图片" in refusal(SimpleUploadedFile("licence.jpg", b"this is not a picture"))


def test_a_truncated_picture_is_refused():
    data = picture(fmt="JPEG").read()
    assert "图片" in refusal(SimpleUploadedFile("licence.jpg", data[: len(data) // 2]))


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.CERTIFICATION_EVIDENCE_MAX_BYTES = 100
    assert "最大" in refusal(picture())


def test_a_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    assert "像素" in refusal(picture(size=(100, 100)))


def test_a_gif_is_not_an_accepted_picture_format():
    assert "JPEG" in refusal(picture(fmt="GIF"))
