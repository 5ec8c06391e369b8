"""Error pages: in the site's layout, with a clear message and no details of the failure."""

from sqlalchemy.exc import OperationalError

from app import create_app

from .conftest import DATABASE_URL


def _app_with_failing_routes():
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=DATABASE_URL, PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    @app.route("/db-down")
    def db_down():
        raise OperationalError("SELECT 1", {}, Exception("could not connect to server"))

    return app


def test_server_error_shows_the_council_page_without_internals():
    response = _app_with_failing_routes().test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page and "secret internals" not in page
    assert "Content-Security-Policy" in response.headers


def test_database_unavailable_is_a_503_with_retry_after():
    response = _app_with_failing_routes().test_client().get("/db-down")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in response.get_data(as_text=True)
    assert "could not connect" not in response.get_data(as_text=True)


def test_oversized_request_is_refused_cleanly(client):
    response = client.post("/sign-in", data={"email": "x" * (11 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
