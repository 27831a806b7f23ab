"""The one pagination every list of the API uses: ninja's limit/offset, with bounds.

ninja's `offset` has no upper bound: 2**63 passes validation and overflows the database's
integer (a server error). Bounded here, in the schema, an out-of-range value is a 422 with
the field named, and the published schema says what is accepted.
"""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

# Far beyond any list the API serves, far below every database's integer limit.
MAX_OFFSET = 10_000_000
DEFAULT_LIMIT = 100


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_OFFSET)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
