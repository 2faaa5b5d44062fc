"""Querysets compiled to SQL once per database connection, then run again with new values.

Django turns a queryset into SQL on every evaluation. For a query with joins and annotations that costs more than
running it: the basket page's two queries took about three times as long to compile as to execute. `Prepared` keeps,
per connection, the compiler of a queryset built once with stand-in values, and runs its SQL again with each call's
values. Rows become model instances exactly as Django's own iteration makes them (objects from select_related,
annotations, related objects already known), and queries show in the connection's log as any other.

What a call returns is an evaluated queryset: iterating it, `len()`, `count()` and `exists()` use the rows fetched;
anything chained on it (`filter()`, `update()`, …) is built from the real values and compiled as usual.

Only for querysets whose shape never changes: the values given to a call go to the database as they are, so they must
already be of the field's type (an int for a primary key), and each stand-in must be a value the real ones can never
take, used nowhere else in the query.
"""

import copy
import weakref

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models.query import ModelIterable, QuerySet


class EvaluatedQuerySet(QuerySet):
    """A queryset whose rows are already fetched; its query is built only if something asks for it."""

    _build = None
    _shape_ordered = False

    @property
    def query(self):
        if self._build is not None:
            built, self._build = self._build(), None
            self._query, self._hints = built.query, built._hints
            self._known_related_objects = built._known_related_objects
        return QuerySet.query.fget(self)

    @query.setter
    def query(self, value):
        QuerySet.query.fset(self, value)

    @property
    def ordered(self):
        # Asked by model formsets before they use the rows: the prepared query's shape answers it.
        if self._build is not None:
            return self._shape_ordered
        return super().ordered


class _PreparedCompilerMixin:
    """A compiler that answers with the SQL compiled before and this call's parameters."""

    prepared = None
    converters = None

    def as_sql(self, *args, **kwargs):
        return self.prepared

    def get_converters(self, expressions):
        # The same columns every time: their converters are looked up once, when the query is compiled.
        return self.converters


_compiler_classes = {}


def _prepared_compiler_class(cls):
    if cls not in _compiler_classes:
        _compiler_classes[cls] = type("Prepared" + cls.__name__, (_PreparedCompilerMixin, cls), {})
    return _compiler_classes[cls]


class _Compiled:
    def __init__(self, prepared, connection):
        queryset = prepared.build(**prepared.stand_ins)
        self.model, self.db, self.ordered = queryset.model, queryset.db, queryset.ordered
        compiler = queryset.query.get_compiler(using=self.db, connection=connection)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        names = {repr(value): name for name, value in prepared.stand_ins.items()}
        self.slots = [(index, names[repr(param)]) for index, param in enumerate(self.params) if repr(param) in names]
        if sorted(name for _index, name in self.slots) != sorted(prepared.stand_ins):
            raise ImproperlyConfigured(f"{prepared!r}: each stand-in value must appear exactly once in {self.sql}")
        converters = compiler.get_converters([column[0] for column in compiler.select[0 : compiler.col_count]])
        compiler.__class__ = _prepared_compiler_class(type(compiler))
        compiler.converters = converters
        self.compiler = compiler


class _Run:
    """What Django's ModelIterable reads of a queryset, answering with the prepared compiler."""

    def __init__(self, compiled, compiler, known_related_objects):
        self.model, self.db, self.query = compiled.model, compiled.db, self
        self._compiler, self._known_related_objects = compiler, known_related_objects

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler


class Prepared:
    def __init__(self, build, **stand_ins):
        """`build(**values)` returns the queryset; `stand_ins` names each value and gives one it can never take."""
        self.build, self.stand_ins = build, stand_ins
        self._compiled = weakref.WeakKeyDictionary()

    def __repr__(self):
        return f"<Prepared {getattr(self.build, '__qualname__', self.build)}>"

    def __call__(self, *, using="default", known=None, **values):
        """The queryset built from `values`, evaluated. `known` maps foreign keys to an instance already loaded."""
        connection = connections[using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = _Compiled(self, connection)
        params = list(compiled.params)
        for index, name in compiled.slots:
            params[index] = values[name]
        compiler = copy.copy(compiled.compiler)
        compiler.prepared = (compiled.sql, tuple(params))
        known_related_objects = {
            compiled.model._meta.get_field(name): {instance.pk: instance} for name, instance in (known or {}).items()
        }
        rows = list(ModelIterable(_Run(compiled, compiler, known_related_objects)))
        result = EvaluatedQuerySet(model=compiled.model, using=compiled.db)
        result._build, result._shape_ordered = (lambda: self.build(**values)), compiled.ordered
        result._result_cache, result._prefetch_done = rows, True
        return result
