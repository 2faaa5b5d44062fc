"""Related rows already known (from the cache, or known to be none) handed to instances as a prefetch would.

For reverse foreign keys (a product's images, a basket line's options). `instance.<name>.all()` then answers without a
query; the filtered queryset behind it is built only if something chains a query on it.
"""

from config.prepared import EvaluatedQuerySet


class _Related(EvaluatedQuerySet):
    """Related rows handed over, or to be fetched for a whole group of instances at the first use of any of them."""

    _group = None

    def _load_group(self):
        if self._result_cache is None and self._group is not None:
            self._group.load()

    def _fetch_all(self):
        self._load_group()
        super()._fetch_all()

    # Django answers these without _fetch_all() when the rows are there, and with a query of its own otherwise.
    def __getitem__(self, k):
        self._load_group()
        return super().__getitem__(k)

    def count(self):
        self._load_group()
        return super().count()

    def exists(self):
        self._load_group()
        return super().exists()


def _related(instance, name):
    descriptor = getattr(type(instance), name)
    related = _Related(model=descriptor.rel.related_model, using=instance._state.db)

    def build():
        # The related manager's own queryset, without the rows handed over that it would otherwise return.
        manager = getattr(instance, name)
        return manager._apply_rel_filters(super(type(manager), manager).get_queryset())

    related._build, related._prefetch_done = build, True
    cache_name = descriptor.field.remote_field.cache_name
    instance._prefetched_objects_cache = {**getattr(instance, "_prefetched_objects_cache", {}), cache_name: related}
    return related


def set_prefetched(instance, name, items):
    """Make `instance.<name>.all()` return `items` without a query, as `prefetch_related(name)` does."""
    _related(instance, name)._result_cache = list(items)


class _Group:
    def __init__(self, members, load):
        self.members, self._load, self.loaded = members, load, False

    def load(self):
        if self.loaded:
            return
        self.loaded = True
        rows = self._load([instance for instance, _related in self.members])
        for instance, related in self.members:
            related._result_cache = list(rows.get(instance.pk, []))


def set_prefetched_later(instances, name, load):
    """Like set_prefetched, but the rows are fetched only when first used, for all `instances` at once.

    `load(instances)` returns {instance pk: rows}. A page that never looks at the rows (because what shows them comes
    from the cache) does not pay for them; one that does pays once, not once per instance.
    """
    members = [(instance, _related(instance, name)) for instance in instances]
    group = _Group(members, load)
    for _instance, related in members:
        related._group = group
