"""Latency of the database search backend with a large catalogue, beside a plain title query on the same rows.

Loads --products certified products (default 50,000) into a fresh database (PostgreSQL when DATABASE_URL is set,
else SQLite in a temporary folder), builds the search index, then runs --queries mixed queries (Chinese words,
pinyin, two-word queries, with category, price and supplier-type filters) through the backend — each one the
result page's ids, the total and every facet, as the search page asks for them — and the same words as a plain
`title icontains` query on the product table. Prints median and 95th-percentile latency of both, their ratio, and
the time to build an Elasticsearch request body for the same queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/search.py
    .venv/bin/python bench/search.py --products 5000        # SQLite, smaller
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import fresh_database, manage  # noqa: E402

TARGET_MEDIAN_MS = 100
WORDS = ["白茶", "黄金茶", "猕猴桃", "腊肉", "山茶油", "莓茶", "柚", "香米", "葛根", "七星椒"]
PINYIN = ["baicha", "sangzhi", "mihoutao", "larou", "xiangmi", "hjc"]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def mixed_queries(count, category_ids):
    from search.backends.base import SORTS, SearchQuery

    rng = random.Random(2020)
    queries = []
    for n in range(count):
        kind = n % 5
        if kind == 0:
            text = rng.choice(WORDS)
        elif kind == 1:
            text = rng.choice(PINYIN)
        elif kind == 2:
            text = f"{rng.choice(['桑植', '保靖', '湘西', '张家界'])} {rng.choice(WORDS)}"
        else:
            text = rng.choice(WORDS)
        queries.append(
            SearchQuery(
                text=text,
                category_ids=(rng.choice(category_ids),) if kind == 3 else (),
                price_range=rng.randrange(4) if kind == 4 else None,
                supplier_type="enterprise" if kind == 4 else "",
                sort=rng.choice(SORTS),
                page=1 + (n % 3 == 0),
            )
        )
    return queries


def timed(function, items):
    times = []
    for item in items:
        start = time.perf_counter()
        function(item)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="xfbsc-bench-search-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.bench",
        DATABASE_URL=fresh_database(workdir),
        MEDIA_ROOT=str(workdir / "media"),
        SEARCH_BACKEND="search.backends.database.DatabaseBackend",
    )
    engine = "PostgreSQL" if os.environ["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"# bench/search.py on {engine}: {args.products} products, {args.queries} queries", flush=True)
    manage("migrate", "--noinput")

    import django

    django.setup()
    from django.db import connection
    from oscar.core.loading import get_model

    from bench.catalogue_data import ensure_products
    from search.backends import get_backend
    from search.backends.elasticsearch import ElasticsearchBackend

    start = time.perf_counter()
    ensure_products(args.products)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    searchable = get_backend().rebuild()
    indexed = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"loaded {args.products} products in {loaded:.1f} s; indexed {searchable} in {indexed:.1f} s")

    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    queries = mixed_queries(args.queries, list(Category.objects.values_list("pk", flat=True)))
    backend = get_backend()

    def plain(query):
        word = query.text.split()[-1]
        list(Product.objects.filter(title__icontains=word).values_list("pk", flat=True)[:24])

    def full(query):
        result = backend.search(query)
        assert result.total >= len(result.product_ids)

    es = ElasticsearchBackend(client=object())
    timed(full, queries[:10])  # warm caches and the connection
    baseline = timed(plain, queries)
    ours = timed(full, queries)
    bodies = timed(lambda q: es.build_search(q).to_dict(), queries)

    rows = [
        ("plain title icontains (baseline)", baseline),
        ("database backend: ids + total + facets", ours),
        ("Elasticsearch request body (no server)", bodies),
    ]
    print(f"{'':42} {'median ms':>10} {'p95 ms':>10} {'ratio':>8}")
    base_median = statistics.median(baseline)
    for name, values in rows:
        median = statistics.median(values)
        print(f"{name:42} {median:10.2f} {percentile(values, 0.95):10.2f} {median / base_median:8.2f}")
    median = statistics.median(ours)
    verdict = "met" if median < TARGET_MEDIAN_MS else "MISSED"
    print(f"target: database backend median under {TARGET_MEDIAN_MS} ms — {verdict} ({median:.1f} ms)")


if __name__ == "__main__":
    main()
