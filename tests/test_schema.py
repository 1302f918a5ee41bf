from eventcoder.schema import ACLED_COLUMNS, EVENT_COLUMNS, Claim, Event, Evidence


def test_record_has_exactly_the_event_columns_in_order():
    event = Event(event_date="2022-10-14", claims=[Claim(figure=3)],
                  evidence={"location": [Evidence(start=0, end=6, text="Jassim")]})
    record = event.record()
    assert tuple(record) == EVENT_COLUMNS
    assert record["evidence"]["location"][0] == {"start": 0, "end": 6, "text": "Jassim"}


def test_acled_row_blanks_missing_values_and_keeps_acled_order():
    row = Event(event_date="2022-10-14").acled_row()
    assert tuple(row) == ACLED_COLUMNS
    assert row["latitude"] == "" and row["inter1"] == ""
    assert ACLED_COLUMNS[:3] == ("event_id", "event_date", "year")
