from pathlib import Path

import pytest

from content_audit.core.config import ConfigError
from content_audit.settings import load_config as load


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "audit.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_valid():
    config = load()
    assert config.crawl.obey_robots is True
    assert config.report.fail_on == "error"


def test_file_and_flags_merge(tmp_path):
    path = write(
        tmp_path,
        '[site]\nstart_urls = ["https://www.example-trust.nhs.uk/"]\n[crawl]\nconcurrency = 4\n',
    )
    config = load(path, {"crawl.concurrency": 8, "report.fail_on": "warning"})
    assert config.site.start_urls == ["https://www.example-trust.nhs.uk/"]
    assert config.crawl.concurrency == 8
    assert config.report.fail_on == "warning"
    assert config.base_dir == str(tmp_path)


def test_unknown_key_is_named_with_a_hint(tmp_path):
    path = write(tmp_path, "[crawl]\nconcurency = 4\n")
    with pytest.raises(ConfigError, match=r"unknown setting 'crawl.concurency'.*'concurrency'"):
        load(path)


def test_unknown_section_is_named(tmp_path):
    with pytest.raises(ConfigError, match="unknown setting 'crawler'"):
        load(write(tmp_path, "[crawler]\nx = 1\n"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[crawl]\nconcurrency = "lots"\n', "crawl.concurrency must be a whole number"),
        ("[crawl]\nobey_robots = 1\n", "crawl.obey_robots must be true or false"),
        ('[report]\nfail_on = "sometimes"\n', "report.fail_on must be one of"),
        ('[site]\nstart_urls = ["ftp://x"]\n', "not an http"),
        ('[site]\nexclude = ["(unclosed"]\n', "site.exclude"),
        ('[checks]\ndisable = ["no-such-rule"]\n', "unknown rule 'no-such-rule'"),
        ('[checks]\ndisable = ["typos"]\n', r"unknown rule 'typos' \(did you mean 'typo'\?\)"),
        ('[site]\nexclude = "/news/"\n', "site.exclude must be a list of strings, not"),
        ('today = "24/11/2026"\n', "today must be a date"),
        ("[crawl]\nconcurrency = 0\n", "crawl.concurrency must be at least 1"),
    ],
)
def test_bad_values_are_named(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load(write(tmp_path, text))


def test_broken_toml_is_reported(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load(write(tmp_path, "[site\n"))


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load(tmp_path / "nope.toml")
