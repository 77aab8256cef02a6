"""What every peer adds to the design document's endpoints: a way for the
benchmark to sign its users in. The document's code reads
``session['user_data']['user_id']`` but does not show the sign-in that sets
it; here the user id is the bench user's name, and the CSRF token the
benchmark's sessions file wants is a dummy (the peers check none)."""
import os

from flask import jsonify, request, session


def add_sign_in(app):
    app.secret_key = os.environ["SECRET_KEY"]

    @app.post("/api/auth/login")
    def bench_sign_in():
        user_id = request.get_json()["username"]
        session["user_data"] = {"user_id": user_id}
        return jsonify({"user_id": user_id, "csrf_token": "-"})
