"""`key__any_of=Keys(…)`: a foreign key among thousands of keys (a place's budget years),
written as one parameter however many keys there are.

`__in` writes a parameter per key that Django prepares, the driver binds and the server parses,
one by one: 6,400 keys took 31 ms on PostgreSQL as an IN list and 10 ms as an array, and SQLite
refuses more than 32,766 parameters (a province of the country has 42,000 budget years).
"""

from django.db.models import ForeignKey
from django.db.models.lookups import In


class Keys:
    """Keys handed to `__any_of` whole. Not iterable on purpose: Django checks each item of an
    iterable given to a relation against its model (`Query.check_related_objects`), 10 ms for
    42,000 keys and again for every query made of them."""

    __slots__ = ("keys",)

    def __init__(self, keys):
        self.keys = keys

    def joined(self) -> str:
        return ",".join(map(str, self.keys))  # keys the database gave: integers


@ForeignKey.register_lookup
class AnyOf(In):
    lookup_name = "any_of"

    def get_prep_lookup(self):
        return self.rhs  # keys read from the database, written as they are

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        array = f"%s::{self.lhs.output_field.db_type(connection)}[]"
        return f"{lhs} = ANY({array})", (*params, "{" + self.rhs.joined() + "}")

    def as_sqlite(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", (*params, "[" + self.rhs.joined() + "]")
