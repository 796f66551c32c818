"""Issue 14, for every app: its Arabic and French catalogues are complete, compile and are up
to date with its code, and no user-facing string escapes the translation machinery (a scan of
its templates, and of its Python: messages raised through core.errors, labels and choices).

Each case is parametrized by app (and language), so each app's result reads on its own.
The scans are deliberately simple; what they cannot judge (a message built in a variable)
they leave alone rather than guess.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lifeline.core.tests.i18n import PoEntry, po_entries

SRC = Path(__file__).resolve().parents[1]  # src/lifeline
APPS = sorted(p.parent.name for p in SRC.glob("*/apps.py"))
LANGUAGES = ["ar", "fr"]
MSGFMT = shutil.which("msgfmt")


def _python_files(app: str) -> Iterator[Path]:
    for path in sorted((SRC / app).rglob("*.py")):
        parts = path.relative_to(SRC / app).parts
        if parts[0] in {"tests", "migrations", "locale"} or "tests" in parts:
            continue
        yield path


def _templates(app: str) -> Iterator[Path]:
    yield from sorted((SRC / app / "templates").rglob("*.html"))


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(SRC.parent)}:{line}"


# --- the catalogues -------------------------------------------------------------------------


def _catalogue(app: str, language: str) -> Path:
    return SRC / app / "locale" / language / "LC_MESSAGES" / "django.po"


def _regenerated(app: str, tmp: Path) -> Path:
    """A copy of the app's folder where makemessages ran as `make messages` runs it."""
    copy = tmp / app
    shutil.copytree(SRC / app, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    (copy / "locale").mkdir(exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(SRC.parent), "LC_ALL": "C.UTF-8"}
    command = [sys.executable, "-P", "-m", "django", "makemessages"]
    command += [*(f"-l{lang}" for lang in LANGUAGES), "--no-obsolete", "--verbosity=0"]
    command += ["--ignore", "tests/*", "--ignore", "migrations/*"]
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        command,
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return copy


def _summary(entries: list[PoEntry]) -> str:
    return "\n".join(f"  {e.msgid!r}" for e in entries[:40]) + (
        f"\n  ... and {len(entries) - 40} more" if len(entries) > 40 else ""
    )


@pytest.mark.parametrize("app", APPS)
def test_every_app_with_strings_to_translate_has_both_catalogues_up_to_date(
    app: str, tmp_path: Path
) -> None:
    if MSGFMT is None or shutil.which("xgettext") is None:
        pytest.fail("gettext is missing: install Debian's gettext (make gettext-deps)")
    copy = _regenerated(app, tmp_path)
    for language in LANGUAGES:
        fresh = copy / "locale" / language / "LC_MESSAGES" / "django.po"
        if not fresh.exists():
            continue  # nothing to translate in this app
        assert _catalogue(app, language).exists(), (
            f"{app} has strings to translate but no {language} catalogue: run `make messages`"
        )
        missing = [e for e in po_entries(fresh) if not any(e.msgstrs) or "fuzzy" in e.flags]
        assert not missing, (
            f"{app}/{language}: the code has messages the catalogue lacks (or changed); run "
            f"`make messages` and translate them:\n{_summary(missing)}"
        )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("app", APPS)
def test_a_catalogue_has_no_untranslated_nor_fuzzy_message_and_compiles(
    app: str, language: str, tmp_path: Path
) -> None:
    po = _catalogue(app, language)
    if not po.exists():
        pytest.skip(f"{app} has no {language} catalogue (the test above says if it needs one)")
    entries = po_entries(po)
    untranslated = [e for e in entries if not all(e.msgstrs)]
    assert not untranslated, f"{po}: untranslated messages:\n{_summary(untranslated)}"
    fuzzy = [e for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, f"{po}: fuzzy messages (check them, then drop the flag):\n{_summary(fuzzy)}"
    if MSGFMT is None:
        pytest.fail("msgfmt is missing: install Debian's gettext (make gettext-deps)")
    done = subprocess.run(  # noqa: S603 - msgfmt on our own catalogue
        [MSGFMT, "--check-format", "-o", str(tmp_path / "django.mo"), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"{po} does not compile:\n{done.stderr}"


def test_the_po_reader_sees_untranslated_fuzzy_and_plural_entries(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Language: fr\\n"\n\n'
        '#, fuzzy, python-format\nmsgid "%(n)s left"\nmsgstr "%(n)s restants"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] ""\n\n'
        'msgid ""\n"Long "\n"text"\nmsgstr ""\n\n'
        '#~ msgid "gone"\n#~ msgstr "parti"\n',
        encoding="utf-8",
    )
    entries = po_entries(po)
    assert [e.msgid for e in entries] == ["%(n)s left", "one", "Long text"]
    assert "fuzzy" in entries[0].flags and entries[1].msgstrs == ["un", ""]
    assert not all(entries[1].msgstrs) and not any(entries[2].msgstrs)


# --- the templates --------------------------------------------------------------------------

# Words that are the same in every language: codes and symbols a page may show as they are.
# "ع" is the language switch's mark for Arabic (web/_language.html), the first letter of
# the language's own name: each language is offered in its own script, the same on every page
# whatever the page's language, so it is never translated.
ALLOWED_WORDS = frozenset({"Lifeline", "SMS", "QR", "HXL", "GPS", "ID", "CSV", "JSON", "PDF", "ع"})
USER_FACING_ATTRIBUTES = frozenset({"title", "placeholder", "aria-label", "alt"})
# A template tag or variable, kept as one character that is neither a letter nor a space.
MARK = "\ue000"
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


def _untranslated_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.replace(MARK, " ")) if w not in ALLOWED_WORDS]


def template_without_translations(source: str) -> str:
    """The template's text with every tag, variable, comment and translated text replaced by
    MARK (newlines kept, so that lines still count), ready for an HTML parser."""
    from django.template.base import Lexer, TokenType

    out: list[str] = []
    inside: list[str] = []  # the end tag we are inside of: blocktranslate, comment, verbatim
    for token in Lexer(source).tokenize():
        raw = token.token_type
        contents = token.contents.strip()
        name = contents.split(" ", 1)[0] if raw is TokenType.BLOCK else ""
        if inside:
            if name == inside[-1]:
                inside.pop()
            out.append(MARK + "\n" * _raw_newlines(token))
            continue
        if raw is TokenType.TEXT:
            out.append(token.contents)
            continue
        if name in {"blocktranslate", "blocktrans"}:
            inside.append("endblocktranslate" if name == "blocktranslate" else "endblocktrans")
        elif name == "comment":
            inside.append("endcomment")
        out.append(MARK + "\n" * _raw_newlines(token))
    return "".join(out)


def _raw_newlines(token: object) -> int:
    return str(getattr(token, "contents", "")).count("\n")


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._skip = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        values = dict(attrs)
        # An input button shows its value; a <button>'s value is only what it submits.
        is_button = tag == "input" and (values.get("type") or "").lower() in {
            "submit",
            "button",
            "reset",
        }
        for name, value in attrs:
            shown = name in USER_FACING_ATTRIBUTES or (name == "value" and is_button)
            if value and shown and (words := _untranslated_words(value)):
                self.found.append((self.getpos()[0], f'<{tag} {name}="{" ".join(words)}">'))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and (words := _untranslated_words(data)):
            self.found.append((self.getpos()[0], " ".join(words)))


def template_untranslated(source: str) -> list[tuple[int, str]]:
    """(line, words) of each visible text or user-facing attribute not translated."""
    finder = _TextFinder()
    finder.feed(template_without_translations(source))
    finder.close()
    return finder.found


def test_the_template_scan_finds_plain_text_and_attributes_and_spares_translations() -> None:
    source = (
        "{% load i18n %}<h1>{% translate 'Patients' %}</h1>\n"
        "<p>{{ n }} / {{ total }} — 42%</p>\n"
        "<button type=submit>Save</button>\n"
        '<input placeholder="{% translate \'Name\' %}" title="Search by name">\n'
        "{% blocktranslate with n=n %}{{ n }} left\nof them{% endblocktranslate %}\n"
        '{% comment %}Not shown{% endcomment %}<img alt="QR"><script>let x = "code";</script>\n'
        '<input type="submit" value="Send">'
    )
    assert template_untranslated(source) == [
        (3, "Save"),
        (4, '<input title="Search by name">'),
        (8, '<input value="Send">'),
    ]


@pytest.mark.parametrize("app", APPS)
def test_no_template_shows_text_outside_the_translation_tags(app: str) -> None:
    problems = [
        f"{_where(path, line)}: {words}"
        for path in _templates(app)
        for line, words in template_untranslated(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "text to translate ({% translate %}):\n" + "\n".join(problems)


# --- the Python -----------------------------------------------------------------------------

GETTEXT_NAMES = frozenset(
    {
        "_",
        "gettext",
        "gettext_lazy",
        "ngettext",
        "ngettext_lazy",
        "pgettext",
        "pgettext_lazy",
        "npgettext",
        "npgettext_lazy",
        "gettext_noop",
        "_lazy",
    }
)
# Keyword arguments that carry words a reader sees; `doing` is what a refusal says was refused
# (permission_require(actor, perm, doing=_("add basemaps"))).
LABEL_KEYWORDS = frozenset({"verbose_name", "verbose_name_plural", "label", "doing"})
MESSAGE_FUNCTIONS = frozenset({"success", "info", "warning", "error", "debug"})


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _has_words(text: str) -> bool:
    return bool(re.search(r"[^\W\d_]{2,}", text))


def is_plain_text(node: ast.AST | None) -> bool:
    """Does this expression build a message from literals, outside gettext?"""
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and _has_words(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and _has_words(str(v.value)) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return is_plain_text(node.left) or is_plain_text(node.right)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return is_plain_text(node.left)
    if isinstance(node, ast.IfExp):
        return is_plain_text(node.body) or is_plain_text(node.orelse)
    if isinstance(node, ast.Call) and _name(node.func) == "format":
        return isinstance(node.func, ast.Attribute) and is_plain_text(node.func.value)
    return False


def error_classes(trees: list[ast.Module]) -> frozenset[str]:
    """core.errors' classes and every class that derives from one of them, in any app."""
    known = {"LifelineError", "ValidationFailed", "NotFound", "Forbidden", "Conflict"}
    grew = True
    while grew:
        grew = False
        for tree in trees:
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ClassDef)
                    and node.name not in known
                    and any(_name(base) in known for base in node.bases)
                ):
                    known.add(node.name)
                    grew = True
    return frozenset(known)


def reason_coded(trees: list[ast.Module]) -> frozenset[str]:
    """The error classes whose first argument is a reason CODE, not a message: their
    `__init__(self, reason, message)` (BundleRefused("corrupt", _("...")), ExchangeRefused,
    FeedRefused). The code is matched by programs (HTTP status, the sync page, tests) and must
    stay the same in every language; the message beside it is what the scan checks."""
    coded: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            for statement in node.body:
                if isinstance(statement, ast.FunctionDef) and statement.name == "__init__":
                    params = [a.arg for a in statement.args.args[1:]]
                    if params[:1] == ["reason"]:
                        coded.add(node.name)
    return frozenset(coded)


def _message_arguments(call: ast.Call, klass: str) -> Iterator[ast.AST]:
    args = list(call.args) + [k.value for k in call.keywords if k.arg in {"message", "fields"}]
    if klass == "ValidationFailed" or any(k.arg == "fields" for k in call.keywords):
        fields = call.args[0] if call.args else None
        fields = next((k.value for k in call.keywords if k.arg == "fields"), fields)
        if isinstance(fields, ast.Dict):
            for value in fields.values:
                if isinstance(value, ast.List | ast.Tuple):
                    yield from value.elts
                else:
                    yield value
        args = [call.args[1]] if len(call.args) > 1 else []
        args += [k.value for k in call.keywords if k.arg == "message"]
    yield from args


# The dicts of field messages a service gathers before it raises ValidationFailed with them.
PROBLEM_DICTS = frozenset({"problems", "errors"})


def _messages_in(value: ast.AST) -> list[ast.AST]:
    if isinstance(value, ast.List | ast.Tuple):
        return list(value.elts)
    if isinstance(value, ast.ListComp):
        return [value.elt]
    return [value]


def python_untranslated(
    tree: ast.Module, errors: frozenset[str], coded: frozenset[str] = frozenset()
) -> list[tuple[int, str]]:
    """(line, what) of each message raised, label or choice written as plain text; the reason
    code that a class of `coded` takes first is not a message (see reason_coded)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            klass = _name(node.exc.func)
            if klass in errors:
                code = node.exc.args[0] if klass in coded and node.exc.args else None
                for argument in _message_arguments(node.exc, klass):
                    if argument is not code and is_plain_text(argument):
                        found.append((argument.lineno, f"raise {klass}: {ast.unparse(argument)}"))
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in LABEL_KEYWORDS and is_plain_text(keyword.value):
                    what = f"{keyword.arg}={ast.unparse(keyword.value)}"
                    found.append((keyword.value.lineno, what))
            if (
                _name(node.func) in MESSAGE_FUNCTIONS
                and isinstance(node.func, ast.Attribute)
                and _name(node.func.value) == "messages"
                and len(node.args) > 1
                and is_plain_text(node.args[1])
            ):
                found.append((node.lineno, f"messages.{_name(node.func)}: plain text"))
        elif isinstance(node, ast.Assign | ast.AugAssign):
            # problems["field"] = "message": the field messages a ValidationFailed will carry.
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Subscript) and _name(target.value) in PROBLEM_DICTS:
                    for message in _messages_in(node.value):
                        if is_plain_text(message):
                            found.append((node.lineno, f"field message {ast.unparse(message)}"))
        if isinstance(node, ast.ClassDef):
            bases = {_name(b) for b in node.bases}
            for statement in node.body:
                if not isinstance(statement, ast.Assign):
                    continue
                targets = {_name(t) for t in statement.targets}
                value = statement.value
                names = targets & {"verbose_name", "verbose_name_plural"}
                if node.name == "Meta" and names and is_plain_text(value):
                    found.append((statement.lineno, f"Meta.{targets.pop()}: plain text"))
                is_choices = bool(bases & {"TextChoices", "IntegerChoices", "Choices"})
                if is_choices and isinstance(value, ast.Tuple) and is_plain_text(value.elts[-1]):
                    found.append((statement.lineno, f"choice label {ast.unparse(value)}"))
    return sorted(found)


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_the_python_scan_finds_plain_messages_labels_and_choices() -> None:
    source = (
        "class Late(Conflict): ...\n"
        "def f(x):\n"
        "    raise NotFound(f'no person {x}')\n"
        "    raise Late('too late: ' + x)\n"
        "    raise ValidationFailed({'a': _('fine'), 'b': ['plain %s' % x]})\n"
        "    raise Conflict(_('%(x)s taken') % {'x': x})\n"
        "    raise ValueError('a developer message stays English')\n"
        "    raise NotFound(message)\n"
        "    problems['a'] = [f'unknown {x}']\n"
        "    problems['b'] = _('fine')\n"
        "name = models.CharField(verbose_name='name')\n"
        "permission_require(user, 'core.change_site', doing='add basemaps')\n"
        "permission_require(user, 'core.change_site', doing=_('add basemaps'))\n"
        "class Status(models.TextChoices):\n"
        "    OPEN = 'open', 'Open'\n"
        "    SHUT = 'shut', _('Shut')\n"
    )
    tree = ast.parse(source)
    found = python_untranslated(tree, error_classes([tree]))
    assert [line for line, _what in found] == [3, 4, 5, 9, 11, 12, 15], found


def test_the_python_scan_spares_a_reason_code_but_not_the_message_beside_it() -> None:
    source = (
        "class Refused(ValidationFailed):\n"
        "    def __init__(self, reason, message): ...\n"
        "def f(x):\n"
        "    raise Refused('corrupt', _('the file is damaged'))\n"
        "    raise Refused('corrupt', f'the file {x} is damaged')\n"
        "    raise NotFound('corrupt')\n"
    )
    tree = ast.parse(source)
    found = python_untranslated(tree, error_classes([tree]), reason_coded([tree]))
    assert [line for line, _what in found] == [5, 6], found


@pytest.fixture(scope="module")
def every_error_class() -> frozenset[str]:
    return error_classes([_parse(p) for app in APPS for p in _python_files(app)])


@pytest.fixture(scope="module")
def every_reason_coded_class() -> frozenset[str]:
    return reason_coded([_parse(p) for app in APPS for p in _python_files(app)])


@pytest.mark.parametrize("app", APPS)
def test_no_message_label_or_choice_is_written_outside_gettext(
    app: str, every_error_class: frozenset[str], every_reason_coded_class: frozenset[str]
) -> None:
    problems = [
        f"{_where(path, line)}: {what}"
        for path in _python_files(app)
        for line, what in python_untranslated(
            _parse(path), every_error_class, every_reason_coded_class
        )
    ]
    assert not problems, "messages to wrap in gettext (named placeholders):\n" + "\n".join(problems)
