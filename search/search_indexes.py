from oscar.apps.search.search_indexes import ProductIndex  # noqa: F401  (Haystack only indexes what this module names)
