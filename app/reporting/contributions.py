"""What the quarterly report adds to the core: its demo data (its live KPI sources are in live.py; other
modules register theirs in their own contributions.py)."""

from ..demo import register_demo_loader
from .demo import load_demo

register_demo_loader(load_demo)
