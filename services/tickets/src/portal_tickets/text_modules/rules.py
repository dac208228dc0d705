"""The placeholders of text modules, what a body may contain, and filling it in.

A body is a Jinja template of a small subset: text, placeholders such as
`{{customer.name}}`, a few filters without arguments (`upper`, `lower`, ...), `default`
with a text, `~` to join, and `{% if %}` blocks. Anything else (loops, assignments,
macros, arithmetic, calls, attributes of anything but a placeholder) is refused at save:
it is not needed for an answer, and a template limited to this cannot run long or build
huge texts. It is rendered in Jinja's sandbox all the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

# Every placeholder, by object: `{{customer.name}}` etc.
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "customer": ("name", "first_name", "email"),
    "organization": ("name",),
    "ticket": ("number", "title", "priority", "status", "asset"),
    "agent": ("name", "first_name"),
}
KNOWN = frozenset(f"{obj}.{attr}" for obj, attrs in PLACEHOLDERS.items() for attr in attrs)

# Filters that change a text without growing it beyond a bound (none takes arguments,
# except `default`, whose argument is a text of the body itself).
FILTERS = frozenset({"upper", "lower", "title", "capitalize", "trim", "default", "d"})
# Nodes that only combine what they contain.
PLAIN = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Const,
    nodes.If,
    nodes.Concat,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.CondExpr,
    nodes.Compare,
    nodes.Operand,
)

# How an error names what is not allowed (others by their kind of node).
WHAT = {
    "For": "A {% for %} loop",
    "Assign": "{% set %}",
    "AssignBlock": "{% set %}",
    "Macro": "A macro",
    "CallBlock": "{% call %}",
    "Call": "A call",
    "Test": "A test (is ...)",
    "Include": "{% include %}",
    "Import": "{% import %}",
    "FromImport": "{% import %}",
    "Extends": "{% extends %}",
    "Block": "{% block %}",
    "FilterBlock": "{% filter %}",
    "With": "{% with %}",
}

ARITHMETIC = (nodes.BinExpr, nodes.UnaryExpr)

# Plain text for the reply box: no HTML escaping; a missing value is an error, not "".
ENVIRONMENT = SandboxedEnvironment(
    autoescape=False,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    # A `{% if %}` on a line of its own leaves no empty line behind.
    trim_blocks=True,
    lstrip_blocks=True,
)

Values = Mapping[str, Mapping[str, str]]
# What rendering a body may raise (a comparison of a text with a number, say).
RENDER_ERRORS = (TemplateError, TypeError, ValueError, ArithmeticError)


class Problem(NamedTuple):
    code: str
    message: str


def _known_list() -> str:
    return ", ".join("{{" + p + "}}" for p in sorted(KNOWN))


def unknown_placeholder(name: str) -> Problem:
    return Problem(
        "unknown_placeholder",
        f"Unknown placeholder {{{{{name}}}}}; known are {_known_list()}.",
    )


def _not_allowed(what: str) -> Problem:
    return Problem(
        "unsupported_expression",
        f"{what} is not allowed in a text module: use text, placeholders, the filters "
        f"{', '.join(sorted(FILTERS))} and {{% if %}} blocks.",
    )


def _key(node: nodes.Getattr | nodes.Getitem) -> str | None:
    """The attribute a placeholder names: `customer.name` or `customer['name']`."""
    if isinstance(node, nodes.Getattr):
        return node.attr
    arg = node.arg
    return arg.value if isinstance(arg, nodes.Const) and isinstance(arg.value, str) else None


def _plain_arguments(node: nodes.Filter) -> bool:
    """Whether the filter's arguments are texts written in the body, and nothing else."""
    if node.kwargs or node.dyn_args or node.dyn_kwargs or node.node is None:
        return False
    return all(isinstance(a, nodes.Const) and isinstance(a.value, str) for a in node.args)


def _filter_problems(node: nodes.Filter) -> Iterator[Problem]:
    if node.name not in FILTERS:
        yield _not_allowed(f"The filter {node.name}")
    elif not _plain_arguments(node):
        yield _not_allowed(f"The filter {node.name} with these arguments")


def _problems(node: nodes.Node) -> Iterator[Problem]:
    """What in `node` (and below) a text module may not contain."""
    if isinstance(node, nodes.Getattr | nodes.Getitem):
        key = _key(node)
        if isinstance(node.node, nodes.Name) and key is not None:
            name = f"{node.node.name}.{key}"
            if name not in KNOWN:
                yield unknown_placeholder(name)
        else:
            # `''.__class__`, `ticket.title.upper`, `x[y]`: only placeholders have fields.
            yield _not_allowed("An attribute of something other than a placeholder")
        return
    if isinstance(node, nodes.Name):
        # A bare name: `{{customer}}` or a misspelt object.
        yield unknown_placeholder(node.name)
        return
    if isinstance(node, nodes.Filter):
        yield from _filter_problems(node)
    elif not isinstance(node, PLAIN):
        kind = type(node).__name__
        yield _not_allowed(WHAT.get(kind, "Arithmetic" if isinstance(node, ARITHMETIC) else kind))
        return
    for child in node.iter_child_nodes():
        yield from _problems(child)


def check(body: str) -> list[Problem]:
    """What is wrong with `body` as a text module (nothing: it may be saved)."""
    if not body.strip():
        return [Problem("required", "This cannot be empty.")]
    try:
        tree = ENVIRONMENT.parse(body)
    except TemplateSyntaxError as exc:
        return [Problem("template_syntax", f"Line {exc.lineno}: {exc.message}")]
    found = list(dict.fromkeys(_problems(tree)))
    if found:
        return found
    # A second net under the check above: the body must render in the sandbox.
    try:
        render(body, sample_values())
    except RENDER_ERRORS as exc:
        return [Problem("template_error", str(exc))]
    return []


def sample_values() -> dict[str, dict[str, str]]:
    return {obj: {attr: attr for attr in attrs} for obj, attrs in PLACEHOLDERS.items()}


def render(body: str, values: Values) -> str:
    """`body` filled in with `values` (placeholder object → field → text)."""
    return ENVIRONMENT.from_string(body).render({k: dict(v) for k, v in values.items()})


def first_name(display_name: str) -> str:
    """The first name in a display name: "Ben Meyer" → "Ben", "Meyer, Ben" → "Ben"."""
    if "," in display_name:
        display_name = display_name.split(",", 1)[1]
    parts = display_name.split()
    return parts[0] if parts else ""
