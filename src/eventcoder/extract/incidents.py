"""Incidents of a news report: which event mentions are the report's own incidents, and which
mentions tell the same incident.

A news report tells one or two incidents many times: the headline, the lead, the body, a quote,
a recap. ACLED codes each incident once per day and place. So, for a report with the layout of a
news article (:mod:`.article`):

- mentions in **background** are dropped: a date more than ``background_days`` before the lead's
  incident, or a paragraph of older history ("since 2019", "last year") with no date of its own;
- mentions in the **headline** are dropped when the body tells an incident (it is the same one);
- the remaining mentions are grouped into **incidents**: one per day and place. A mention that
  names no place of its own, or a place near the incident's, belongs to the incident of its day;
  a mention at another place, far away, is another incident, unless it is a strategic development
  (movements, deployments, arrests around the incident) which belongs to the day's incident.
"""
from __future__ import annotations

import datetime as dt
import math

from .article import Structure, lexicon
from .assemble import Mention

NEAR_KM = 25.0


def select_incidents(mentions: list[Mention], layout: Structure, published: dt.date | None) -> list[Mention]:
    """The mentions that tell the report's own incidents (background and headline repeats dropped)."""
    if not mentions:
        return mentions
    body = [m for m in mentions if not layout.in_title(m.trigger.start)]
    if not body:
        return mentions
    reference = _lead_date(body)
    limit = int(lexicon()["background_days"])
    kept = []
    for mention in body:
        paragraph = layout.paragraph_at(mention.trigger.start)
        days = mention.date.days
        if reference is not None and days and max(days) < reference - dt.timedelta(days=limit):
            continue  # an older event told as background
        if paragraph is not None and paragraph.background_cue and not (
                mention.date_explicit and mention.date.precision == 1):
            continue  # a paragraph of history with no day of its own ("since late October, ...")
        kept.append(mention)
    return kept or body[:1]


def _lead_date(mentions: list[Mention]) -> dt.date | None:
    """The day of the report's incident: the first explicitly dated mention's, else the first's."""
    dated = [m for m in mentions if m.date_explicit and m.date.days]
    first = dated[0] if dated else next((m for m in mentions if m.date.days), None)
    return min(first.date.days) if first is not None else None


def incident_groups(mentions: list[Mention], layout: Structure | None = None) -> list[list[Mention]]:
    """The mentions of one report grouped into incidents: one per day and place."""
    by_day: dict[tuple, list[Mention]] = {}
    for mention in mentions:
        by_day.setdefault(tuple(mention.date.days), []).append(mention)
    groups: list[list[Mention]] = []
    for day_mentions in by_day.values():
        clusters: list[list[Mention]] = []
        for mention in day_mentions:
            home = _cluster_of(mention, clusters)
            if home is None and clusters and layout is not None and not _told_apart(mention, layout):
                home = clusters[0]  # a detail of the same incident ("the source in X said")
            if home is None:
                clusters.append([mention])
            else:
                home.append(mention)
        groups.extend(clusters)
    return groups


def _told_apart(mention: Mention, layout: Structure) -> bool:
    """Whether a mention at another place is told as another incident: its paragraph opens with
    words that say so ("Separately on Tuesday", "Elsewhere") or gives its own date, after the lead."""
    paragraph = layout.paragraph_at(mention.trigger.start)
    if paragraph is None or paragraph.role != "body":
        return False
    return paragraph.separate_cue or mention.date_explicit


def _cluster_of(mention: Mention, clusters: list[list[Mention]]) -> list[Mention] | None:
    if not clusters:
        return None
    if not mention.place_explicit or mention.place is None or mention.trigger.event_type == "Strategic developments":
        return clusters[0]
    for cluster in clusters:
        anchor = next((m.place for m in cluster if m.place is not None and m.place_explicit), None)
        if anchor is None or _km(anchor.place, mention.place.place) <= NEAR_KM:
            return cluster
    return None


def _km(a, b) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))
