"""Page speed of the shop under load, with the SQL queries each page issues.

Loads certified products into a fresh database (SQLite in a temporary folder, or PostgreSQL when DATABASE_URL is set),
serves the project with gunicorn (2 sync workers) on 127.0.0.1 and drives each page with wrk (or a Python client when
wrk is missing): 4 connections, --duration seconds per URL, the bare view and each page alternating over --rounds
rounds. Prints requests per second, median and p99 latency, non-2xx answers and each page's ratio to the bare view,
then the queries per page with 20, 100 and 1,000 products.

    .venv/bin/python bench/pages.py                                  # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pages.py   # PostgreSQL
"""

import argparse
import http.client
import http.cookiejar
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGES = ["home", "catalogue", "category", "product", "search", "basket"]
TARGETS = {"home": 0.05, "catalogue": 0.05, "category": 0.05, "product": 0.06, "search": 0.05, "basket": 0.08}
SIZES = [20, 100, 1000]


def fresh_database(workdir):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    from bench.common import fresh_postgres_database

    # Its own name per checkout when several run at once: the database is dropped and created afresh.
    return fresh_postgres_database(os.environ.get("BENCH_DATABASE_NAME", "xfbsc_bench"))


def manage(*args):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def rebuild_search_index():
    from django.core.management import call_command

    call_command("search_index", verbosity=0)


def page_urls():
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    product = Product.objects.filter(upc__startswith="B").order_by("upc").first()
    category = Category.objects.filter(depth=1).order_by("path").first()
    return {
        "bare": "/bench/bare/",
        "home": "/",
        "catalogue": "/shop/catalogue/",
        "category": category.get_absolute_url(),
        "product": product.get_absolute_url(),
        "search": "/shop/search/?q=" + urllib.parse.quote("白茶"),
        "basket": "/shop/basket/",
    }


def basket_products():
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    return list(Product.objects.filter(upc__startswith="B").order_by("upc").values_list("pk", flat=True)[:3])


def count_queries(urls):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # Pages are measured as the load test requests them: the basket with its three lines, the others anonymous.
    shopper, visitor = Client(), Client()
    for pk in basket_products():
        shopper.post(f"/shop/basket/add/{pk}/", {"quantity": 1})
    counts = {}
    for name in PAGES:
        client = shopper if name == "basket" else visitor
        client.get(urls[name])
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(urls[name])
        counts[name] = (len(ctx.captured_queries), response.status_code)
    return counts


def wait_for(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def basket_cookie(base):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base + "/shop/catalogue/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    for pk in basket_products():
        data = urllib.parse.urlencode({"quantity": 1, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(base + f"/shop/basket/add/{pk}/", data=data, headers={"Referer": base + "/"})
        opener.open(request).read()
    # As a browser would: the basket page shows the "added" messages once and deletes their cookie; later views of
    # the basket (what the load test repeats) no longer carry them.
    opener.open(base + "/shop/basket/").read()
    assert not any(c.name == "messages" for c in jar)
    # What the load test will repeat is a basket of three lines, not an empty one.
    html = opener.open(base + "/shop/basket/").read().decode()
    lines = re.search(r'name="[\w-]+-TOTAL_FORMS" value="(\d+)"', html)
    assert lines and lines.group(1) == "3", "the benchmark basket does not hold three lines"
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def run_wrk(url, seconds, connections, cookie):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*timeout (\d+)", out)
    return {
        "rps": rps,
        "p50": to_ms(lat.get("50", "0ms")),
        "p99": to_ms(lat.get("99", "0ms")),
        "bad": int(bad.group(1)) if bad else 0,
        "timeouts": int(errors.group(1)) if errors else 0,
    }


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_python_client(url, seconds, connections, cookie):
    parsed = urllib.parse.urlparse(url)
    path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    latencies, bad = [], [0]
    deadline = time.monotonic() + seconds
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
        headers = {"Cookie": cookie} if cookie else {}
        while time.monotonic() < deadline:
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                bad[0] += not 200 <= response.status < 300

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "rps": len(latencies) / seconds,
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
        "bad": bad[0],
        "timeouts": 0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=15, help="seconds per URL and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=PAGES, help="the pages to load (all by default)")
    args = parser.parse_args()
    pages = args.pages

    workdir = Path(tempfile.mkdtemp(prefix="xfbsc-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.bench",
        DATABASE_URL=fresh_database(workdir),
        MEDIA_ROOT=str(workdir / "media"),
    )
    engine = "PostgreSQL" if os.environ["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"# bench/pages.py on {engine}; migrating a fresh database …", flush=True)
    manage("migrate", "--noinput")

    import django

    django.setup()
    from bench.catalogue_data import ensure_products
    from cms import demo as cms_demo

    cms_demo.load()
    queries = {}
    for size in SIZES:
        ensure_products(size)
        rebuild_search_index()
        urls = page_urls()
        queries[size] = count_queries(urls)
    from django.db import connections

    connections.close_all()

    base = f"http://127.0.0.1:{args.port}"
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        wait_for(args.port)
        cookie = basket_cookie(base)
        load = run_wrk if shutil.which("wrk") else run_python_client
        print(
            f"# load: {'wrk' if load is run_wrk else 'Python client'}, {args.connections} connections, "
            f"{args.duration} s per URL, {args.rounds} rounds, 1,000 products",
            flush=True,
        )
        for name, path in urls.items():
            with urllib.request.urlopen(base + path if name != "basket" else base + "/bench/bare/") as response:
                assert response.status == 200, (name, response.status)
        results = {name: [] for name in urls}
        ratios = {name: [] for name in pages}
        for round_number in range(1, args.rounds + 1):
            for name in pages:
                bare = load(base + urls["bare"], args.duration, args.connections, cookie)
                page = load(base + urls[name], args.duration, args.connections, cookie if name == "basket" else None)
                results["bare"].append(bare)
                results[name].append(page)
                ratios[name].append(page["rps"] / bare["rps"])
                print(
                    f"  round {round_number} {name:<10} {page['rps']:8.1f} req/s   bare {bare['rps']:8.1f} req/s   "
                    f"ratio {ratios[name][-1]:.3f}",
                    flush=True,
                )
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)

    print()
    print(
        f"{'page':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'ratio':>7} {'target':>7}   "
        + "  ".join(f"q@{s}" for s in SIZES)
    )
    for name in ["bare", *pages]:
        runs = results[name]
        rps = statistics.median(r["rps"] for r in runs)
        p50 = statistics.median(r["p50"] for r in runs)
        p99 = statistics.median(r["p99"] for r in runs)
        bad = sum(r["bad"] + r["timeouts"] for r in runs)
        ratio = f"{statistics.median(ratios[name]):.3f}" if name in ratios else "1.000"
        target = f"{TARGETS[name]:.2f}" if name in TARGETS else ""
        counts = "  ".join(f"{queries[s][name][0]:>5}" if name in PAGES else "    -" for s in SIZES)
        print(f"{name:<10} {rps:9.1f} {p50:8.1f} {p99:8.1f} {bad:8d} {ratio:>7} {target:>7}   {counts}")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
