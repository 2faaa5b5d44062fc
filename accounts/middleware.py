from django.shortcuts import render

from accounts.errors import Refusal


class RefusalMiddleware:
    """A refusal that a view does not handle itself becomes the Chinese 403 or 400 page with its reason."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Refusal):
            return None
        templates = [f"{int(exception.status)}.html", "403.html"]
        return render(request, templates, {"exception": exception.user_message}, status=exception.status)
