"""The JSON shape of a user as other users see them (no admin flag, no token)."""


def user_json(user_id, username, display_name):
    """``USER``: the user's id (as a string, as the API has user ids), username and
    display name; None when there is no such user (``user_id`` None)."""
    if user_id is None:
        return None
    return {"user_id": str(user_id), "username": username, "display_name": display_name}
