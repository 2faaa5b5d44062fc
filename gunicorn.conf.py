"""gunicorn settings for the shop; gunicorn reads this file from the directory it starts in.

Workers, bind address and logging are given on the command line (docker/Dockerfile, bench/pages.py).
"""

import gc


def post_worker_init(worker):
    # What loading Django, Oscar and Wagtail created (some 450,000 objects) lives as long as the worker. Frozen, it is
    # left out of the cyclic garbage collector's full collections, which otherwise walk all of it: a pause of about
    # 200 ms every few thousand requests, shorter than 3 ms once frozen.
    gc.collect()
    gc.freeze()


def worker_exit(server, worker):
    # The product views this worker has counted and not yet handed to the task queue (shop.analytics.receivers).
    from shop.analytics.receivers import tally

    tally.flush()
