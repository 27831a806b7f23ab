"""What the apps declare on their AppConfig for the site to collect.

An app lists `(position, dotted path)` pairs in a class attribute of its AppConfig:

- `home_tasks`: callables `(user) -> list[rkpk.core.selectors.Task]`, the things waiting for
  the user that the home page lists;
- `daily_jobs`: background tasks (django_tasks) that `rkpk run_scheduled` queues.

The site orders each kind by position over all installed apps; the positions fix the order
on the page and in the queue.
"""

from django.apps import apps
from django.utils.module_loading import import_string


def collected(attribute: str) -> list:
    """The objects every installed app declares under `attribute`, in position order."""
    entries = [
        (position, path)
        for config in apps.get_app_configs()
        for position, path in getattr(config, attribute, ())
    ]
    return [import_string(path) for _position, path in sorted(entries)]


def home_tasks() -> list:
    return collected("home_tasks")


def daily_jobs() -> list:
    return collected("daily_jobs")
