from django.urls import path

from workbench import failed_tasks, views

app_name = "workbench"

urlpatterns = [
    path("", views.todo, name="todo"),
    path("failed-tasks/", failed_tasks.failed_task_list, name="failed-tasks"),
    path("failed-tasks/<uuid:task_id>/retry/", failed_tasks.failed_task_retry, name="failed-task-retry"),
]
