import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from suppliers.evidence import CSV, CSV_SAMPLE_BYTES, IMPORT_TYPES, JPEG, PDF, validate_evidence, verify_upload
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


@pytest.mark.parametrize("inside", [1, 2])
def test_a_long_chinese_csv_is_accepted_wherever_its_sample_ends_inside_a_character(inside):
    # The type check reads the first 64 KiB; in a Chinese UTF-8 file longer than that the sample mostly ends inside
    # a three-byte character, and such files were refused as "not a readable CSV file".
    row = "2026-12-01,430822101201,向大爷,腊肉,肉禽蛋,移动支付\n".encode()
    header = "购买日期,村代码,销售方,商品,分类,付款方式".encode()
    rows = row * (CSV_SAMPLE_BYTES // len(row) + 10)
    # Pad the header so that the 64 KiB boundary falls `inside` bytes into the "移" of a row.
    boundary_char = rows.index("移".encode(), CSV_SAMPLE_BYTES - len(header) - 200)
    pad = CSV_SAMPLE_BYTES - len(header) - 1 - boundary_char - inside
    data = header + b"x" * (pad % len(row)) + b"\n" + rows
    assert data[:CSV_SAMPLE_BYTES].endswith("移".encode()[:inside])
    upload = SimpleUploadedFile("导入.csv", data, content_type="text/csv")
    assert verify_upload(upload, allowed=IMPORT_TYPES, max_bytes=20 * 2**20) == CSV
