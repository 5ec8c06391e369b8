"""A small same-site crawler for tests: finds pages by their links and the forms on them."""

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Form:
    page: str
    action: str
    fields: dict = field(default_factory=dict)  # name -> default value (text-like inputs)
    text_fields: list = field(default_factory=list)  # names a person types into
    choices: dict = field(default_factory=dict)  # name -> [values] (select, radio, checkbox)
    has_file: bool = False
    file_fields: list = field(default_factory=list)  # names of file inputs


class _PageParser(HTMLParser):
    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links, self.forms = [], []
        self.form = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "get").lower() == "post":
            self.form = Form(page=self.page, action=urljoin(self.page, a.get("action") or self.page))
        elif self.form is None:
            return
        elif tag == "input":
            name, kind = a.get("name"), (a.get("type") or "text").lower()
            if not name:
                return
            if kind in ("radio", "checkbox"):
                self.form.choices.setdefault(name, []).append(a.get("value", "on"))
            elif kind == "file":
                self.form.has_file = True
                self.form.file_fields.append(name)
            elif kind in ("submit", "button", "image", "reset"):
                return
            else:
                self.form.fields[name] = a.get("value", "")
                if kind not in ("hidden",):
                    self.form.text_fields.append(name)
        elif tag == "textarea" and a.get("name"):
            self.form.fields[a["name"]] = ""
            self.form.text_fields.append(a["name"])
            self.textarea = a["name"]
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
            self.form.choices[self.select] = []
        elif tag == "option" and self.select is not None:
            self.form.choices[self.select].append(a.get("value", ""))

    def handle_data(self, data):
        if self.form is not None and self.textarea is not None:
            self.form.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self.textarea and self.form is not None:
                # GOV.UK's textarea starts with a line break that is not part of the value.
                self.form.fields[self.textarea] = self.form.fields[self.textarea].removeprefix("\n")
            self.textarea = None
        elif tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None
        elif tag == "select":
            self.select = None


def parse(page, html):
    parser = _PageParser(page)
    parser.feed(html)
    return parser.links, parser.forms


def same_site_path(base, href):
    target = urlsplit(urljoin(base, href))
    if target.scheme not in ("", "http") or target.netloc not in ("", "localhost"):
        return None
    if target.path.startswith("/static/") or target.path.endswith(
        (".pdf", ".xlsx", ".csv", ".ics", ".json", ".geojson")
    ):
        return None
    return target.path + (f"?{target.query}" if target.query else "")


def shape(path):
    """Pages of one kind share a shape: /directory/a-group/edit and /directory/b-group/edit are one."""
    route, _, query = path.partition("?")
    route = re.sub(r"/[^/]*[0-9-][^/]*", "/X", route)
    # What comes before /edit names a record (a listing's slug may be one plain word: /directory/grow/edit).
    route = re.sub(r"/[^/]+(?=/edit(/|$))", "/X", route)
    return route + ("?" + "&".join(sorted(part.split("=")[0] for part in query.split("&"))) if query else "")


def crawl(client, starts, skip=(), limit=400, per_shape=3):
    """Visit same-site pages breadth first, at most `per_shape` of each kind; returns
    ({path: (status, html)}, [forms])."""
    seen, queue, pages, forms = set(), list(starts), {}, []
    shapes = Counter()
    while queue and len(pages) < limit:
        path = queue.pop(0)
        if path in seen or any(marker in path for marker in skip):
            continue
        seen.add(path)
        if path not in starts:
            shapes[shape(path)] += 1
            if shapes[shape(path)] > per_shape:
                continue
        response = client.get(path)
        html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        pages[path] = (response.status_code, html)
        if not html:
            continue
        links, page_forms = parse(path, html)
        forms.extend(page_forms)
        for href in links:
            target = same_site_path(path, href)
            if target and target not in seen:
                queue.append(target)
    return pages, forms
