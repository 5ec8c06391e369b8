"""Home page, accessibility statement, cookies, health check."""
