"""The app's JSON by orjson (fsr_coach/request_body.py, decision 013):
answers parse back to what the views gave, and what orjson refuses goes to
Python's json, so that nothing is accepted, refused or answered otherwise
than with Flask's own provider."""
import json
import math


def test_an_answer_parses_back_to_what_the_view_gave(app):
    given = {"user_id": "7", "cases": {"CAS\u00c9-1": {"fsrNotes": "\u4e2d\u6587 \U0001F600",
                                                     "version": 3, "updatedAt": None}},
             "count": 1}
    with app.app_context():
        answer = app.json.response(given)
    assert json.loads(answer.get_data()) == given


def test_an_answer_keeps_the_order_the_view_gave(app):
    with app.app_context():
        answer = app.json.response({"b": 1, "a": 2})
    assert list(json.loads(answer.get_data())) == ["b", "a"]


def test_a_lone_surrogate_echoed_back_is_answered_escaped(alice):
    answer = alice.open("/api/cases/status", method="POST",
                        data=b'{"case_numbers": ["\\ud800"]}', content_type="application/json")
    assert answer.status_code == 200
    assert b'"\\ud800"' in answer.get_data()
    assert answer.get_json()["results"][0]["status"] == "invalid"


def test_nan_and_a_big_integer_in_a_body_are_parsed_as_python_parses_them(app):
    with app.app_context():
        nan, big = app.json.loads(b'{"a": [NaN, 123456789012345678901234567890]}')["a"]
    assert math.isnan(nan) and big == 123456789012345678901234567890
