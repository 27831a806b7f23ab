"""Writes of the organisation: units, officials, accounts, role assignments, imports.

Every function takes keyword arguments only, `actor` first, runs in one transaction,
validates (raising `ValidationError` keyed by field) and records an audit event for
each change.
"""

from rkpk.organisation.services.accounts import (
    add_role,
    create_user,
    remove_role,
    set_password,
    update_user,
)
from rkpk.organisation.services.base import (
    HEADSHIP_FIELDS,
    OFFICIAL_FIELDS,
    ROLE_FIELDS,
    UNIT_FIELDS,
    USER_FIELDS,
)
from rkpk.organisation.services.headships import (
    end_headship,
    record_headship,
)
from rkpk.organisation.services.imports import (
    ImportCounts,
    import_officials,
    import_units,
)
from rkpk.organisation.services.units import (
    activate_unit,
    create_official,
    create_unit,
    deactivate_unit,
    delete_unit,
    update_official,
    update_unit,
)

__all__ = [
    "UNIT_FIELDS",
    "OFFICIAL_FIELDS",
    "HEADSHIP_FIELDS",
    "USER_FIELDS",
    "ROLE_FIELDS",
    "create_unit",
    "update_unit",
    "deactivate_unit",
    "activate_unit",
    "delete_unit",
    "create_official",
    "update_official",
    "record_headship",
    "end_headship",
    "create_user",
    "update_user",
    "set_password",
    "add_role",
    "remove_role",
    "ImportCounts",
    "import_units",
    "import_officials",
]
