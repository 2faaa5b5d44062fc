"""Demo data for the operator: a search-index update that gave up while the search service was away."""

from django.apps import apps
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

# Named by path: this layer lists every domain's tasks without importing them.
TASK_PATH = "search.tasks.search_send"


def load():
    """Idempotent: one failed run, listed under 失败的后台任务; running it again sends the products to the index."""
    if DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.FAILED).exists():
        return
    product_ids = list(apps.get_model("catalogue", "Product").objects.order_by("pk").values_list("pk", flat=True)[:3])
    attempts = 3
    run = DBTaskResult.objects.create(
        task_path=TASK_PATH,
        args_kwargs={"args": [], "kwargs": {"product_ids": product_ids, "attempt": attempts}},
        backend_name="default",
        run_after=get_date_max(),
    )
    run.claim("demo")
    ids = "、".join(str(pk) for pk in product_ids)
    run.set_failed(ConnectionError(f"无法连接搜索服务（连接超时），商品 {ids} 的索引未更新。"))
