"""A task that holds the worker's database connection across a pause, for the connection-loss test."""

import time

from django.db import connection
from django_tasks import task


@task()
def pause_between_queries(seconds):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    time.sleep(seconds)  # the database server closes the connection meanwhile
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
