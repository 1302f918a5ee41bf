"""Extraction stages: event mentions, their type, actors, numbers, dates, claims; then assembly."""
