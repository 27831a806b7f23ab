from rkpk.core.selectors import Task
from rkpk.site import registry


def tasks_for(user) -> list[Task]:
    """Concrete things waiting for the user beyond the cycle's steps, as each app lists them
    (its `home_tasks`, in position order). Each app asks at most one query per kind of task,
    and only of the roles concerned."""
    return [task for tasks in registry.home_tasks() for task in tasks(user)]
