"""The customer's sign-off (issue 15): POST /api/cases/data/<case>/signoff
stores a real PNG signature once, for the version of the notes signed;
anything else is a 400 (a stale version a 409) and stores nothing;
GET .../signoffs lists them newest first, to their user only."""
import io
import os

import pytest
from PIL import Image

from support.api import error_json
from support.app import CLOSED_CASES, OPEN_CASES
from support.report_files import data_url, save, sign_off, signature_png

CASE = OPEN_CASES[0]


def stored(sql):
    return sql.all("SELECT s.case_number, s.version, s.signer_name, s.signer_role, s.signature,"
                   " s.request_id, u.username FROM case_signoffs s"
                   " JOIN users u ON u.id = s.user_id ORDER BY s.id")


def encoded(image, kind):
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


def png_with_a_broken_checksum():
    png = bytearray(signature_png())
    idat = png.index(b"IDAT")
    png[idat + 8] ^= 0xFF  # a byte of the compressed pixels; its CRC no longer matches
    return bytes(png)


def noise_png(width, height):
    """A PNG of random pixels: it compresses to about 3 bytes a pixel."""
    return encoded(Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)),
                   "PNG")


# --- what is stored ---------------------------------------------------------------------

def test_a_signoff_is_stored_once_for_the_version_signed(alice, sql):
    version = save(alice, CASE, "problem", "notes")
    signature = signature_png()
    response = sign_off(alice, CASE, version, signer="  Dana Customer ", role="Plant manager",
                        signature=data_url(signature))
    assert response.status_code == 201
    assert set(response.json) == {"id", "signedAt", "version"}
    assert response.json["version"] == version
    assert stored(sql) == [{"case_number": CASE, "version": version,
                            "signer_name": "Dana Customer", "signer_role": "Plant manager",
                            "signature": signature, "request_id": response.headers["X-Request-ID"],
                            "username": "alice"}]


def test_signoffs_are_listed_newest_first_with_their_signature(alice):
    version = save(alice, CASE, "problem", "notes")
    first = sign_off(alice, CASE, version, signer="First").json
    later = save(alice, CASE, "problem", "more notes")
    second = sign_off(alice, CASE.lower(), later, signer="Second", role="").json
    listed = alice.get(f"/api/cases/data/{CASE}/signoffs").json
    assert listed["case_number"] == CASE
    assert [(s["id"], s["signerName"], s["signerRole"], s["version"], s["signedAt"])
            for s in listed["signoffs"]] == [
        (second["id"], "Second", "", later, second["signedAt"]),
        (first["id"], "First", "Plant manager", version, first["signedAt"])]
    assert listed["signoffs"][0]["signature"] == data_url(signature_png())


def test_a_case_with_notes_and_no_signoff_lists_none(alice):
    save(alice, CASE, "problem", "notes")
    assert alice.get(f"/api/cases/data/{CASE}/signoffs").json["signoffs"] == []


def test_a_closed_case_can_still_be_signed(alice, sql):
    version = save(alice, CASE, "problem", "notes")
    sql.run("UPDATE cases SET is_open = FALSE, closed_at = CURRENT_TIMESTAMP(6)"
            " WHERE case_number = %s", (CASE,))
    assert sign_off(alice, CASE, version).status_code == 201
    assert len(stored(sql)) == 1


def test_a_signature_at_the_size_limits_is_taken(alice):
    version = save(alice, CASE, "problem", "notes")
    big = encoded(Image.new("RGBA", (2000, 2000), (255, 255, 255, 0)), "PNG")
    assert sign_off(alice, CASE, version, signature=data_url(big)).status_code == 201


def test_a_name_of_100_characters_in_any_script_is_taken(alice, sql):
    version = save(alice, CASE, "problem", "notes")
    name = "שרה כהן 🔧" + "ж" * 91
    assert len(name) == 100
    assert sign_off(alice, CASE, version, signer=name, role="مدير").status_code == 201
    assert stored(sql)[0]["signer_name"] == name


# --- what is refused, storing nothing ---------------------------------------------------

# A whole PNG of 300 x 300 random pixels: too large only for its bytes.
TOO_LARGE = noise_png(300, 300)
REFUSED_SIGNATURES = {
    "not a data URL": "a signature",
    "not a string": 12345,
    "another image type": data_url(encoded(Image.new("RGB", (50, 20)), "JPEG"), "image/jpeg"),
    "a JPEG called a PNG": data_url(encoded(Image.new("RGB", (50, 20)), "JPEG")),
    "a GIF called a PNG": data_url(encoded(Image.new("P", (50, 20)), "GIF")),
    "text called a PNG": data_url(b"not an image at all"),
    "not base64": "data:image/png;base64,@@not base64@@",
    "base64 with letters beyond ASCII": "data:image/png;base64,iVBORw0KGgo\u00ffé",
    "half a PNG": data_url(signature_png()[:300]),
    "a PNG with a broken checksum": data_url(png_with_a_broken_checksum()),
    "a PNG over 200 KB": data_url(TOO_LARGE),
    "a PNG wider than 2000 pixels": data_url(encoded(Image.new("L", (2001, 10)), "PNG")),
    "a PNG higher than 2000 pixels": data_url(encoded(Image.new("L", (10, 2001)), "PNG")),
}


def test_the_too_large_signature_is_a_whole_png_of_over_200_kb():
    assert len(TOO_LARGE) > 200 * 1024
    with Image.open(io.BytesIO(TOO_LARGE)) as image:
        image.load()
        assert (image.format, image.size) == ("PNG", (300, 300))


@pytest.mark.parametrize("signature", REFUSED_SIGNATURES.values(), ids=REFUSED_SIGNATURES)
def test_a_signature_that_is_not_a_whole_png_within_limits_is_refused(alice, sql, signature):
    version = save(alice, CASE, "problem", "notes")
    response = sign_off(alice, CASE, version, signature=signature)
    body = error_json(response, 400)
    assert body["field"] == "signature"
    assert stored(sql) == []


REFUSED_FIELDS = [
    ("signerName", {"signerName": None}),
    ("signerName", {"signerName": ""}),
    ("signerName", {"signerName": "   "}),
    ("signerName", {"signerName": "x" * 101}),
    ("signerName", {"signerName": "Dana\nCustomer"}),
    ("signerName", {"signerName": 7}),
    ("signerRole", {"signerRole": "x" * 101}),
    ("signerRole", {"signerRole": ["manager"]}),
    ("signerRole", {"signerRole": "tab\tseparated"}),
    ("version", {"version": None}),
    ("version", {"version": 0}),
    ("version", {"version": "1"}),
    ("version", {"version": True}),
    ("version", {"version": 1.5}),
]


@pytest.mark.parametrize("field,change", REFUSED_FIELDS)
def test_a_bad_signer_or_version_is_refused_naming_the_field(alice, sql, field, change):
    save(alice, CASE, "problem", "notes")
    body = {"signerName": "Dana", "signerRole": "Manager", "version": 1,
            "signature": data_url(signature_png()), **change}
    response = alice.post(f"/api/cases/data/{CASE}/signoff",
                          json={key: value for key, value in body.items() if value is not None})
    assert error_json(response, 400)["field"] == field
    assert stored(sql) == []


def test_a_signoff_that_is_not_a_json_object_is_refused(alice, sql):
    save(alice, CASE, "problem", "notes")
    response = alice.post(f"/api/cases/data/{CASE}/signoff", json=["Dana"])
    assert "error" in error_json(response, 400)
    assert stored(sql) == []


def test_a_stale_version_is_a_409_with_the_current_version_and_stores_nothing(alice, sql):
    version = save(alice, CASE, "problem", "notes")
    save(alice, CASE, "problem", "notes changed while the customer read")
    response = sign_off(alice, CASE, version)
    body = error_json(response, 409)
    assert body["error"] == "conflict"
    assert body["current"]["version"] == version + 1
    assert body["current"]["fsrNotes"] == "notes changed while the customer read"
    assert stored(sql) == []


def test_a_signoff_without_the_csrf_header_is_refused(alice, sql):
    version = save(alice, CASE, "problem", "notes")
    alice.csrf_token = None
    assert "error" in error_json(sign_off(alice, CASE, version), 403)
    assert stored(sql) == []


# --- whose sign-offs ---------------------------------------------------------------------

def test_another_user_can_neither_sign_nor_list_a_users_notes(alice, bob, sql):
    version = save(alice, CASE, "problem", "notes")
    sign_off(alice, CASE, version)
    not_saved = bob.get(f"/api/cases/data/{CASE}").json
    assert error_json(sign_off(bob, CASE, version), 404) == not_saved
    assert error_json(bob.get(f"/api/cases/data/{CASE}/signoffs"), 404) == not_saved
    assert [row["username"] for row in stored(sql)] == ["alice"]


def test_a_case_without_notes_or_removed_cannot_be_signed(alice, sql):
    version = save(alice, CASE, "problem", "notes")
    assert alice.delete(f"/api/cases/data/{CASE}").status_code == 200
    for case_number in (CASE, CLOSED_CASES[0], "NOT-A-CASE"):
        assert error_json(sign_off(alice, case_number, version + 1), 404)["found"] is False
        assert error_json(alice.get(f"/api/cases/data/{case_number}/signoffs"), 404)[
            "found"] is False
    assert stored(sql) == []
