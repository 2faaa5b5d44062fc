from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from search.backends import get_backend


class IndexNotUpdated(Exception):
    pass


@task()
def search_send(product_ids, attempt=1):
    """Send changed products to the Elasticsearch index; products the cluster refused are tried again later."""
    failed = get_backend().send(product_ids)
    if not failed:
        return 0
    if attempt >= settings.SEARCH_SEND_MAX_ATTEMPTS:
        # Left failed for the operator to see; the next change to these products, or `search_index`, sends them.
        raise IndexNotUpdated(
            _("The search service did not take products %(ids)s after %(attempts)s attempts.")
            % {"ids": "、".join(str(pk) for pk in failed), "attempts": attempt}
        )
    delay = timedelta(seconds=min(settings.SEARCH_SEND_RETRY_SECONDS * 2 ** (attempt - 1), 3600))
    search_send.using(run_after=timezone.now() + delay).enqueue(product_ids=failed, attempt=attempt + 1)
    return len(failed)
