"""Scrapy settings built from the audit configuration.

Scrapy's code defaults differ from its project template (robots.txt off, 8 requests per
domain, no delay, certificates not verified), so every setting that matters is set here
explicitly.
"""

from __future__ import annotations

from typing import Any

from scrapy.settings import default_settings

from content_audit.core.config import Config
from content_audit.core.urls import origin
from content_audit.crawler.tls import tls_settings


def build_settings(config: Config) -> dict[str, Any]:
    crawl = config.crawl
    links = config.links
    ca_bundle = str(config.resolve(links.ca_bundle)) if links.ca_bundle else ""
    settings: dict[str, Any] = {
        "BOT_NAME": "content-audit",
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "ROBOTSTXT_USER_AGENT": "ContentAudit",
        "CONCURRENT_REQUESTS": crawl.concurrency,
        # Slots are per host:port (LinkPolicyMiddleware); each gets this many requests.
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.per_host_concurrency,
        "DOWNLOAD_DELAY": crawl.delay,
        "DOWNLOAD_DELAY_JITTER": 0,
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "DOWNLOAD_MAXSIZE": int(crawl.max_size_mb * 1024 * 1024),
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": crawl.retries > 0,
        "RETRY_TIMES": crawl.retries,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "REDIRECT_MAX_TIMES": 10,
        "METAREFRESH_ENABLED": False,
        "HTTPERROR_ALLOW_ALL": True,
        "COOKIES_ENABLED": False,
        # no Referer: a staging site's addresses must not leak to the sites it links to
        "REFERER_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_ENABLED": False,  # the CLI configures logging; findings carry the errors
        "LOG_INSTALL_ROOT_HANDLER": False,
        "DEPTH_LIMIT": 0,
        # Scrapy runs each response's output through CONCURRENT_ITEMS asyncio workers, made
        # anew per response (default 100: ~100 tasks a page, about a third of the crawl's CPU
        # on the benchmark site). Our one pipeline writes synchronously, so one is as fast.
        "CONCURRENT_ITEMS": 1,
        "DNS_TIMEOUT": min(crawl.timeout, 15),
        # resolves IPv6 too (the default resolver asks for IPv4 only): http://[::1]:8080/
        "DNS_RESOLVER": "scrapy.resolver.CachingHostnameResolver",
        "REACTOR_THREADPOOL_MAXSIZE": 20,
        # Scrapy's DownloaderAwarePriorityQueue, with separate budgets: requests to other
        # hosts (link checks) may hold crawl.other_hosts_share of CONCURRENT_REQUESTS, the
        # rest is kept for the site's pages (scrapy_private.BudgetQueue says why)
        "SCHEDULER_PRIORITY_QUEUE": "content_audit.crawler.scrapy_private.BudgetQueue",
        "AUDIT_OTHER_HOSTS_SHARE": crawl.other_hosts_share,
        # breadth first: Scrapy's default queues are LIFO (depth first), which makes a page's
        # depth the length of whichever chain reached it first, and max_depth arbitrary
        # FIFO, with the pages waiting their turn held as tuples, not Requests: on a big
        # site most of its pages wait in the scheduler at once (crawler.queues says why)
        "SCHEDULER_MEMORY_QUEUE": "content_audit.crawler.queues.PageTupleQueue",
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        # Scrapy's downloader, with per-host concurrency that holds under bursts
        "DOWNLOADER": "content_audit.crawler.scrapy_private.PoliteDownloader",
        "ITEM_PIPELINES": {"content_audit.crawler.pipelines.StorePipeline": 100},
        # Scrapy parts this crawl has no use for, each a cost on every request or on every
        # output of every callback: the spider keeps its own depth and scope, looks_like_trap
        # caps page URLs (a link check must see a long URL, not drop it unseen), and no
        # per-request download statistics are read
        "SPIDER_MIDDLEWARES": {
            "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
            "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
            "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
        },
        "DOWNLOADER_STATS": False,
        # Scrapy's own, without the cookies middleware (COOKIES_ENABLED is False): Scrapy
        # imports every middleware named, even as None, and that one's module imports
        # tldextract and requests, 0.16 s of every start (as for EXTENSIONS_BASE below)
        "DOWNLOADER_MIDDLEWARES_BASE": {
            name: order
            for name, order in default_settings.DOWNLOADER_MIDDLEWARES_BASE.items()
            if name != "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
        },
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            # robots.txt answering 5xx means "crawl nothing" (RFC 9309), not "everything"
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "content_audit.crawler.middlewares.RobotsRfcMiddleware": 100,
            # before robots.txt (100): a refused address never even gets a robots request
            "content_audit.crawler.address_guard.AddressGuardMiddleware": 40,
            "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
            "content_audit.crawler.middlewares.SiteAuthMiddleware": 300,
            "content_audit.crawler.middlewares.LinkPolicyMiddleware": 350,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "content_audit.crawler.retry_after.RetryAfterMiddleware": 550,
        },
        # Of Scrapy's own extensions only the statistics (finish_reason) are of use: no
        # feeds, telnet, job state, throttling, memory watch or Scrapy logging here. They
        # are left out of the base list, since naming one in EXTENSIONS (even as None) has
        # Scrapy import it, and remote control imports aiohttp: 0.35 s of every start-up.
        "EXTENSIONS_BASE": {"scrapy.extensions.corestats.CoreStats": 0},
        "EXTENSIONS": {"content_audit.crawler.progress.Progress": 500},
        "AUDIT_SITE_ORIGINS": sorted({origin(u) for u in config.site.start_urls}),
        "AUDIT_SITE_HOSTS": list(config.site.allowed_hosts),
        "AUDIT_PROGRESS_INTERVAL": crawl.progress_interval,
        "AUDIT_RETRY_AFTER_MAX": links.retry_after_max,
        "AUDIT_LINK_TIMEOUT_RETRIES": links.timeout_retries,
    }
    settings.update(tls_settings(ca_bundle))
    return settings
