"""Input rules for a customer's sign-off: the signer's name and role, the
version signed, and the signature, which must really be a PNG.

All of it is checked before the database is asked anything.
"""
import io
import unicodedata
from base64 import b64decode, b64encode

from PIL import Image, UnidentifiedImageError

from ..errors import InvalidInput
from .signoffs import Signoff

SIGNATURE_PREFIX = "data:image/png;base64,"
MAX_SIGNATURE_BYTES = 200 * 1024
MAX_SIGNATURE_PIXELS = 2000  # wide and high
MAX_NAME_CHARS = 100
# Control characters (a name is one line) and lone surrogates (which JSON's
# \u escapes can smuggle in and utf8mb4 cannot store).
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs"})


def signoff_input(body):
    """The Signoff a request object asks for; a bad one is a 400."""
    return Signoff(
        signer_name=_name(body, "signerName", required=True),
        signer_role=_name(body, "signerRole", required=False),
        signature=signature_png(body.get("signature")),
        version=_version(body.get("version")),
    )


def _name(body, field, required):
    text = body.get(field, "")
    if not isinstance(text, str):
        raise InvalidInput(f"{field} must be a string", field=field)
    text = text.strip()
    if required and not text:
        raise InvalidInput(f"{field} is required", field=field)
    if len(text) > MAX_NAME_CHARS:
        raise InvalidInput(f"{field} is longer than {MAX_NAME_CHARS} characters", field=field)
    if any(unicodedata.category(char) in _REFUSED_CATEGORIES for char in text):
        raise InvalidInput(f"{field} must be one line of text", field=field)
    return text


def _version(version):
    # bool is an int to Python, never a version to a client.
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput("version must be a whole number, 1 or more", field="version")
    return version


def signature_png(data_url):
    """The PNG bytes of a ``data:image/png;base64,...`` URL, after checking
    that they are a whole, undamaged PNG of at most MAX_SIGNATURE_BYTES and
    MAX_SIGNATURE_PIXELS a side."""
    if not isinstance(data_url, str) or not data_url.startswith(SIGNATURE_PREFIX):
        raise _bad_signature(f"must be a {SIGNATURE_PREFIX}... URL")
    encoded = data_url[len(SIGNATURE_PREFIX):]
    # Base64 takes 4 characters for every 3 bytes: refuse before decoding.
    if len(encoded) > (MAX_SIGNATURE_BYTES + 2) // 3 * 4:
        raise _bad_signature(f"is larger than {MAX_SIGNATURE_BYTES // 1024} KB")
    try:
        png = b64decode(encoded, validate=True)
    except ValueError:  # binascii.Error, or characters beyond ASCII
        raise _bad_signature("is not valid base64") from None
    _check_png(png)
    return png


def signature_url(png):
    """The ``data:image/png;base64,...`` URL of PNG bytes."""
    return SIGNATURE_PREFIX + b64encode(png).decode("ascii")


def _check_png(png):
    try:
        with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
            width, height = image.size
            if width > MAX_SIGNATURE_PIXELS or height > MAX_SIGNATURE_PIXELS:
                raise _bad_signature(f"is larger than {MAX_SIGNATURE_PIXELS} x "
                                     f"{MAX_SIGNATURE_PIXELS} pixels")
            # verify() checks every chunk's checksum; load() then decodes
            # the pixels, which only a whole image survives.
            image.verify()
        with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _bad_signature("is not a readable PNG image") from None


def _bad_signature(problem):
    return InvalidInput(f"signature {problem}", field="signature")
