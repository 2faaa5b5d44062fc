"""A request served again after its database connection was lost reads the same request: its form and its files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.test import RequestFactory

from config.database import ConnectionLostMiddleware


def connection_lost_once():
    lost = []

    def wrapper(execute, sql, params, many, context):
        if not lost:
            lost.append(sql)
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return wrapper


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_form_with_a_file_served_again_reads_the_whole_file_and_the_same_fields():
    seen = []
    failing = connection_lost_once()

    def view(request):
        seen.append((request.POST["unit"], request.FILES["sheet"].read()))
        try:
            with connection.execute_wrapper(failing), connection.cursor() as cursor:
                cursor.execute("SELECT 1")  # read only: the request wrote nothing before the connection went
        except OperationalError:
            return HttpResponseServerError()
        return HttpResponse("ok")

    upload = SimpleUploadedFile("records.csv", "日期,金额\n2026-12-01,88.00\n".encode(), content_type="text/csv")
    request = RequestFactory().post("/import/", {"unit": "桑植县人民医院", "sheet": upload})
    response = ConnectionLostMiddleware(view)(request)

    assert response.status_code == 200
    assert len(seen) == 2
    assert seen[1] == seen[0] == ("桑植县人民医院", "日期,金额\n2026-12-01,88.00\n".encode())
