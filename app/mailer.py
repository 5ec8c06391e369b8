"""Sending e-mail: multipart plain text + HTML, rendered from templates/email/.

The embedded default (MAIL_BACKEND=file) writes every message to instance/outbox/ so a new user can
read what the portal sent; MAIL_BACKEND=smtp sends through MAIL_SERVER.
"""

import logging

from flask import current_app, has_request_context, render_template
from flask_mailman import EmailMultiAlternatives

from .forms import one_line

log = logging.getLogger("portal.mail")


def render_message(template, to, subject, headers=None, **context):
    """Build (not send) a message from templates/email/<template>.txt and .html."""
    context.setdefault("council_name", current_app.config["COUNCIL_NAME"])
    context.setdefault("service_name", current_app.config["SERVICE_NAME"])
    if has_request_context():
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    else:
        # From a worker or a command: links in the templates are built for the public address.
        with current_app.test_request_context("/", base_url=current_app.config["PUBLIC_BASE_URL"]):
            text = render_template(f"email/{template}.txt", **context)
            html = render_template(f"email/{template}.html", **context)
    # Header values often carry what people typed (a listing's name in a subject): a line break there would
    # make the mail library refuse the message (the e-mail lost, the page a 500) or, with a laxer one, let the
    # text add headers of its own. Each becomes one line.
    message = EmailMultiAlternatives(
        subject=one_line(subject),
        body=text,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[one_line(address) for address in ([to] if isinstance(to, str) else to)],
        headers={name: one_line(str(value)) for name, value in (headers or {}).items()},
    )
    message.attach_alternative(html, "text/html")
    return message


def send_email(template, to, subject, **context):
    message = render_message(template, to, subject, **context)
    message.send()
    log.info("mail sent", extra={"template": template, "subject": message.subject})
    return message
