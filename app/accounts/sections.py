"""Sections of the account overview, contributed by features.

Each feature registers a section: an order, a template and a function that
returns the context the template needs (a fixed number of queries). The
overview page just loops over them, so features never edit each other's markup.

The overview renders only the account's own facts and its team; every other
section arrives by its own htmx request (`accounts.section`), so the page stays a
small, fixed number of queries however many features add sections, and a slow
section never holds up the rest.
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


def ordered():
    """Every registered section in page order."""
    return sorted(SECTIONS.values(), key=lambda s: s.order)


def sections_for(account):
    """[(section, context)] in page order, every context computed (for one-request renders)."""
    return [(s, s.context(account)) for s in ordered()]
