"""Bulletin text: Markdown written by officers -> sanitised HTML (web and e-mail) and plain text.

Markdown is converted by Python-Markdown and the result cleaned by nh3 (the Rust `ammonia` sanitiser):
only a short list of tags survives, links keep only http, https and mailto addresses (so `javascript:`
links lose their href), raw <script>/<style> are removed with their content. Plain text is made from the
*sanitised* HTML, so both parts of an e-mail say the same thing.
"""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "h3", "h4", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

WEB_CLASSES = {
    "a": {"class": "govuk-link"},
    "p": {"class": "govuk-body"},
    "ul": {"class": "govuk-list govuk-list--bullet"},
    "ol": {"class": "govuk-list govuk-list--number"},
    "h3": {"class": "govuk-heading-s"},
    "h4": {"class": "govuk-heading-s"},
    "blockquote": {"class": "govuk-inset-text"},
}
EMAIL_STYLES = {
    "a": {"style": "color: #1d70b8;"},
    "blockquote": {"style": "border-left: 5px solid #b1b4b6; margin: 0 0 16px; padding: 0 0 0 15px;"},
}


def markdown_to_html(text, for_email=False, base_url=None):
    """Sanitised HTML for a Markdown fragment (safe to mark |safe in a template). With `base_url` (e-mails,
    which have no page for a link to be relative to), a link written as a path on the portal, such as
    `[meetings](/ctn/meetings)`, is made absolute against it."""
    raw = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    # Headings written with # or ## would compete with the page's own; they become h3/h4.
    raw = re.sub(r"<(/?)h[12]>", r"<\1h3>", raw)
    raw = re.sub(r"<(/?)h[56]>", r"<\1h4>", raw)
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style"},
        link_rel="noopener noreferrer",
        set_tag_attribute_values=EMAIL_STYLES if for_email else WEB_CLASSES,
        attribute_filter=_absolute_links(base_url) if base_url else None,
    )


def _absolute_links(base_url):
    base = base_url.rstrip("/") + "/"

    def absolute(element, attribute, value):
        if element == "a" and attribute == "href" and not urlsplit(value).scheme:
            return urljoin(base, value)
        return value

    return absolute


def safe_link(url):
    """An item's 'more information' address, or '' when it is not an http(s) address."""
    url = (url or "").strip()
    return url if re.match(r"^https?://[^\s<>\"']+$", url, re.IGNORECASE) else ""


class _TextWriter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.links = []
        self.lists = []

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "blockquote", "h3", "h4"):
            self.out.append("\n\n")
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
            self.out.append("\n")
        elif tag == "li":
            kind = self.lists[-1] if self.lists else ["ul", 0]
            kind[1] += 1
            self.out.append("\n" + "  " * (len(self.lists) - 1) + ("- " if kind[0] == "ul" else f"{kind[1]}. "))
        elif tag == "br":
            self.out.append("\n")
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.out.append("\n")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.out.append(f" ({href})")

    def handle_data(self, data):
        data = re.sub(r"\s+", " ", data)
        if data.strip() or (self.out and not self.out[-1].endswith(("\n", " "))):
            self.out.append(data)


def html_to_text(fragment):
    writer = _TextWriter()
    writer.feed(fragment or "")
    writer.close()
    lines = [line.rstrip() for line in "".join(writer.out).split("\n")]
    lines = [line if line.strip() else "" for line in lines]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def markdown_to_text(text):
    return html_to_text(markdown_to_html(text, for_email=True))


def plain(text):
    """Escape a plain string for HTML (titles are never Markdown)."""
    return html.escape(text or "")
