from django.db import connection
from django.http import HttpRequest, JsonResponse

from shuxiang.accounts.access import public


@public
def health(request: HttpRequest) -> JsonResponse:
    """For a monitor or a load balancer: the app answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
