"""The page's safety rules: escaped text, script-safe JSON, http(s)-only links, a strict CSP."""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlcost.report.model import Card, Cards, Column, Prose, ReportTable, Section, Unavailable
from dlcost.report.render import render_html, safe_url, script_json


@given(st.text())
def test_script_json_round_trips_and_never_closes_the_script(value: str) -> None:
    text = script_json({"v": value, "list": [value]})
    assert "<" not in text and ">" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"v": value, "list": [value]}


def test_script_json_escapes_a_closing_tag() -> None:
    text = script_json({"model": "</script><script>alert(1)</script>"})
    assert "</script" not in text.lower()
    assert "\\u003c/script\\u003e" in text


@pytest.mark.parametrize("url", ["https://arxiv.org/abs/2007.05558", "http://example.org/a?b=1"])
def test_safe_url_keeps_web_links(url: str) -> None:
    assert safe_url(url) == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)",
                                 "data:text/html,<b>x</b>", "vbscript:x", "/etc/passwd",
                                 "arxiv.org/abs/1", "https://", None, 3.0, float("nan")])
def test_safe_url_refuses_everything_else(url: object) -> None:
    assert safe_url(url) is None


def _page(text: str) -> str:
    frame = pd.DataFrame({"model": [text], "url": ["javascript:alert(1)"], "x": [1.5]})
    section = Section("s", text, [text], blocks=[
        Prose([text]),
        Cards([Card(title=text, value=text, detail=text)]),
        ReportTable(id="t", title=text, frame=frame, maker="m",
                    columns=[Column("model", text, link="url"), Column("x", "x", str)]),
        Unavailable(text, text),
    ])
    return render_html([section], title=text, subtitle=text, facts=[(text, text)])


def test_data_strings_render_as_text() -> None:
    hostile = "<img src=x onerror=alert(1)>"
    page = _page(hostile)
    assert "<img" not in page
    assert page.count("&lt;img src=x onerror=alert(1)&gt;") >= 8
    assert 'href="javascript' not in page


def test_inline_scripts_are_allowed_by_hash_only() -> None:
    page = _page("plain")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    policy = html.unescape(csp.group(1))
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    script_src = re.search(r"script-src ([^;]+)", policy)
    assert script_src is not None
    assert "unsafe-inline" not in script_src.group(1)
    assert script_src.group(1).count("'sha256-") == 2
    # Every executable inline script carries one of those hashes.
    import base64
    import hashlib

    bodies = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    assert len(bodies) == 2
    for body in bodies:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src.group(1)


def test_page_loads_nothing_from_the_network() -> None:
    page = _page("plain")
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link\b", page)
    assert not re.search(r"<img\b", page)
