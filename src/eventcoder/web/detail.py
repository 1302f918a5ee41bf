"""One incident in full (its reports, claims, evidence and review history) and the evidence highlighter.

Article text is untrusted: ``highlight`` escapes every segment of it and only ever adds its own
``<mark>`` elements, whose class names and titles are built from sanitised field names.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from ..store.database import Database
from ..store.review import history, machine_record, reviewed_record

_CLASS = re.compile(r"[^a-z0-9_]+")


def field_class(name: str) -> str:
    return "ev-" + (_CLASS.sub("", name.lower()) or "field")


def valid_spans(text: str, spans: Iterable[tuple[int | None, int | None, str, str]]) -> list[tuple[int, int, str]]:
    """``(start, end, field)`` for the spans that really point into ``text``.

    ``spans`` are ``(start, end, field, quoted)``; a span whose offsets do not cover ``quoted`` is
    looked up by its quoted words instead (first occurrence), and dropped if they are not there.
    """
    out = []
    for start, end, name, quoted in spans:
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            if not quoted or text[start:end] == quoted:
                out.append((start, end, name))
                continue
        if quoted:
            at = text.find(quoted)
            if at >= 0:
                out.append((at, at + len(quoted), name))
    return out


def highlight(text: str, spans: Iterable[tuple[int, int, str]]) -> Markup:
    """``text`` as HTML with each span wrapped in ``<mark>`` naming its fields; everything escaped."""
    spans = [(s, e, f) for s, e, f in spans if 0 <= s < e <= len(text)]
    bounds = sorted({0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    parts: list[Markup] = []
    for a, b in zip(bounds, bounds[1:]):
        segment = text[a:b]
        active = sorted({f for s, e, f in spans if s <= a and b <= e})
        if active:
            classes = " ".join(field_class(f) for f in active)
            parts.append(Markup('<mark class="ev {}" data-fields="{}" title="{}">{}</mark>').format(
                classes, " ".join(active), ", ".join(active), segment))
        else:
            parts.append(escape(segment))
    return Markup("").join(parts)


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None (a ``javascript:`` link from an article must not be clickable)."""
    url = (url or "").strip()
    return url if re.match(r"^https?://", url, re.I) else None


def event_detail(db: Database, merged_id: str) -> dict | None:
    """Everything about one incident: the reviewed record, the machine record, the corrections,
    the reports (article, its own coded event, the evidence found in it) and the claims."""
    event = reviewed_record(db, merged_id)
    if event is None:
        return None
    machine = machine_record(db, merged_id) or {}
    evidence: dict[str, dict[str, list[dict]]] = {}
    for key, spans in (machine.get("evidence") or {}).items():
        article_id, _, name = key.rpartition(":")
        evidence.setdefault(article_id, {})[name] = spans
    sources = []
    links = db.query("SELECT l.event_key, l.article_id, a.title, a.source, a.url, a.published, a.text, e.record"
                     " FROM merged_links l JOIN articles a ON a.article_id = l.article_id"
                     " JOIN events e ON e.event_key = l.event_key WHERE l.merged_id = ? ORDER BY a.published, l.article_id",
                     (merged_id,))
    for event_key, article_id, title, source, url, published, text, record in links:
        member = json.loads(record)
        own = evidence.get(article_id) or member.get("evidence") or {}
        urls = [r[0] for r in db.query("SELECT url FROM article_urls WHERE article_id = ? ORDER BY url", (article_id,))]
        sources.append({"event_key": event_key, "article_id": article_id, "title": title, "source": source,
                        "url": url, "urls": urls, "published": published, "text": text, "event": member,
                        "evidence": own})
    claims = []
    for source in sources:
        for claim in source["event"].get("claims") or []:
            item = dict(claim)
            item["claimant"] = item.get("claimant") or source["source"] or source["article_id"]
            item["article_id"] = source["article_id"]
            item["outlet"] = source["source"]
            claims.append(item)
    event.pop("evidence", None)
    return {"event": event, "machine": machine, "corrections": [c.as_dict() for c in history(db, merged_id)],
            "sources": sources, "claims": claims, "evidence": evidence}


def article_spans(source: dict) -> list[tuple[int, int, str]]:
    """The highlightable spans of one report: each field's evidence and each claim."""
    raw = []
    for name, spans in (source.get("evidence") or {}).items():
        for span in spans:
            raw.append((span.get("start"), span.get("end"), name, span.get("text") or ""))
    for claim in source["event"].get("claims") or []:
        if claim.get("start") is not None:
            raw.append((claim.get("start"), claim.get("end"), "claim", claim.get("text") or ""))
    return valid_spans(source.get("text") or "", raw)
