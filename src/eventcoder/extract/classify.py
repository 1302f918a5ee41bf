"""Applies a model trained by ``eventcoder train`` to the rules' event mentions.

The rules still find the mentions, their arguments and evidence; the classifier, which sees the
mention's text and the rules' own type, decides the event type and sub-event type (the rules'
type is one of its features, so it learns where the rules are right). A mention it confidently
calls a non-event is demoted below ``MIN_SCORE``; a short report where the rules found nothing
but the classifier confidently sees an event gets one mention (the rules' weak one when there is
one). Evidence for a type the model decided is the mention's sentence.

The learned actor table is applied through :class:`LearnedActors`: aliases for the actor stage's
matcher and the analysts' spelling of the rules' names.
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from ..train.model import NONE, Model
from .typing import MIN_SCORE, Trigger

#: texts up to this many characters (analysts' notes, snippets) are classified whole; longer
#: articles by the mention's sentence.
SHORT_TEXT = 1000


class ModelTyper:
    """Re-types the rules' triggers of one Doc with the model's classifier.

    Args:
        model: a loaded :class:`~eventcoder.train.model.Model`.
    """

    def __init__(self, model: Model):
        self.model = model
        settings = model.meta.get("settings") or {}
        self.drop_margin = float(settings.get("drop_margin", 0.5))   # "none" this sure drops a mention
        self.add_margin = float(settings.get("add_margin", 0.0))     # an event this sure adds one
        self.short = int(settings.get("short_text", SHORT_TEXT))

    def _context(self, doc: Doc, trigger: Trigger) -> str:
        return doc.text if len(doc.text) <= self.short else trigger.sent.text

    def __call__(self, doc: Doc, triggers: list[Trigger]) -> list[Trigger]:
        """Return ``triggers`` with types decided by the classifier (in place, plus at most one new)."""
        strong = [t for t in triggers if t.score >= MIN_SCORE]
        classifier = self.model.classifier
        preds = classifier.predict([self._context(doc, t) for t in strong],
                                   [(t.event_type, t.sub_event_type) for t in strong])
        if strong and len(doc.text) <= self.short:
            # a note is classified whole, as in training, with the rules' main mention's type; that
            # mention stays the report's main one
            main = max(range(len(strong)), key=lambda i: strong[i].score)
            top = max(t.score for t in strong)
            strong[main].score = min(1.0, top + 0.01)
        for trigger, pred in zip(strong, preds):
            if pred.event_type == NONE:
                if pred.margin >= self.drop_margin:
                    trigger.score = round(MIN_SCORE - 0.01, 3)
                    trigger.flags.append("model_none")
                continue
            sub = pred.sub_event_type or (trigger.sub_event_type if trigger.event_type == pred.event_type else None)
            if sub is None:
                continue
            if (pred.event_type, sub) != (trigger.event_type, trigger.sub_event_type):
                trigger.event_type, trigger.sub_event_type = pred.event_type, sub
                trigger.evidence = [(trigger.sent.start_char, trigger.sent.end_char)]
                trigger.flags.append("model")
        if strong or len(doc.text) > self.short or not doc.text.strip():
            return triggers
        weak = max(triggers, key=lambda t: t.score, default=None)
        pred = classifier.predict([doc.text], [(None, None)])[0]  # as in training: the rules coded nothing
        if pred.event_type == NONE or not pred.sub_event_type or pred.margin < self.add_margin:
            return triggers
        if weak is not None and not {"negated", "hypothetical", "historical"} & set(weak.flags):
            added = replace(weak, event_type=pred.event_type, sub_event_type=pred.sub_event_type,
                            score=MIN_SCORE, flags=[*weak.flags, "model"],
                            evidence=[(weak.sent.start_char, weak.sent.end_char)])
        else:
            sent = next(iter(doc.sents))
            root = sent.root
            added = Trigger(pred.event_type, pred.sub_event_type, root.idx, root.idx + len(root), root.text,
                            sent, sent.start_char, sent.end_char, score=MIN_SCORE,
                            evidence=[(sent.start_char, sent.end_char)], cls="model", flags=["model"])
        return [*triggers, added]


class LearnedActors:
    """The model's actor table for the actor stage: ``aliases(country)`` feeds its matcher;
    ``spell(coding, country)`` writes the rules' names as the analysts coded them."""

    def __init__(self, model: Model):
        self.table = model.actors

    def aliases(self, country: str | None) -> list[tuple[str, str, int, bool]]:
        return self.table.for_country(country)

    def spell(self, coding, country: str | None):
        rename = self.table.rename
        coding.actor1 = rename(coding.actor1, country)
        coding.actor2 = rename(coding.actor2, country)
        coding.assoc_actor_1 = [rename(a, country) for a in coding.assoc_actor_1]
        coding.assoc_actor_2 = [rename(a, country) for a in coding.assoc_actor_2]
        return coding
