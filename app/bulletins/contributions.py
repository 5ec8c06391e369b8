"""What bulletins add to the core: the sending tasks and the every-minute job, and the demo data."""

from ..demo import register_demo_loader
from . import tasks  # noqa: F401  (registers the sending tasks and the periodic job)
from .demo import load_demo

register_demo_loader(load_demo)
