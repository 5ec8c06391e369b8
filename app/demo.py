"""The registry of demo data loaders, run by `flask seed demo` after the wards, vocabularies, directory
organisations and accounts (seed/loader.py). Each module registers its own in its `contributions.py`::

    register_demo_loader(load_demo)

A loader takes no arguments, loads its records from the council papers (skipping any already there) and
returns a one-line summary for the console. Loaders run in the order they are registered.
"""

DEMO_LOADERS = []


def register_demo_loader(function):
    if function not in DEMO_LOADERS:
        DEMO_LOADERS.append(function)
    return function


def demo_loaders():
    return list(DEMO_LOADERS)
