"""Headers that tell browsers what the service's pages may do, on every answer.

- `Content-Security-Policy`: scripts, styles, images, connections and the service worker come
  from this origin only (the service needs no other: no CDN, no tiles); no plugin, no `<base>`,
  no framing (clickjacking of the console's buttons). A name that slipped through into markup
  could not run a script. Styles may be inline (the apps set widths and colours in `style`
  attributes); images may be `data:` and `blob:` (photos shown before they are sent).
  The API viewer at /schema starts Swagger UI with an inline script, so its pages, and only
  they, allow inline scripts.
- `X-Content-Type-Options: nosniff`: a photo is shown as the image type the server found in
  its bytes, never read as a page or a script, whatever else the bytes hold.
- `Referrer-Policy: same-origin`: links out carry no path or query of ours.
- `X-Frame-Options: DENY`: framing refused by browsers older than `frame-ancestors`.
- `Cache-Control: no-store` on the API's answers that say nothing of caching themselves:
  residents' names and phones, the audit log and a session's CSRF token are kept by no
  browser's disk cache and no proxy (a photo, which never changes, says its own).
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

_COMMON = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
POLICY = f"{_COMMON}; script-src 'self'"
VIEWER_POLICY = f"{_COMMON}; script-src 'self' 'unsafe-inline'"  # /schema's inline start-up
VIEWER_PATH = "/schema"
API_PATH = "/api/"
FIXED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def policy_for(path: str) -> str:
    """The Content-Security-Policy of an answer to `path`."""
    viewer = path == VIEWER_PATH or path.startswith(VIEWER_PATH + "/")
    return VIEWER_POLICY if viewer else POLICY


async def add_security_headers(message: Message, scope: Scope) -> None:
    """The headers above on every HTTP answer (an app-wide `before_send` hook: unlike a
    middleware, it sees the router's own 404 and 405 too)."""
    if message["type"] == "http.response.start":
        headers = MutableScopeHeaders.from_message(message)
        for name, value in FIXED.items():
            headers[name] = value
        headers["content-security-policy"] = policy_for(scope["path"])
        if scope["path"].startswith(API_PATH) and "cache-control" not in headers:
            headers["cache-control"] = "no-store"
