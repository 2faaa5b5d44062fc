"""The platform operator's list of background tasks that failed, and running one again."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import RETRY_TASKS, permission_required
from operations import selectors, services


@permission_required(RETRY_TASKS)
def failed_task_list(request):
    return render(
        request,
        "workbench/failed_tasks.html",
        {
            "tasks": selectors.failed_tasks(),
            "database_backend": selectors.database_backend() is not None,
        },
    )


@permission_required(RETRY_TASKS)
@require_POST
def failed_task_retry(request, task_id):
    try:
        services.task_retry(task_id=task_id, user=request.user)
    except services.TaskNotRetryable as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The task was queued again; a worker runs it shortly."))
    return redirect("workbench:failed-tasks")
