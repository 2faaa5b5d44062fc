import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from suppliers.evidence import JPEG, PDF, validate_evidence
from tests.factories import pdf_upload


def picture(size=(40, 30), fmt="PNG"):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return SimpleUploadedFile(f"licence.{fmt.lower()}", out.getvalue())


def picture_named(name):
    upload = picture()
    upload.name = name
    return upload


def refusal(upload):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        validate_evidence(upload)
    return excinfo.value.messages[0]


def test_a_licence_photo_and_a_pdf_letter_are_accepted():
    assert validate_evidence(picture(fmt="JPEG")) == JPEG
    assert validate_evidence(pdf_upload()) == PDF


def test_a_file_that_only_claims_to_be_a_picture_is_refused():
    assert "不是可读取的 JPEG、PNG、PDF 文件" in refusal(SimpleUploadedFile("licence.jpg", b"this is not a picture"))


def test_a_truncated_picture_is_refused():
    data = picture(fmt="JPEG").read()
    assert "不是可读取的" in refusal(SimpleUploadedFile("licence.jpg", data[: len(data) // 2]))


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.CERTIFICATION_EVIDENCE_MAX_BYTES = 100
    assert "最大" in refusal(picture())


def test_a_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    assert "像素" in refusal(picture(size=(100, 100)))


def test_a_gif_is_not_an_accepted_picture_format():
    assert "JPEG" in refusal(picture(fmt="GIF"))


def test_a_file_named_html_that_starts_like_a_pdf_is_refused():
    fake = SimpleUploadedFile("licence.html", b"%PDF-1.4\n<html><script>alert(1)</script></html>")
    assert refusal(fake) == "该文件不是可读取的 JPEG、PNG、PDF 文件，未予接收。"


def test_a_real_pdf_whose_name_says_html_is_refused_for_its_name():
    assert refusal(pdf_upload("承诺书.html")) == "该文件实为 PDF 文件，文件名须以 .pdf 结尾。"


def test_a_picture_whose_name_claims_another_type_is_refused():
    assert ".png" in refusal(picture_named("licence.jpg"))


def test_a_pdf_that_only_starts_like_one_is_refused():
    assert "不是可读取的" in refusal(SimpleUploadedFile("承诺书.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"))


def test_a_password_protected_pdf_is_refused():
    assert "密码" in refusal(pdf_upload(password="secret"))
