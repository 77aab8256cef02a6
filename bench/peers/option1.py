"""The design document's Option 1 (MySQL/MariaDB) code as written: its
connection pool and Database class, and its seven endpoints, copied
unchanged but for

- ``"autocommit": True`` in db_config: as written its ``commit()`` does
  nothing and each connection goes back to the pool uncommitted, so no
  save is ever stored (the one-line fix);
- ``"port"`` from DB_PORT (the document's .env names it; the pool omits it);
- the benchmark's sign-in (sign_in.py).

Run by bench/versus.py through wsgi.py (BENCH_PEER=option1), with DB_* and
SECRET_KEY in the environment.
"""
import os
from datetime import datetime

import mysql.connector
from flask import Flask, jsonify, request, session
from mysql.connector import pooling  # noqa: F401 (as the document has it)

from bench.peers.sign_in import add_sign_in

app = Flask(__name__)
add_sign_in(app)

# Create connection pool
db_config = {
    "host": os.getenv("DB_HOST", "localhost"),
    "port": int(os.getenv("DB_PORT", "3306")),
    "user": os.getenv("DB_USER", "root"),
    "password": os.getenv("DB_PASSWORD"),
    "database": os.getenv("DB_NAME", "fsr_coach"),
    "pool_name": "fsr_pool",
    "pool_size": 5,
    "autocommit": True,
}

connection_pool = mysql.connector.pooling.MySQLConnectionPool(**db_config)


class Database:
    def execute(self, query, params=None):
        """Execute query and return single result"""
        conn = connection_pool.get_connection()
        cursor = conn.cursor(dictionary=True)
        try:
            cursor.execute(query, params or ())
            result = cursor.fetchone()
            return result
        finally:
            cursor.close()
            conn.close()

    def execute_all(self, query, params=None):
        """Execute query and return all results"""
        conn = connection_pool.get_connection()
        cursor = conn.cursor(dictionary=True)
        try:
            cursor.execute(query, params or ())
            results = cursor.fetchall()
            return results
        finally:
            cursor.close()
            conn.close()

    def commit(self):
        """Commit current transaction"""
        pass  # Auto-commit is on by default


db = Database()


@app.route('/api/cases/validate/<case_number>', methods=['GET'])
def validate_case_number(case_number):
    user_data = session.get('user_data')
    if not user_data:
        return jsonify({"error": "Not authenticated"}), 401

    # Query database
    query = """
        SELECT case_number, is_open
        FROM cases
        WHERE case_number = %s
    """
    result = db.execute(query, (case_number,))

    if not result:
        return jsonify({
            "valid": False,
            "message": f"Case number '{case_number}' does not exist in the system."
        }), 404

    return jsonify({
        "valid": True,
        "case_number": case_number,
        "is_closed": not result['is_open'],
        "status": "open" if result['is_open'] else "closed"
    })


@app.route('/api/cases/user-cases', methods=['GET'])
def get_user_cases():
    user_data = session.get('user_data')
    if not user_data:
        return jsonify({"error": "Not authenticated"}), 401

    user_id = user_data.get('user_id')

    # Query database for user's cases that are still open
    query = """
        SELECT DISTINCT uc.case_number
        FROM user_cases uc
        JOIN cases c ON uc.case_number = c.case_number
        WHERE uc.user_id = %s AND c.is_open = TRUE
        ORDER BY uc.updated_at DESC
    """
    results = db.execute_all(query, (user_id,))
    case_numbers = [row['case_number'] for row in results]

    return jsonify({
        "user_id": user_id,
        "cases": case_numbers,
        "count": len(case_numbers)
    })


@app.route('/api/cases/status', methods=['POST'])
def check_cases_status():
    user_data = session.get('user_data')
    if not user_data:
        return jsonify({"error": "Not authenticated"}), 401

    data = request.get_json()
    case_numbers = data.get('case_numbers', [])

    if not case_numbers:
        return jsonify({"results": []})

    # Query database for all case numbers at once
    placeholders = ','.join(['%s'] * len(case_numbers))
    query = f"""
        SELECT case_number, is_open
        FROM cases
        WHERE case_number IN ({placeholders})
    """
    results = db.execute_all(query, tuple(case_numbers))

    # Create lookup dictionary
    cases_dict = {row['case_number']: row for row in results}

    # Build response
    response_results = []
    for case_number in case_numbers:
        if case_number in cases_dict:
            case_data = cases_dict[case_number]
            response_results.append({
                "case_number": case_number,
                "valid": True,
                "is_closed": not case_data['is_open'],
                "status": "open" if case_data['is_open'] else "closed"
            })
        else:
            response_results.append({
                "case_number": case_number,
                "valid": False,
                "is_closed": False,
                "status": "invalid"
            })

    return jsonify({"results": response_results})


@app.route('/api/cases/data', methods=['GET'])
def get_user_case_data():
    user_data = session.get('user_data')
    if not user_data:
        return jsonify({"error": "Not authenticated"}), 401

    user_id = user_data.get('user_id')

    # Query database for user's case data (only open cases)
    query = """
        SELECT
            uc.case_number,
            uc.problem_statement,
            uc.fsr_notes,
            uc.updated_at
        FROM user_cases uc
        JOIN cases c ON uc.case_number = c.case_number
        WHERE uc.user_id = %s AND c.is_open = TRUE
        ORDER BY uc.updated_at DESC
    """
    results = db.execute_all(query, (user_id,))

    # Convert to dictionary format expected by frontend
    cases = {}
    for row in results:
        cases[row['case_number']] = {
            "caseNumber": row['case_number'],
            "problemStatement": row['problem_statement'] or '',
            "fsrNotes": row['fsr_notes'] or '',
            "updatedAt": row['updated_at'].isoformat() + 'Z'
        }

    return jsonify({
        "user_id": str(user_id),
        "cases": cases,
        "count": len(cases)
    })


@app.route('/api/cases/data/<case_number>', methods=['GET'])
def get_case_data(case_number):
    user_data = session.get('user_data')
    if not user_data:
        return jsonify({"error": "Not authenticated"}), 401

    user_id = user_data.get('user_id')

    # Query database for specific case
    query = """
        SELECT
            uc.case_number,
            uc.problem_statement,
            uc.fsr_notes,
            uc.updated_at
        FROM user_cases uc
        WHERE uc.user_id = %s AND uc.case_number = %s
    """
    result = db.execute(query, (user_id, case_number))

    if not result:
        return jsonify({
            "found": False,
            "message": "No saved data for this case"
        }), 404

    return jsonify({
        "found": True,
        "data": {
            "caseNumber": result['case_number'],
            "problemStatement": result['problem_statement'] or '',
            "fsrNotes": result['fsr_notes'] or '',
            "updatedAt": result['updated_at'].isoformat() + 'Z'
        }
    })


@app.route('/api/cases/data/<case_number>', methods=['PUT'])
def save_case_data(case_number):
    user_data = session.get('user_data')
    if not user_data:
        return jsonify({"error": "Not authenticated"}), 401

    user_id = user_data.get('user_id')

    # Validate case exists and is open
    case_query = """
        SELECT case_number, is_open
        FROM cases
        WHERE case_number = %s
    """
    case_result = db.execute(case_query, (case_number,))

    if not case_result:
        return jsonify({"error": "Invalid case number"}), 400

    if not case_result['is_open']:
        return jsonify({"error": "Cannot save data for closed case"}), 400

    # Get data from request
    data = request.get_json()
    problem_statement = data.get('problemStatement', '')
    fsr_notes = data.get('fsrNotes', '')

    # Insert or update user case data
    upsert_query = """
        INSERT INTO user_cases (user_id, case_number, problem_statement, fsr_notes)
        VALUES (%s, %s, %s, %s)
        ON DUPLICATE KEY UPDATE
            problem_statement = VALUES(problem_statement),
            fsr_notes = VALUES(fsr_notes),
            updated_at = CURRENT_TIMESTAMP
    """

    db.execute(upsert_query, (user_id, case_number, problem_statement, fsr_notes))
    db.commit()

    return jsonify({
        "success": True,
        "message": "Case data saved successfully",
        "case_number": case_number,
        "updated_at": datetime.utcnow().isoformat() + 'Z'
    })


@app.route('/api/cases/data', methods=['POST'])
def save_multiple_cases():
    user_data = session.get('user_data')
    if not user_data:
        return jsonify({"error": "Not authenticated"}), 401

    user_id = user_data.get('user_id')
    data = request.get_json()
    cases = data.get('cases', [])

    saved_count = 0
    errors = []

    for case_data in cases:
        case_number = case_data.get('caseNumber')

        # Validate case
        case_query = "SELECT case_number, is_open FROM cases WHERE case_number = %s"
        case_result = db.execute(case_query, (case_number,))

        if not case_result:
            errors.append(f"Invalid case: {case_number}")
            continue

        if not case_result['is_open']:
            errors.append(f"Case is closed: {case_number}")
            continue

        # Insert or update
        try:
            upsert_query = """
                INSERT INTO user_cases (user_id, case_number, problem_statement, fsr_notes)
                VALUES (%s, %s, %s, %s)
                ON DUPLICATE KEY UPDATE
                    problem_statement = VALUES(problem_statement),
                    fsr_notes = VALUES(fsr_notes),
                    updated_at = CURRENT_TIMESTAMP
            """
            db.execute(upsert_query, (
                user_id,
                case_number,
                case_data.get('problemStatement', ''),
                case_data.get('fsrNotes', '')
            ))
            saved_count += 1
        except Exception as e:
            errors.append(f"Error saving {case_number}: {str(e)}")

    db.commit()

    return jsonify({
        "success": True,
        "saved_count": saved_count,
        "errors": errors
    })
