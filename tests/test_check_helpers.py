"""Small builders for content-check tests."""

from __future__ import annotations

from datetime import date

from content_audit.checks.engine.registry import CheckContext
from content_audit.core.config import ChecksConfig
from content_audit.core.model import Contacts, Page, Section


def make_page(
    paragraphs: list[str] | None = None,
    *,
    url: str = "https://www.example-trust.nhs.uk/a",
    list_items: list[str] | None = None,
    heading: str = "Back pain",
    contacts: Contacts | None = None,
    **kwargs,
) -> Page:
    paragraphs = paragraphs or []
    list_items = list_items or []
    main_text = "\n".join([heading, *paragraphs, *list_items])
    return Page(
        url=url,
        final_url=url,
        status=200,
        title=heading,
        headings=[(1, heading)],
        sections=[Section(heading=heading, level=1, paragraphs=paragraphs, list_items=list_items)],
        main_text=main_text,
        contacts=contacts or Contacts(),
        **kwargs,
    )


def make_ctx(**config) -> CheckContext:
    return CheckContext(config=ChecksConfig(**config), today=date(2026, 11, 24))
