"""A griffe extension: the API reference shows the docstrings Python shows.

mkdocstrings reads the source without running it, but glassnet writes part
of its docstrings when the classes are defined: the estimators' and
``NeuralNetwork``'s numpydoc "Parameters" and "Attributes" sections come
from the one parameter table (``glassnet._docstring.with_sections``). So
this extension puts the docstring of the imported object in place of the
one read from the source wherever they differ, and the reference cannot
drift from ``help()``.

Two more translations, both about how the text is written, not what it says:

* Sphinx roles (``:class:`~glassnet.NeuralNetwork```) become Markdown: a
  link when the target is a documented public name, code otherwise.
* An attribute that a class's "Attributes" section describes is not listed
  again as a member of the class (its property's docstring would say it a
  second time).
* numpydoc's choice types (``{'warn', 'ignore'}, default='warn'``) are kept
  as written with their real default: griffe's numpy parser takes the first
  choice for the default and drops what follows the braces.
"""

from __future__ import annotations

import importlib
import inspect
import re

import griffe

# where a Sphinx role points: ~ shows the last part only
_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|mod|data|exc|obj):`(~?)([\w.]+)`")
# a numpydoc parameter line: name : type, default=value
_PARAMETER = re.compile(r"^(?P<name>\w+) : (?P<type>.+?)(?:, default=(?P<default>.+))?$")
_PARAMETER_SECTIONS = (griffe.DocstringSectionKind.parameters, griffe.DocstringSectionKind.other_parameters)


def _public_names() -> dict[str, str]:
    """Every path a public name is known by (``glassnet.X`` and where it is
    defined) -> the identifier its reference page gives it."""
    import glassnet

    names = {}
    for name in glassnet.__all__:
        value = getattr(glassnet, name)
        if not (inspect.isclass(value) or inspect.isfunction(value)):
            continue
        names[f"glassnet.{name}"] = f"glassnet.{name}"
        names[f"{value.__module__}.{value.__qualname__}"] = f"glassnet.{name}"
        if inspect.isclass(value):
            for member in vars(value):
                if not member.startswith("_"):
                    for prefix in (f"glassnet.{name}", f"{value.__module__}.{value.__qualname__}"):
                        names[f"{prefix}.{member}"] = f"glassnet.{name}.{member}"
    return names


def _runtime_object(obj: griffe.Object):
    """The Python object ``obj`` describes, or None when it cannot be found safely."""
    module = obj.module
    if module.name == "__main__":  # importing it would run the command line
        return None
    try:
        value = importlib.import_module(module.path)
    except Exception:  # noqa: BLE001 - a module that needs an optional package: keep its source docstring
        return None
    for part in obj.path[len(module.path) + 1:].split(".") if obj is not module else ():
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


class RuntimeDocstrings(griffe.Extension):
    """See the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self.public = _public_names()

    def on_package(self, *, pkg: griffe.Module, **kwargs) -> None:
        if pkg.name != "glassnet":
            return
        parser = pkg.docstring.parser if pkg.docstring is not None else None
        for obj in _walk(pkg):
            self._use_runtime_docstring(obj, parser)
            if obj.docstring is not None:
                obj.docstring.value = _ROLE.sub(self._role, obj.docstring.value)
                _keep_choice_types(obj.docstring)
            if obj.is_class:
                _drop_documented_attributes(obj)

    def _use_runtime_docstring(self, obj: griffe.Object, parser) -> None:
        if not (obj.is_class or obj.is_function):
            return
        value = _runtime_object(obj)
        text = inspect.cleandoc(value.__doc__) if value is not None and isinstance(value.__doc__, str) else None
        if not text or (obj.docstring is not None and obj.docstring.value == text):
            return
        if obj.docstring is None:
            obj.docstring = griffe.Docstring(text, parent=obj, parser=parser)
        else:
            obj.docstring.value = text

    def _role(self, match: re.Match) -> str:
        short, target = match.groups()
        shown = target.rsplit(".", 1)[-1] if short else target
        identifier = self.public.get(target)
        return f"[`{shown}`][{identifier}]" if identifier else f"`{shown}`"


def _walk(obj: griffe.Object):
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _walk(member)


def _keep_choice_types(docstring: griffe.Docstring) -> None:
    """Parse now (the result is kept) and put back each parameter's type as
    written and its default."""
    lines = {match["name"]: match for line in docstring.value.splitlines()
             if (match := _PARAMETER.match(line)) and match["type"].startswith("{")}
    if not lines or docstring.parser is None:
        return
    for section in docstring.parsed:
        if section.kind not in _PARAMETER_SECTIONS:
            continue
        for parameter in section.value:
            written = lines.get(parameter.name)
            if written is not None:
                parameter.annotation = written["type"]
                parameter.value = written["default"]


# a numpydoc "Attributes" section, up to the next section or the end
_ATTRIBUTES = re.compile(r"^Attributes\n-{10}\n(?P<body>.*?)(?=^\w[\w ]*\n-{3,}\n|\Z)", re.M | re.S)


def _drop_documented_attributes(cls: griffe.Class) -> None:
    if cls.docstring is None or (section := _ATTRIBUTES.search(cls.docstring.value)) is None:
        return
    described = {match["name"] for line in section["body"].splitlines() if (match := _PARAMETER.match(line))}
    for name in described & set(cls.members):
        member = cls.members[name]
        if not member.is_alias and (member.is_attribute or "property" in member.labels):
            del cls.members[name]
