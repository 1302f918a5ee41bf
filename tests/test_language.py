"""Language check: articles not in English are skipped with a notice, never silently."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from eventcoder.cli import app
from eventcoder.ingest.language import detect_language

FRENCH = ("Des hommes armés ont attaqué un poste de police dans le nord du pays mardi soir, selon "
          "un responsable local qui a fait état de plusieurs blessés parmi les agents.")
SPANISH = ("Un grupo armado atacó un puesto policial en el norte del país el martes por la noche, según "
           "un funcionario local que informó de varios heridos entre los agentes.")
ARABIC = "هاجم مسلحون مركزا للشرطة في شمال البلاد مساء الثلاثاء بحسب مسؤول محلي"
ENGLISH = ("Gunmen attacked a police post in the north of the country on Tuesday night, a local "
           "official said, adding that several officers were wounded in the assault.")


def test_languages_told_apart():
    assert detect_language(ENGLISH) == "en"
    assert detect_language(FRENCH) == "fr"
    assert detect_language(SPANISH) == "es"
    assert detect_language(ARABIC) == "ar"


def test_short_or_name_heavy_text_is_taken_as_english():
    assert detect_language("Clashes in Deir ez-Zor.") == "en"
    assert detect_language("Sheikh Maqsoud, Bab al-Hawa, Jisr al-Shughur, Ras al-Ain, Tal Abyad") == "en"


def test_english_quoting_arabic_stays_english():
    assert detect_language(ENGLISH + " Residents chanted " + ARABIC[:20] + " in the street.") == "en"


def test_extract_skips_other_languages_with_a_notice_and_a_count(tmp_path):
    src = tmp_path / "mixed.jsonl"
    rows = [{"id": "fr-1", "text": FRENCH}, {"id": "en-1", "text": ENGLISH, "published": "2024-03-06"},
            {"id": "ar-1", "text": ARABIC}]
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(src), "--format", "jsonl", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "article fr-1 skipped: language fr" in result.stderr
    assert "article ar-1 skipped: language ar" in result.stderr
    assert "2 skipped (not English)" in result.stderr
    assert all(json.loads(line)["article_id"] == "en-1" for line in result.stdout.splitlines() if line.strip())


def test_ingest_skips_other_languages_with_a_notice_and_a_count(tmp_path):
    src = tmp_path / "mixed.jsonl"
    rows = [{"id": "fr-1", "text": FRENCH}, {"id": "en-1", "text": ENGLISH, "published": "2024-03-06"}]
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(src), "--db", str(tmp_path / "store.db"), "--workers", "1",
                                      "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "article fr-1 skipped: language fr" in result.stderr
    assert "1 skipped (not English)" in result.stderr
