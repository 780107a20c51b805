"""The rules of a stylesheet that can match something on a page, for printing it faster.

GOV.UK Frontend's stylesheet holds some 1,400 rules and a statement uses a few dozen of its
classes.  WeasyPrint parses every rule of every stylesheet for every PDF and tries each one on
every element: about a quarter of a second of a statement's PDF goes on rules that cannot
apply.  ``UsedRules`` splits the stylesheet into rules once a process and, for each page,
keeps only the rules that might match it.

Dropping a rule is safe only when it certainly cannot match, so the test is one-sided: a
selector is dropped when it names a class that no element of the page carries (a page without
scripts never gains a class).  Anything this module does not read with certainty is kept: a
selector with parentheses (``:not(.x)``, ``:is()``), a class written with a hex escape, and
every at-rule other than ``@media`` and ``@supports`` (whose own rules are pruned the same
way).  tests/render/test_used_css.py prints a statement with and without pruning and finds
every word at the same place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tinycss2

_CLASS = re.compile(r"\.((?:[\w-]|\\[^0-9a-fA-F\s])+)")
_CLASS_ATTRIBUTE = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.IGNORECASE)
_HEX_ESCAPE = re.compile(r"\\[0-9a-fA-F]")
_NESTED = frozenset({"media", "supports"})


@dataclass(frozen=True)
class _Rule:
    text: str  # the rule as written (serialised once)
    needs: tuple[frozenset[str], ...] | None  # per selector, the classes it needs; None: always kept
    inner: tuple[_Rule, ...] = ()  # the rules inside @media or @supports
    head: str = ""  # "@media print" before the inner rules


def _needs(prelude: str) -> tuple[frozenset[str], ...] | None:
    if "(" in prelude or "[" in prelude or _HEX_ESCAPE.search(prelude):
        return None
    return tuple(frozenset(name.replace("\\", "") for name in _CLASS.findall(selector))
                 for selector in prelude.split(","))


def _rules(nodes: list[tinycss2.ast.Node]) -> tuple[_Rule, ...]:
    out: list[_Rule] = []
    for node in nodes:
        if node.type == "qualified-rule":
            out.append(_Rule(node.serialize(), _needs(tinycss2.serialize(node.prelude))))
        elif node.type == "at-rule" and node.lower_at_keyword in _NESTED and node.content is not None:
            inner = _rules(tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True))
            out.append(_Rule("", None, inner, f"@{node.at_keyword}{tinycss2.serialize(node.prelude)}"))
        elif node.type == "at-rule":
            out.append(_Rule(node.serialize(), None))
    return tuple(out)


def page_classes(html_text: str) -> frozenset[str]:
    """Every class any element of ``html_text`` carries."""
    return frozenset(name for match in _CLASS_ATTRIBUTE.finditer(html_text)
                     for name in (match.group(1) or match.group(2) or match.group(3) or "").split())


class UsedRules:
    """A stylesheet read once, answering for each page with the rules that might match it."""

    def __init__(self, css: str) -> None:
        self._rules = _rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))

    def for_page(self, html_text: str) -> str:
        return "\n".join(_kept(self._rules, page_classes(html_text)))


def _kept(rules: tuple[_Rule, ...], classes: frozenset[str]) -> list[str]:
    out: list[str] = []
    for rule in rules:
        if rule.head:
            inner = _kept(rule.inner, classes)
            if inner:
                out.append(f"{rule.head}{{{''.join(inner)}}}")
        elif rule.needs is None or any(needed <= classes for needed in rule.needs):
            out.append(rule.text)
    return out


__all__ = ["UsedRules", "page_classes"]
