"""Helpers for tests that edit or register a listing through the task list, as a browser would."""

from .html import form_data, parse


def fill(client, url, changes=None, follow_redirects=False):
    """Open the task list page `url`, change some of its answers and send the form back."""
    page = client.get(url)
    assert page.status_code == 200, f"{url}: {page.status_code}"
    data = form_data(parse(page), "main form")
    data.update(changes or {})
    return client.post(url, data=data, follow_redirects=follow_redirects)


def edit(client, slug, page, changes=None, **kwargs):
    """Save one page of the listing editor: `page` like "about", "services/1", "services/1/hours"."""
    return fill(client, f"/directory/{slug}/edit/{page}", changes, **kwargs)


def send_edit(client, slug, message=""):
    return fill(client, f"/directory/{slug}/edit/check", {"message": message})


def start_registration(client):
    response = fill(client, "/directory/register")
    assert response.status_code == 302 and response.headers["Location"].endswith("/directory/register/tasks")
    return response


def register(client, page, changes=None, **kwargs):
    return fill(client, f"/directory/register/{page}", changes, **kwargs)
