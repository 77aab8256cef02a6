"""The default rubric's checks, one behaviour each, and how the coach
scores, places and words what it finds (fsr_coach/coach/engine.py)."""
import pytest

from fsr_coach.coach.engine import evaluate, score
from fsr_coach.coach.rubric import load_rubric

RUBRIC = load_rubric()
# A statement and notes that pass every check; each test spoils one.
GOOD_PROBLEM = ("Chiller compressor (model XJ-200) trips on overload every 10 minutes"
                " since Monday; suction 210 psi. Line down.")
GOOD_NOTES = ("Found contactor K3 burnt, caused by a loose terminal. Replaced contactor K3"
              " (P/N 3RT2026). Suction 68 psi. Ran 45 min under load, no alarms."
              " Compressor back in service.")


def coached(problem=GOOD_PROBLEM, notes=GOOD_NOTES, rubric=RUBRIC):
    return evaluate(rubric, problem, notes)


def passed(answer, check_id):
    return next(check["passed"] for check in answer["checks"] if check["id"] == check_id)


def found(answer, check_id):
    """(field, match) of each finding of one check."""
    return [(f["field"], f["match"]) for f in answer["findings"] if f["check"] == check_id]


def test_the_good_statement_and_notes_pass_every_check():
    answer = coached()
    assert answer["score"] == 100 and answer["findings"] == []


# --- the problem statement ------------------------------------------------------------

@pytest.mark.parametrize("identifier", ["model XJ-200", "S/N 4711", "asset A-1234",
                                        "serial no. 99-8812", "unit AB1234"])
def test_the_equipment_check_passes_with_a_model_serial_or_asset_number(identifier):
    assert passed(coached(f"The compressor {identifier} trips on overload"), "ps.equipment")


def test_the_equipment_check_fails_without_an_identifier():
    assert not passed(coached("The compressor trips on overload, alarm E-203"),
                      "ps.equipment")


def test_each_vague_symptom_word_is_a_finding():
    answer = coached("Compressor not working, broken and faulty; an issue since Monday")
    assert found(answer, "ps.symptom") == [("problemStatement", "not working"),
                                           ("problemStatement", "broken"),
                                           ("problemStatement", "faulty"),
                                           ("problemStatement", "issue")]
    assert not passed(answer, "ps.symptom")


def test_a_concrete_symptom_passes_the_symptom_check():
    assert passed(coached("Compressor leaks oil at the shaft seal"), "ps.symptom")


def test_a_statement_of_two_words_has_no_concrete_symptom():
    answer = coached("Compressor leaking")
    assert not passed(answer, "ps.symptom") and found(answer, "ps.symptom") == []


@pytest.mark.parametrize("evidence", ["210 psi", "85 °C", "85°C", "3.2 A", "1,450 rpm",
                                      "E-203", "0x80070005", "alarm 17", "error code F12",
                                      '"Film break"', "“Sensor fault”"])
def test_the_evidence_check_passes_with_a_value_and_unit_or_a_code(evidence):
    assert passed(coached(f"The press shows {evidence} at start-up"), "ps.evidence")


def test_the_evidence_check_fails_with_a_bare_number():
    assert not passed(coached("The press stops 3 times at start-up"), "ps.evidence")


@pytest.mark.parametrize("when", ["since Monday", "at start-up", "every 10 minutes",
                                  "intermittent", "on 2024-05-01", "at 14:30",
                                  "3 times a day"])
def test_the_when_check_passes_with_a_time_a_start_or_a_frequency(when):
    assert passed(coached(f"The press stops {when}"), "ps.when")


def test_the_when_check_fails_without_one():
    assert not passed(coached("The press stops with alarm 17"), "ps.when")


@pytest.mark.parametrize("impact", ["line down", "cannot print", "production stopped",
                                    "a safety risk"])
def test_the_impact_check_passes_with_what_the_fault_stops_or_costs(impact):
    assert passed(coached(f"Printer P-1 jams every hour, {impact}"), "ps.impact")


def test_the_impact_check_fails_without_it():
    assert not passed(coached("Printer P-1 jams every hour"), "ps.impact")


def test_a_fix_in_the_statement_is_a_finding():
    answer = coached("Fuse replaced and repaired twice, fixed now but the amplifier hums")
    assert found(answer, "ps.no_solution") == [("problemStatement", "replaced"),
                                               ("problemStatement", "repaired"),
                                               ("problemStatement", "fixed")]
    assert not passed(answer, "ps.no_solution")


# --- the FSR notes ----------------------------------------------------------------------

@pytest.mark.parametrize("action", ["cleaned the condenser coil", "replaced contactor K3",
                                    "tightened all terminals", "recharged 2 kg of R-410A"])
def test_the_actions_check_passes_with_a_verb_and_its_object(action):
    assert passed(coached(notes=f"On site: {action}."), "fsr.actions")


@pytest.mark.parametrize("vague", ["fixed", "done", "sorted", "repaired it", "fixed it",
                                   "replaced part", "all good"])
def test_a_vague_action_alone_is_a_finding(vague):
    answer = coached(notes=f"Checked the unit. {vague}.")
    assert found(answer, "fsr.actions") == [("fsrNotes", vague)]


def test_fixed_followed_by_what_was_fixed_is_not_vague():
    assert found(coached(notes="Fixed the leaking valve seat."), "fsr.actions") == []


def test_replacing_the_part_or_it_is_no_specific_action():
    assert not passed(coached(notes="Replaced the part. Replaced it."), "fsr.actions")


def test_a_part_replaced_without_a_number_or_quantity_is_a_finding():
    answer = coached(notes="Replaced the fan motor, tested 20 min, back in service.")
    assert found(answer, "fsr.parts") == [("fsrNotes", "Replaced")]


@pytest.mark.parametrize("notes", ["Replaced the fan motor, P/N 5KCP39.",
                                   "Installed 2 x fuse 10 A.", "Fitted two new rollers.",
                                   "Replaced contactor K3."])
def test_a_part_with_its_number_or_quantity_passes_the_parts_check(notes):
    assert passed(coached(notes=notes), "fsr.parts")


def test_a_part_number_more_than_80_characters_after_the_part_does_not_count():
    notes = "Replaced the ignition electrode " + "and cleaned the burner head " * 3 + "P/N 8716"
    assert found(coached(notes=notes), "fsr.parts") == [("fsrNotes", "Replaced")]


def test_notes_that_fit_no_part_pass_the_parts_check():
    assert passed(coached(notes="Cleaned the condenser coil."), "fsr.parts")


def test_the_measurements_check_needs_a_value_with_its_unit():
    assert passed(coached(notes="Motor current 4.1 A."), "fsr.measurements")
    assert not passed(coached(notes="Motor current normal, 4 readings taken."),
                      "fsr.measurements")


@pytest.mark.parametrize("proof", ["tested", "verified", "ran 45 min under load", "no alarms",
                                   "customer confirmed"])
def test_the_verification_check_passes_with_how_the_fix_was_proved(proof):
    assert passed(coached(notes=f"Cleaned the coil, {proof}."), "fsr.verification")


def test_the_verification_check_fails_without_it():
    assert not passed(coached(notes="Cleaned the coil."), "fsr.verification")


@pytest.mark.parametrize("cause", ["caused by a loose terminal", "due to dust",
                                   "root cause: worn bearing", "because the filter clogged",
                                   "cause not found"])
def test_the_cause_check_passes_with_a_cause_or_that_none_was_found(cause):
    assert passed(coached(notes=f"Pump stopped {cause}."), "fsr.cause")


def test_the_cause_check_fails_without_one():
    assert not passed(coached(notes="Cleaned the coil, tested."), "fsr.cause")


@pytest.mark.parametrize("outcome", ["back in service", "resolved", "working normally",
                                     "follow-up next week", "return visit booked",
                                     "waiting for parts", "quote sent"])
def test_the_outcome_check_passes_with_how_the_visit_ended(outcome):
    assert passed(coached(notes=f"Cleaned the coil, {outcome}."), "fsr.outcome")


def test_the_outcome_check_fails_without_it():
    assert not passed(coached(notes="Cleaned the coil."), "fsr.outcome")


def test_notes_naming_a_term_of_the_statement_address_the_problem():
    assert passed(coached("Hydraulic pump PU-4 whines", "Pump bearing greased."),
                  "fsr.addresses_problem")


def test_terms_agree_by_their_first_four_letters():
    assert passed(coached("Hose leaking at press PR-2", "Found the leak at the fitting."),
                  "fsr.addresses_problem")


def test_words_on_the_ignore_list_do_not_address_the_problem():
    assert not passed(coached("The unit does not work when they are there",
                              "They said the unit does work when there"),
                      "fsr.addresses_problem")


def test_notes_sharing_no_term_with_the_statement_do_not_address_it():
    assert not passed(coached("Scanner SC-1 cannot read barcodes", "Cleaned the window."),
                      "fsr.addresses_problem")


# --- scoring, offsets, messages -----------------------------------------------------------

def test_the_score_is_the_passed_weight_over_all_weight_as_a_percentage():
    answer = coached("Compressor not working", "fixed it")
    weights = {check["id"]: check["weight"] for check in answer["checks"]}
    passed_weight = sum(weights[c["id"]] for c in answer["checks"] if c["passed"])
    assert answer["score"] == round(100 * passed_weight / sum(weights.values()))
    assert answer["score"] == 10  # ps.no_solution (4) and fsr.parts (6) of 100


def test_a_half_point_of_score_rounds_up():
    assert score([{"weight": 1, "passed": True}, {"weight": 7, "passed": False}]) == 13
    assert score([{"weight": 1, "passed": True}, {"weight": 199, "passed": False}]) == 1


def test_a_field_without_a_word_passes_none_of_its_checks():
    answer = coached(" \n 😀 !!! ", GOOD_NOTES)
    assert not any(c["passed"] for c in answer["checks"] if c["field"] == "problemStatement")
    assert all(c["passed"] for c in answer["checks"] if c["field"] == "fsrNotes"
               and c["id"] != "fsr.addresses_problem")


def test_offsets_count_code_points_and_end_after_the_match():
    answer = coached("😀👩‍🔧 é broken", GOOD_NOTES)
    finding, = answer["findings"]
    # 😀, 👩, ZWJ, 🔧, space, é, space: seven code points (nine UTF-16 units).
    assert (finding["start"], finding["end"], finding["match"]) == (7, 13, "broken")


def test_a_finding_s_message_quotes_its_match():
    finding, = coached("The screen is Broken", GOOD_NOTES)["findings"]
    assert finding["message"] == '"Broken" says little: describe the symptom itself.'
    assert finding["severity"] == "warning"


def test_a_finding_of_a_check_without_a_message_says_its_hint(tmp_path):
    path = tmp_path / "rubric.yaml"
    path.write_text("extends: default\nchecks:\n  - id: ps.no_solution\n"
                    "    absence: {words: [swapped], message: null}\n", encoding="utf-8")
    rubric = load_rubric(path)
    finding, = coached("Unit swapped", GOOD_NOTES, rubric=rubric)["findings"]
    assert finding["message"] == rubric.checks[5]["hint"]


def test_a_check_lists_only_its_first_100_findings():
    answer = coached("broken " * 150, GOOD_NOTES)
    assert len(found(answer, "ps.symptom")) == RUBRIC.max_findings == 100
    assert answer["findings"][-1]["start"] == 99 * len("broken ")


def test_the_answer_names_the_rubric_and_lists_every_check_in_its_order():
    answer = coached()
    assert answer["rubric"] == {"name": "FSR Coach default", "version": "1"}
    assert [c["id"] for c in answer["checks"]] == [c["id"] for c in RUBRIC.checks]
    assert set(answer["checks"][0]) == {"id", "field", "title", "weight", "passed", "hint"}


def test_the_same_texts_always_get_the_same_answer():
    assert coached("Fan broken 😀", "fixed it") == coached("Fan broken 😀", "fixed it")
