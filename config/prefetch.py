"""Related rows already known (from the cache, or known to be none) handed to an instance as a prefetch would."""

from config.prepared import EvaluatedQuerySet


def set_prefetched(instance, name, items):
    """Make `instance.<name>.all()` return `items` without a query, as `prefetch_related(name)` does.

    For reverse foreign keys (a product's images, a basket line's options). The filtered queryset behind it is built
    only if something chains a query on it.
    """
    manager = getattr(instance, name)
    related = EvaluatedQuerySet(model=manager.model, using=instance._state.db)
    # The related manager's own queryset, without the prefetched rows it would otherwise return.
    related._build = lambda: manager._apply_rel_filters(super(type(manager), manager).get_queryset())
    related._result_cache, related._prefetch_done = list(items), True
    cache_name = manager.field.remote_field.cache_name
    instance._prefetched_objects_cache = {**getattr(instance, "_prefetched_objects_cache", {}), cache_name: related}
