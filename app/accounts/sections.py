"""Sections of the account overview, contributed by features.

Each feature registers a section: an order, a template and a function that
returns the context the template needs (a fixed number of queries). The
overview page just loops over them, so features never edit each other's markup.
"""
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    template: str
    context: Callable  # (account) -> dict


SECTIONS: dict[str, Section] = {}


def register_section(key, order, template, context=lambda account: {}):
    """Add (or replace) an overview section."""
    SECTIONS[key] = Section(key, order, template, context)


def sections_for(account):
    """[(section, context)] in page order."""
    return [(s, s.context(account)) for s in sorted(SECTIONS.values(), key=lambda s: s.order)]
