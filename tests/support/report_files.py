"""The service report's files as a person's tools see them: a PDF read with
Debian's poppler-utils (scripts/test.sh installs them), signatures drawn
as real PNG images with Pillow, and sign-offs and reports asked of the API."""
import base64
import io
import re
import subprocess
import tempfile

from PIL import Image, ImageDraw

# pdftotext puts these around right-to-left runs; they are not the text.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _poppler(pdf, tool, *options, output=()):
    """What ``tool`` prints about ``pdf`` (bytes)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        done = subprocess.run([tool, *options, file.name, *output],
                              capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")


def pdf_text(pdf, page=None):
    """The text pdftotext finds in ``pdf`` (bytes): all of it, or one page's (from 1)."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    text = _poppler(pdf, "pdftotext", "-enc", "UTF-8", *pages, output=["-"])
    return _BIDI_CONTROLS.sub("", text)


def pdf_info(pdf):
    """What pdfinfo says of ``pdf``: {"Pages": "2", "Page size": "... (A4)", ...}."""
    return dict(re.findall(r"^([^:\n]+):\s+(.*)$", _poppler(pdf, "pdfinfo"), re.M))


def pdf_font_names(pdf):
    return [row.split()[0] for row in _poppler(pdf, "pdffonts").splitlines()[2:]]


def fonts_with_boxes(pdf):
    """The fonts of ``pdf`` that drew a box for a character no font had: only
    those get an encoding other than Identity-H from WeasyPrint."""
    return [row.split()[0] for row in _poppler(pdf, "pdffonts").splitlines()[2:]
            if " Identity-H " not in row]


def pdf_images(pdf):
    """[(width, height)] of the images in ``pdf`` (not their transparency masks)."""
    rows = [row.split() for row in _poppler(pdf, "pdfimages", "-list").splitlines()[2:]]
    return [(int(row[3]), int(row[4])) for row in rows if row[2] == "image"]


def signature_png(width=400, height=150):
    """A signature drawn on a transparent ``width`` x ``height`` PNG, as bytes."""
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, height - 20), (width // 3, 20), (width - 10, height // 2)],
                               fill=(20, 30, 60, 255), width=4)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def data_url(data, media_type="image/png"):
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def save(client, case_number, problem="", notes=""):
    """Save the texts with ``client`` (a test client); return the new version."""
    response = client.put(f"/api/cases/data/{case_number}",
                          json={"problemStatement": problem, "fsrNotes": notes})
    assert response.status_code == 200, response.json
    return response.json["version"]


def sign_off(client, case_number, version, signer="Dana Customer", role="Plant manager",
             signature=None):
    """POST a sign-off with ``client``; return the response."""
    return client.post(f"/api/cases/data/{case_number}/signoff", json={
        "signerName": signer, "signerRole": role, "version": version,
        "signature": signature if signature is not None else data_url(signature_png())})
