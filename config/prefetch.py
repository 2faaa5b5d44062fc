"""Related rows already known (from the cache, or known to be none) handed to an instance as a prefetch would."""


def set_prefetched(instance, name, items):
    """Make `instance.<name>.all()` return `items` without a query, as `prefetch_related(name)` does."""
    related = getattr(instance, name).all()
    related._result_cache, related._prefetch_done = list(items), True
    instance._prefetched_objects_cache = {**getattr(instance, "_prefetched_objects_cache", {}), name: related}
