"""Modules plug into the shared parts through registries (app/modules.py imports each contributions.py)."""

import threading

import pytest
from flask import current_app

from app.demo import demo_loaders
from app.places.ward_contents import contents
from app.reporting.live import SOURCES
from app.tasks import TASKS, app_task, enqueue


@app_task("tests.which_app")
def which_app():
    return current_app.config["ENV_NAME"]


def test_each_module_registers_its_ward_contents_sources_tasks_and_demo_data(app):
    # In the order of app/modules.py: that is the order of the ward page's sections.
    assert [c.key for c in contents()] == ["organisations", "serving", "assets", "signatories", "meetings", "members"]
    assert {"ctn_meetings_held", "directory_category_count", "directory_organisations"} <= set(SOURCES)
    assert {
        "bulletins.send",
        "bulletins.send_emergency",
        "directory.import",
        "directory.send_verification_reminder",
    } <= set(TASKS)
    # The assets' demo venues load before the CTN's demo meetings that use them.
    modules = [loader.__module__ for loader in demo_loaders()]
    assert modules.index("app.assets.demo") < modules.index("app.ctn.demo")


def test_a_task_runs_in_the_app_of_its_process_outside_any_request(app):
    """As in `flask tasks worker`: the worker thread has no app context of its own."""
    answer = []
    worker = threading.Thread(target=lambda: answer.append(which_app.call_local()))
    worker.start()
    worker.join(10)
    assert answer == ["testing"]


def test_enqueue_runs_a_task_by_its_name_and_names_an_unknown_one(app):
    assert enqueue("tests.which_app")() == "testing"  # TASKS_IMMEDIATE: run at once, result ready
    with pytest.raises(LookupError, match="no task is registered as 'tests.nothing'"):
        enqueue("tests.nothing")


def test_a_task_name_is_registered_once():
    with pytest.raises(ValueError, match="already registered"):
        app_task("tests.which_app")(lambda: None)
