"""What accounts add to the core: the periodic jobs that e-mail officers about their to-do lists."""

from . import tasks  # noqa: F401  (registers the jobs)
