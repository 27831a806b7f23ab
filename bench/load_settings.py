"""Settings of the load benchmark (bench/load.py): the application's own, with a URL
configuration that adds the bare floor view, so production code carries no benchmark route."""

from rkpk.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
