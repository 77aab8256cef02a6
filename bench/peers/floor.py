"""The framework floor: a bare Flask app answering the benchmark's requests
with the same JSON bodies as the design document's code, from this
process's memory (bench/workload.py's seed), with no database. It reads
the signed session cookie as the others do. What any Flask app can at best
serve on this machine under the same gunicorn.

Run by bench/versus.py through wsgi.py (BENCH_PEER=floor)
"""
from datetime import datetime

from flask import Flask, jsonify, request, session

from bench import workload
from bench.peers.sign_in import add_sign_in

app = Flask(__name__)
add_sign_in(app)

CASES = dict(workload.all_cases())  # case number: is open
STARTED = datetime.utcnow()
NOTES = {workload.username(n): {number: {"problem_statement": workload.SAVED_PROBLEM,
                                         "fsr_notes": workload.SAVED_NOTES,
                                         "updated_at": STARTED}
                                for number in workload.saved_cases(n)}
         for n in range(workload.USERS)}


def signed_in_user_id():
    user_data = session.get('user_data')
    return user_data.get('user_id') if user_data else None


@app.get('/api/cases/data')
def get_user_case_data():
    user_id = signed_in_user_id()
    if user_id is None:
        return jsonify({"error": "Not authenticated"}), 401
    cases = {number: {"caseNumber": number, "problemStatement": row["problem_statement"],
                      "fsrNotes": row["fsr_notes"], "updatedAt": row["updated_at"].isoformat() + 'Z'}
             for number, row in NOTES.get(user_id, {}).items()}
    return jsonify({"user_id": str(user_id), "cases": cases, "count": len(cases)})


@app.put('/api/cases/data/<case_number>')
def save_case_data(case_number):
    user_id = signed_in_user_id()
    if user_id is None:
        return jsonify({"error": "Not authenticated"}), 401
    if case_number not in CASES:
        return jsonify({"error": "Invalid case number"}), 400
    if not CASES[case_number]:
        return jsonify({"error": "Cannot save data for closed case"}), 400
    data = request.get_json()
    now = datetime.utcnow()
    NOTES.setdefault(user_id, {})[case_number] = {
        "problem_statement": data.get('problemStatement', ''),
        "fsr_notes": data.get('fsrNotes', ''), "updated_at": now}
    return jsonify({"success": True, "message": "Case data saved successfully",
                    "case_number": case_number, "updated_at": now.isoformat() + 'Z'})


@app.post('/api/cases/status')
def check_cases_status():
    if signed_in_user_id() is None:
        return jsonify({"error": "Not authenticated"}), 401
    results = []
    for case_number in request.get_json().get('case_numbers', []):
        if case_number in CASES:
            is_open = CASES[case_number]
            results.append({"case_number": case_number, "valid": True, "is_closed": not is_open,
                            "status": "open" if is_open else "closed"})
        else:
            results.append({"case_number": case_number, "valid": False, "is_closed": False,
                            "status": "invalid"})
    return jsonify({"results": results})
