"""Item pipeline: stream each page and fetch result to the run store as it arrives."""

from __future__ import annotations

from typing import Any

from content_audit.core.store import RunStore


class StorePipeline:
    """Writes items to the RunStore; the spider keeps nothing once an item is stored."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    @property
    def store(self) -> RunStore:
        return self.crawler.spider.store

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if "page" in item:
            self.store.add_page(item["page"], item.get("record"))
        if "fetch" in item:
            self.store.add_fetch(item["fetch"], item.get("kind", "link"))
        return {}

    def close_spider(self) -> None:
        self.store.commit()
