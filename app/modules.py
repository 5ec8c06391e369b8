"""The portal's modules, plugged into the core: importing this module imports each module's
`contributions.py`, which registers what the module adds to the shared parts:

- ward contents (`app/places/ward_contents.py`: counts per ward and lists on ward pages),
- live KPI sources (`app/reporting/live.py`),
- tasks and periodic jobs (`app/tasks.py`),
- to-do list sources (`app/todo.py`: what waits on each officer or group, on /account and in e-mails),
- demo data loaders (`app/demo.py`).

`create_app` imports this once. Blueprints and commands are registered in `app/__init__.py`.
The order below is the order of the ward contents on the ward pages and of the demo loaders (the CTN's
demo meetings use the assets' demo venues, so assets come before the CTN): keep it when adding a module.
"""

# isort: off
from .auth import contributions as auth  # noqa: F401
from .directory import contributions as directory  # noqa: F401
from .assets import contributions as assets  # noqa: F401
from .covenant import contributions as covenant  # noqa: F401
from .ctn import contributions as ctn  # noqa: F401
from .bulletins import contributions as bulletins  # noqa: F401
from .reporting import contributions as reporting  # noqa: F401
from .exchange import contributions as exchange  # noqa: F401
# isort: on
