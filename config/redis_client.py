"""The Redis client the cache uses (django-redis's REDIS_CLIENT_CLASS): after a connection error or a timeout it
leaves Redis alone for a while, so a Redis that hangs costs one timeout, not one per cache call."""

import threading
import time

import redis
from django.conf import settings


class CircuitBreaker:
    def __init__(self):
        self.lock = threading.Lock()
        self.open_until = 0.0

    def is_open(self):
        return time.monotonic() < self.open_until

    def trip(self, seconds):
        with self.lock:
            self.open_until = time.monotonic() + seconds

    def reset(self):
        with self.lock:
            self.open_until = 0.0


# One per process: every cache call of a gunicorn worker shares what the last one learnt.
breaker = CircuitBreaker()


class RedisLeftAlone(redis.ConnectionError):
    pass


class BreakerRedis(redis.Redis):
    def execute_command(self, *args, **options):
        if breaker.is_open():
            # django-redis takes this like any other connection error: a cache miss (IGNORE_EXCEPTIONS), at once.
            raise RedisLeftAlone("Redis is left alone after an error")
        try:
            return super().execute_command(*args, **options)
        except (redis.ConnectionError, redis.TimeoutError):
            breaker.trip(settings.REDIS_RETRY_AFTER)
            raise
