"""Who may write through the web app, and from where: a secret token, CSRF tokens, same origin.

Jupyter's model: `dealgraph serve` prints its URL with a secret token (`?token=...`); opening it
sets a cookie (HttpOnly, SameSite=Strict) and drops the token from the address bar. `--token
LABEL=SECRET` (repeatable, or DEALGRAPH_TOKEN) sets the secrets and names who holds each: the label
is what the audit records (graph.web.audit). Reads need no token; every write does.

A write (`@writer` below) is refused, with a 4xx page and before anything is read or written, when
  - it comes from another site (an Origin header not this server's, or Sec-Fetch-Site: cross-site): 403
  - it carries no token (cookie or `Authorization: token SECRET`): 401
  - its token is not one of the app's: 403
  - its form has no CSRF token, or not the one of this token (an HMAC of it, see `csrf_token`): 403
A page with a form puts `csrf_token(request)` in a hidden field named `csrf` (macros.html `csrf`).
graph/web/app.py wires it: `writer` makes a POST handler of a function, `TokenFromURL` the cookie.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request

from ..errors import DealgraphError

COOKIE = "dealgraph_token"
FORM_LIMIT = 2 * 1024 * 1024  # bytes of a form (an article of at most 1 MB and its fields)
DEFAULT_LABEL = "owner"


class Refused(DealgraphError):
    """A write that may not happen: `status` is its 4xx."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass
class Tokens:
    """The app's secrets (secret -> label) and the key of its CSRF tokens (new at every start)."""

    labels: dict[str, str]
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    @classmethod
    def parse(cls, given=()) -> "Tokens":
        """`--token` values: LABEL=SECRET, or SECRET alone (labelled 'owner'); none: one new secret."""
        labels: dict[str, str] = {}
        for value in given or ():
            label, sep, secret = str(value).partition("=")
            label, secret = (label.strip(), secret.strip()) if sep else (DEFAULT_LABEL, label.strip())
            if len(secret) < 16:
                raise DealgraphError(f"--token {label}=...: a token needs at least 16 characters")
            if not label or not label.replace("-", "").replace("_", "").replace(".", "").isalnum():
                raise DealgraphError(f"--token {label!r}=...: a label is letters, digits, '-', '_' or '.'")
            if secret in labels:
                raise DealgraphError(f"--token {label}=...: that secret is already {labels[secret]!r}'s")
            labels[secret] = label
        return cls(labels or {secrets.token_urlsafe(24): DEFAULT_LABEL})

    def label(self, secret: str | None) -> str | None:
        """Whose secret this is, or None (compared in constant time with every secret)."""
        found = None
        for known, label in self.labels.items():
            if secret and hmac.compare_digest(known.encode(), secret.encode()):
                found = label
        return found

    def csrf(self, secret: str) -> str:
        return hmac.new(self.key, secret.encode(), hashlib.sha256).hexdigest()

    def urls(self, base: str) -> list[str]:
        """The app's URL with each secret, as `dealgraph serve` prints them (label, url)."""
        return [(label, f"{base}?{urlencode({'token': secret})}") for secret, label in self.labels.items()]


def tokens(request: Request) -> Tokens:
    return request.app.state.tokens


def _secret(request: Request) -> str | None:
    given = request.headers.get("authorization", "")
    if given.lower().startswith("token "):
        return given[6:].strip()
    return request.cookies.get(COOKIE)


def signed_in(request: Request) -> str | None:
    """The label of the request's token, or None."""
    return tokens(request).label(_secret(request))


def csrf_token(request: Request) -> str | None:
    """The CSRF token a form of this page carries, or None when the request holds no valid token
    (the page then says how to sign in instead of showing the form)."""
    secret = _secret(request)
    return tokens(request).csrf(secret) if tokens(request).label(secret) else None


def same_origin(request: Request) -> bool:
    """False for a request another site's page made. Browsers say where a request comes from in
    Sec-Fetch-Site (same-origin for this app's own forms); without it, the Origin header must be
    this server's (a form's Origin is "null" from a sandboxed or privacy-stripped page: refused)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser (browsers send Origin with every POST): curl, scripts with the token
    parts = urlsplit(origin)
    return parts.scheme == request.url.scheme and parts.netloc == request.headers.get("host", "")


async def check(request: Request):
    """(label, form) of an allowed write, or Refused. The form is read (at most FORM_LIMIT bytes)
    only once the request came from this site with a valid token."""
    if not same_origin(request):
        raise Refused(403, "refused: a write from another site (its Origin is not this server)")
    secret = _secret(request)
    if not secret:
        raise Refused(401, "refused: no token. Open the URL `dealgraph serve` printed (it ends in ?token=...) "
                           "and submit again")
    label = tokens(request).label(secret)
    if label is None:
        raise Refused(403, "refused: wrong token. Open the URL `dealgraph serve` printed and submit again")
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > FORM_LIMIT:
        raise Refused(413, f"refused: the form is larger than {FORM_LIMIT // (1024 * 1024)} MB")
    try:
        form = await request.form(max_part_size=FORM_LIMIT)
    except Exception as exc:  # noqa: BLE001 - a malformed body, whatever the parser says
        raise Refused(400, f"refused: the form could not be read ({type(exc).__name__})") from None
    given = form.get("csrf")
    if not isinstance(given, str) or not hmac.compare_digest(given.encode(), tokens(request).csrf(secret).encode()):
        raise Refused(403, "refused: the form has no valid CSRF token (reload the page and submit again)")
    return label, form
