"""Site-wide request guards that run before any view."""

from django.http import HttpResponseBadRequest


class RejectNulMiddleware:
    """A NUL byte in the path or the query string is never a county, a department or a filter:
    PostgreSQL refuses NUL in a text value, so such a request would end in a server error
    wherever it reached the database. It is answered 400 before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest("NUL byte in the request.", content_type="text/plain")
        return self.get_response(request)
