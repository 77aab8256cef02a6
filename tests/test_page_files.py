"""The page's files: the service worker keeps every one of them for offline
reloads, and the view modules import no logic module."""
import re
from pathlib import Path

WEB = Path(__file__).resolve().parent.parent / "fsr_coach" / "web"
STATIC = WEB / "static"
# Modules with no logic of their own: what the view may import.
PURE_MODULES = {"format.js", "limit.js", "settings.js", "state.js"}
# The modules that draw: they import pure modules and each other only.
VIEW_MODULES = {"view.js", "list-view.js", "team-view.js", "coach-view.js"}


def cached_by_the_service_worker():
    """The paths in sw.js's PAGE list."""
    listing = re.search(r"const PAGE = \[(.*?)\];", (STATIC / "sw.js").read_text(), re.S)
    return set(re.findall(r'"([^"]+)"', listing.group(1)))


def imports_of(module):
    """The modules ``module`` (a file name in static/) imports."""
    return set(re.findall(r'^import .* from "\./([^"]+)";$',
                          (STATIC / module).read_text(), re.M))


def loaded_by_the_page():
    """Every static file index.html names, and every module those import in turn."""
    html = (WEB / "templates" / "index.html").read_text()
    found = set(re.findall(r"url_for\('web\.static', filename='([^']+)'\)", html))
    modules = [name for name in found if name.endswith(".js")]
    while modules:
        new = imports_of(modules.pop()) - found
        found |= new
        modules.extend(new)
    return found


def test_the_service_worker_keeps_the_page_and_every_static_file():
    served = {f"/static/{path.relative_to(STATIC).as_posix()}" for path in STATIC.rglob("*")
              if path.is_file() and path.name != "sw.js"}
    assert cached_by_the_service_worker() == {"/"} | served


def test_every_file_the_page_loads_is_a_static_file_the_service_worker_keeps():
    loaded = loaded_by_the_page()
    assert {"main.js", "state.js", "app.css", "icon.svg"} <= loaded
    assert all((STATIC / name).is_file() for name in loaded), loaded
    assert {f"/static/{name}" for name in loaded} <= cached_by_the_service_worker()


def test_the_view_modules_import_no_logic_module():
    for module in VIEW_MODULES:
        assert imports_of(module) <= PURE_MODULES | VIEW_MODULES, module


def test_the_pure_modules_import_only_pure_modules():
    for module in PURE_MODULES:
        assert imports_of(module) <= PURE_MODULES, module
