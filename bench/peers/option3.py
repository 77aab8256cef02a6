"""The design document's Option 3 (Flask-SQLAlchemy, "Recommended for
Flask"): its two models as written, and the seven endpoints of Option 1
with the same answers, each written the usual ORM way (a query per lookup,
objects changed and committed through the session).

Run by bench/versus.py through wsgi.py (BENCH_PEER=option3), with DB_* and
SECRET_KEY in the environment; the tables are bench/peers/schema.sql's
(the document's schema, which these models map).
"""
import os
from datetime import datetime

from flask import Flask, jsonify, request, session
from flask_sqlalchemy import SQLAlchemy

from bench.peers.sign_in import add_sign_in

app = Flask(__name__)
add_sign_in(app)

app.config['SQLALCHEMY_DATABASE_URI'] = (
    f"mysql+mysqlconnector://{os.environ['DB_USER']}:{os.environ.get('DB_PASSWORD', '')}"
    f"@{os.environ['DB_HOST']}:{os.environ['DB_PORT']}/{os.environ['DB_NAME']}")
app.config['SQLALCHEMY_TRACK_MODIFICATIONS'] = False
db = SQLAlchemy(app)


# Define models
class Case(db.Model):
    __tablename__ = 'cases'
    case_number = db.Column(db.String(100), primary_key=True)
    is_open = db.Column(db.Boolean, nullable=False, default=True)
    closed_at = db.Column(db.DateTime, nullable=True)
    created_at = db.Column(db.DateTime, default=datetime.utcnow)
    updated_at = db.Column(db.DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)


class UserCase(db.Model):
    __tablename__ = 'user_cases'
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.String(100), nullable=False)
    case_number = db.Column(db.String(100), db.ForeignKey('cases.case_number'), nullable=False)
    problem_statement = db.Column(db.Text)
    fsr_notes = db.Column(db.Text)
    created_at = db.Column(db.DateTime, default=datetime.utcnow)
    updated_at = db.Column(db.DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)

    __table_args__ = (db.UniqueConstraint('user_id', 'case_number', name='unique_user_case'),)


def signed_in_user_id():
    user_data = session.get('user_data')
    return user_data.get('user_id') if user_data else None


def not_authenticated():
    return jsonify({"error": "Not authenticated"}), 401


def status_of(case):
    return {"is_closed": not case.is_open, "status": "open" if case.is_open else "closed"}


def notes_of(user_case):
    return {
        "caseNumber": user_case.case_number,
        "problemStatement": user_case.problem_statement or '',
        "fsrNotes": user_case.fsr_notes or '',
        "updatedAt": user_case.updated_at.isoformat() + 'Z',
    }


def save(user_id, case_number, problem_statement, fsr_notes):
    """The upsert of Option 1, the ORM way: the row if there is one, else a new one."""
    user_case = UserCase.query.filter_by(user_id=user_id, case_number=case_number).first()
    if user_case is None:
        user_case = UserCase(user_id=user_id, case_number=case_number)
        db.session.add(user_case)
    user_case.problem_statement = problem_statement
    user_case.fsr_notes = fsr_notes
    user_case.updated_at = datetime.utcnow()
    return user_case


@app.route('/api/cases/validate/<case_number>', methods=['GET'])
def validate_case_number(case_number):
    if signed_in_user_id() is None:
        return not_authenticated()
    case = db.session.get(Case, case_number)
    if case is None:
        return jsonify({"valid": False, "message":
                        f"Case number '{case_number}' does not exist in the system."}), 404
    return jsonify({"valid": True, "case_number": case_number, **status_of(case)})


@app.route('/api/cases/user-cases', methods=['GET'])
def get_user_cases():
    user_id = signed_in_user_id()
    if user_id is None:
        return not_authenticated()
    rows = (db.session.query(UserCase.case_number).join(Case)
            .filter(UserCase.user_id == user_id, Case.is_open.is_(True))
            .order_by(UserCase.updated_at.desc()).all())
    case_numbers = [row.case_number for row in rows]
    return jsonify({"user_id": user_id, "cases": case_numbers, "count": len(case_numbers)})


@app.route('/api/cases/status', methods=['POST'])
def check_cases_status():
    if signed_in_user_id() is None:
        return not_authenticated()
    case_numbers = request.get_json().get('case_numbers', [])
    if not case_numbers:
        return jsonify({"results": []})
    found = {case.case_number: case
             for case in Case.query.filter(Case.case_number.in_(case_numbers)).all()}
    results = []
    for case_number in case_numbers:
        case = found.get(case_number)
        if case is None:
            results.append({"case_number": case_number, "valid": False,
                            "is_closed": False, "status": "invalid"})
        else:
            results.append({"case_number": case_number, "valid": True, **status_of(case)})
    return jsonify({"results": results})


@app.route('/api/cases/data', methods=['GET'])
def get_user_case_data():
    user_id = signed_in_user_id()
    if user_id is None:
        return not_authenticated()
    rows = (UserCase.query.join(Case)
            .filter(UserCase.user_id == user_id, Case.is_open.is_(True))
            .order_by(UserCase.updated_at.desc()).all())
    cases = {row.case_number: notes_of(row) for row in rows}
    return jsonify({"user_id": str(user_id), "cases": cases, "count": len(cases)})


@app.route('/api/cases/data/<case_number>', methods=['GET'])
def get_case_data(case_number):
    user_id = signed_in_user_id()
    if user_id is None:
        return not_authenticated()
    user_case = UserCase.query.filter_by(user_id=user_id, case_number=case_number).first()
    if user_case is None:
        return jsonify({"found": False, "message": "No saved data for this case"}), 404
    return jsonify({"found": True, "data": notes_of(user_case)})


@app.route('/api/cases/data/<case_number>', methods=['PUT'])
def save_case_data(case_number):
    user_id = signed_in_user_id()
    if user_id is None:
        return not_authenticated()
    case = db.session.get(Case, case_number)
    if case is None:
        return jsonify({"error": "Invalid case number"}), 400
    if not case.is_open:
        return jsonify({"error": "Cannot save data for closed case"}), 400
    data = request.get_json()
    save(user_id, case_number, data.get('problemStatement', ''), data.get('fsrNotes', ''))
    db.session.commit()
    return jsonify({"success": True, "message": "Case data saved successfully",
                    "case_number": case_number,
                    "updated_at": datetime.utcnow().isoformat() + 'Z'})


@app.route('/api/cases/data', methods=['POST'])
def save_multiple_cases():
    user_id = signed_in_user_id()
    if user_id is None:
        return not_authenticated()
    saved_count, errors = 0, []
    for case_data in request.get_json().get('cases', []):
        case_number = case_data.get('caseNumber')
        case = db.session.get(Case, case_number)
        if case is None:
            errors.append(f"Invalid case: {case_number}")
        elif not case.is_open:
            errors.append(f"Case is closed: {case_number}")
        else:
            save(user_id, case_number, case_data.get('problemStatement', ''),
                 case_data.get('fsrNotes', ''))
            saved_count += 1
    db.session.commit()
    return jsonify({"success": True, "saved_count": saved_count, "errors": errors})
