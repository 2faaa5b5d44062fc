"""A task that fails while the service it needs is away and succeeds once it is back, for the retry tests."""

from django_tasks import task

SERVICE = {"up": False, "runs": []}


@task(queue_name="imports", priority=5)
def flaky_sync(order_number, *, region_code):
    SERVICE["runs"].append((order_number, region_code))
    if not SERVICE["up"]:
        raise ConnectionError("对方系统暂时无法连接")
    return "synced"
