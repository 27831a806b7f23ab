from rkpk.core.selectors import Task
from rkpk.site import registry


def tasks_for(user) -> list[Task]:
    """Concrete things waiting for the user beyond the cycle's steps, as each app declares
    them (rkpk.site.registry): their unit's RK-PK to complete or a clarification to answer,
    a ministry RK-PK version to review or sign, complaints to delegate or answer, the
    binding request to confirm, satisfaction surveys of their units to fill in. At most one
    query per kind, only for the roles concerned."""
    return [task for tasks in registry.home_tasks() for task in tasks(user)]
