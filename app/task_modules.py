"""Imports every module that defines background tasks, so a worker knows them all."""
from .directory import tasks as directory_tasks  # noqa: F401
from .bulletins import tasks as bulletins_tasks  # noqa: F401
from .directory import importer as directory_importer  # noqa: F401  (the import task)
from .exchange import tasks as exchange_tasks  # noqa: F401  (feed imports and their hourly refresh)
