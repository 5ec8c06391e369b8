"""What the exchange module adds to the core: feed imports as tasks, and their hourly refresh."""

from . import tasks  # noqa: F401  (registers the feed import task and the periodic refresh)
