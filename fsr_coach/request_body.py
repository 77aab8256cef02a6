"""Reading JSON request bodies by the API's rules.

A body must be sent as ``application/json`` (else 415), must be UTF-8 JSON
nested at most MAX_JSON_DEPTH deep (else 400) and, where an object is due,
be one (else 400). Bodies above ``MAX_CONTENT_LENGTH`` are refused by
Werkzeug with a 413.

The depth is checked before parsing, by JsonProvider, the app's JSON
(app.json), so every reader of a body gets it: Python's parser recurses once
per level and, about 1,000 deep, fails with a RecursionError, which is no
ValueError and so would be a 500.

JsonProvider parses and writes with orjson, several times faster than
Python's json on the API's answers (docs/decisions/013-orjson.md). Text
orjson refuses and Python's json takes (a lone surrogate, NaN, an integer
beyond 64 bits) goes to Python's json, so what is accepted, refused and
written is what it was with Flask's own provider.
"""
import orjson
from flask import current_app, request
from flask.json.provider import DefaultJSONProvider

from .errors import ApiError, InvalidInput

MAX_JSON_DEPTH = 64

# Both kinds of bracket become [ and ]; quotes stay; every other byte goes.
_SAME_BRACKETS = bytes.maketrans(b"{}", b"[]")
_NOT_STRUCTURE = bytes(set(range(256)) - set(b'[]{}"'))


class JsonTooDeep(ValueError):
    """JSON text whose arrays and objects nest deeper than MAX_JSON_DEPTH."""


class JsonProvider(DefaultJSONProvider):
    """Flask's JSON provider by orjson, refusing deep or non-UTF-8 text
    before parsing it. Settings as Flask's: ``sort_keys``, and ``compact``
    (None: indented in debug mode)."""

    def dumps(self, obj, **_kwargs):
        return self._bytes(obj).decode("utf-8")

    def loads(self, s, **kwargs):
        data = s if isinstance(s, bytes) else s.encode("utf-8", "surrogatepass")
        if nested_deeper_than(data, MAX_JSON_DEPTH):
            raise JsonTooDeep(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            # RFC 8259: JSON between systems is UTF-8 (a UnicodeDecodeError is a ValueError).
            return super().loads(data.decode("utf-8") if isinstance(s, bytes) else s, **kwargs)

    def response(self, *args, **kwargs):
        """jsonify(): the bytes straight into the response, never a str between."""
        if args and kwargs:
            raise TypeError("jsonify() takes positional or keyword arguments, not both")
        obj = (args[0] if len(args) == 1 else list(args)) if args else kwargs
        return self._app.response_class(self._bytes(obj) + b"\n", mimetype=self.mimetype)

    def _bytes(self, obj):
        options = orjson.OPT_PASSTHROUGH_DATETIME  # dates as Flask writes them (default)
        if self.sort_keys:
            options |= orjson.OPT_SORT_KEYS
        if self.compact is False or (self.compact is None and self._app.debug):
            options |= orjson.OPT_INDENT_2
        try:
            return orjson.dumps(obj, default=self.default, option=options)
        except orjson.JSONEncodeError:
            # A lone surrogate echoed back, say: Python's json escapes it.
            return super().dumps(obj).encode("utf-8")


def nested_deeper_than(data, most):
    """True when the JSON text ``data`` (bytes) may nest arrays and objects
    deeper than ``most``, found without parsing and without recursion.

    Exact for valid JSON; for malformed JSON an upper bound, so that the
    parser, which stops at the first error, never recurses deeper.
    """
    if data.count(b"[") + data.count(b"{") <= most:
        return False
    if b"\\" in data:
        # Escapes out, so that each remaining quote opens or closes a string.
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    # Removing two adjacent quotes keeps every other quote's parity: a
    # string without brackets goes at no cost to what is inside the others.
    marks = data.translate(_SAME_BRACKETS, _NOT_STRUCTURE).replace(b'""', b"")
    brackets = b"".join(marks.split(b'"')[::2]) if b'"' in marks else marks
    return _bracket_depth_exceeds(brackets, most)


def _bracket_depth_exceeds(brackets, most):
    """Whether ``[`` ``]`` text nests deeper than ``most``: every round takes
    out the innermost pairs, so rounds + unclosed openers bound the depth."""
    run = b"[" * (most + 1)
    for rounds in range(most + 1):
        if run in brackets:
            return True
        inner = brackets.replace(b"[]", b"")
        if len(inner) == len(brackets):
            return rounds + brackets.count(b"[") > most
        brackets = inner
    return True


def has_body():
    return bool(request.content_length) or "chunked" in request.headers.get(
        "Transfer-Encoding", "").lower()


def require_json_content_type():
    """Refuse (415) a request that carries a body in anything but JSON."""
    if has_body() and not request.is_json:
        raise ApiError(415, "Send the request body as Content-Type: application/json")


def json_object():
    """The request body, which must be a JSON object."""
    if not has_body():
        raise InvalidInput("The request body must be a JSON object")
    require_json_content_type()
    try:
        data = current_app.json.loads(request.get_data(cache=True))
    except JsonTooDeep:
        raise InvalidInput(f"The request body is nested deeper than {MAX_JSON_DEPTH}"
                           " levels") from None
    except ValueError:
        raise InvalidInput("The request body is not valid UTF-8 JSON") from None
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object")
    return data
