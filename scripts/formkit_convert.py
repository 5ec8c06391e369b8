"""Convert a module's forms.py to the forms kit (app/forms.py): one mechanical pass over a file not yet converted.

    .venv/bin/python scripts/formkit_convert.py app/directory/forms.py [more files...]

It turns `StringField("Name", widget=GovTextInput(), ...)` into `GovukTextInputField("Name", ...)` (and so on
for every GOV.UK widget), `InputRequired(message="Enter the name")` into `Required(thing="the name")`,
`Length(max=N, message=...)` into `max_length(N, ...)`, e-mail fields into `GovukEmailField`, and rewrites the
imports. Labels, field names and messages stay as they were. Read the diff, then run
`.venv/bin/ruff check --fix` on the file for import order.
"""
import ast
import re
import sys

KIT = {  # (field class, widget) -> kit field class; widget None: the field class alone decides
    ("StringField", "GovTextInput"): "GovukTextInputField",
    ("TextAreaField", "GovTextArea"): "GovukTextareaField",
    ("TextAreaField", "GovCharacterCount"): "GovukTextareaField",
    ("RadioField", "GovRadioInput"): "GovukRadiosField",
    ("SelectMultipleField", "GovCheckboxesInput"): "GovukCheckboxesField",
    ("BooleanField", "GovCheckboxInput"): "GovukCheckboxField",
    ("SelectField", "GovSelect"): "GovukSelectField",
    ("SubmitField", "GovSubmitInput"): "GovukSubmitField",
    ("PasswordField", "GovPasswordInput"): "GovukPasswordField",
    ("FileField", "GovFileInput"): "GovukFileField",
    ("IntegerField", "GovTextInput"): "GovukIntegerField",
    ("ClockField", "GovTextInput"): "GovukTimeField",
    ("ClockField", None): "GovukTimeField",
    ("DayField", None): "GovukDateField",
    ("GovDateField", None): "GovukDateField",
    ("GovIntegerField", None): "GovukIntegerField",
}
CHOICE = {"GovukRadiosField", "GovukCheckboxesField", "GovukCheckboxField", "GovukSelectField"}
KIT_NAMES = sorted(set(KIT.values()) | {
    "GovukEmailField", "Required", "max_length", "email_validators", "Form", "ActionForm", "ConfirmForm",
    "whole_number", "postcode_format", "not_in_future", "parse_clock", "london_today",
})
STR = r'"((?:[^"\\]|\\.)*)"'
EMAIL_LENGTH = re.compile(r'Length\(max=254, message="Email address must be 254 characters or fewer"\),?\s*')
EMAIL_FORMAT = re.compile(r'Email\(message="Enter an email address in the correct format, like name@example.com"\),?\s*')


def required(message, choice):
    verb = "Select " if choice else "Enter "
    if message.startswith(verb) and "\\" not in message:
        return f'Required(thing="{message[len(verb):]}")'
    return f'Required(message="{message}")'


def lengths(text):
    def one(match):
        limit, message = int(match.group(1)), match.group(2)
        if message is None or message == f"Enter {limit} characters or fewer":
            return f"max_length({limit})"
        thing = re.fullmatch(rf"(.+) must be {limit} characters or fewer", message)
        if thing:
            return f'max_length({limit}, thing="{thing.group(1)}")'
        return f'max_length({limit}, message="{message}")'

    return re.sub(r"Length\(max=(\d+)(?:, message=" + STR + r")?\)", one, text)


def convert_call(segment, name, widget):
    new = KIT[(name, widget)] if (name, widget) in KIT else KIT.get((name, None))
    if new is None:
        return segment
    body = segment[len(name):]
    body = re.sub(r",\s*widget=Gov\w+\(\)", "", body)
    body = re.sub(r",\s*valid_clock(?=\])", "", body) if new == "GovukTimeField" else body
    if new == "GovukTextInputField" and EMAIL_FORMAT.search(body):
        new = "GovukEmailField"
        body = EMAIL_FORMAT.sub("", EMAIL_LENGTH.sub("", body))
        body = re.sub(r",?\s*Length\(max=254\),?\s*(?=[\]E])", "", body)
        body = re.sub(r",\s*\]", "]", body)
    if new == "GovukTextInputField" and re.search(r"validators=EMAIL_VALIDATORS", body):
        new = "GovukEmailField"
        body = body.replace("validators=EMAIL_VALIDATORS", 'validators=[Required(thing="your email address")]')
    if new == "GovukDateField":  # required_message="..." is now the first validator
        match = re.search(r",?\s*required_message=" + STR, body)
        if match:
            body = body[:match.start()] + body[match.end():]
            rule = f'Required(message="{match.group(1)}")'
            if "validators=[" in body:
                body = body.replace("validators=[", f"validators=[{rule}, ", 1)
            else:
                body = body[:-1].rstrip().rstrip(",") + f", validators=[{rule}])"
    body = re.sub(r"InputRequired\(message=" + STR + r"\)", lambda m: required(m.group(1), new in CHOICE), body)
    body = re.sub(r"validators=\[,?\s*\]", "validators=[]", body)
    body = re.sub(r",\s*validators=\[\]", "", body)
    body = re.sub(r"\(\s*validators=\[\],?\s*", "(", body)
    body = re.sub(r"\[\s+([^\[\]\n]+?),?\s*\]", r"[\1]", body)
    return new + lengths(body)


def convert(path):
    source = open(path).read()
    tree = ast.parse(source)
    offsets = [0]
    for line in source.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            widget = next((k.value.func.id for k in node.keywords if k.arg == "widget" and isinstance(k.value, ast.Call)
                           and isinstance(k.value.func, ast.Name)), None)
            if (node.func.id, widget) in KIT or (node.func.id, None) in KIT:
                start = offsets[node.lineno - 1] + node.col_offset
                end = offsets[node.end_lineno - 1] + node.end_col_offset
                calls.append((start, end, node.func.id, widget))
    # Innermost last, so that a call inside another is not rewritten twice: fields never nest, so sort by start.
    for start, end, name, widget in sorted(calls, reverse=True):
        source = source[:start] + convert_call(source[start:end], name, widget) + source[end:]
    source = lengths(source)
    source = re.sub(r"InputRequired\(message=" + STR + r"\)", lambda m: f'Required(message="{m.group(1)}")', source)
    return fix_imports(source)


IMPORT = re.compile(r"^from (govuk_frontend_wtf\.wtforms_widgets|wtforms|wtforms\.validators|flask_wtf\.file|\.\.forms"
                    r"|\.\.widgets|\.\.assets\.forms|\.\.ctn\.forms|\.\.auth\.forms) import (\([^)]*\)|[^\n]*)\n", re.M)


def fix_imports(source):
    imported = {}
    for match in IMPORT.finditer(source):
        names = [n.strip() for n in match.group(2).strip("()").replace("\n", " ").split(",") if n.strip()]
        imported.update({n.split(" as ")[-1]: match.group(1) for n in names})
    first = IMPORT.search(source)
    if not first:
        return source
    at = first.start()
    source = IMPORT.sub("", source)
    body = source[at:]
    used = {n for n in re.findall(r"\b[A-Za-z_]\w*\b", body)}
    lines = []
    wt = sorted(n for n, m in imported.items() if m == "wtforms" and n in used)
    va = sorted(n for n, m in imported.items() if m == "wtforms.validators" and n in used and n != "InputRequired")
    fw = sorted(n for n, m in imported.items() if m == "flask_wtf.file" and n in used and n != "FileField")
    defined = set(re.findall(r"^(?:class|def) (\w+)", source, re.M))
    kit = [n for n in KIT_NAMES if n in used and n not in defined]
    for module, names in (("flask_wtf.file", fw), ("wtforms", wt), ("wtforms.validators", va), ("..forms", kit)):
        if names:
            lines.append(f"from {module} import {', '.join(names)}\n")
    local = [n for n, m in imported.items() if m in ("..assets.forms", "..ctn.forms", "..auth.forms") and n in used
             and n not in KIT_NAMES]
    if local:
        raise SystemExit(f"{local} still come from another module's forms: move them to app/forms.py first")
    return source[:at] + "".join(lines) + source[at:]


if __name__ == "__main__":
    for path in sys.argv[1:]:
        converted = convert(path)
        open(path, "w").write(converted)
        print(path)
