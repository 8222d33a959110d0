"""Content-Security-Policy on every response (django-csp), with the back office's own policy.

The public site (portal, reading room, search, books, contests, API) gets settings.CONTENT_SECURITY_POLICY
(or ..._REPORT_ONLY when SULIEU_CSP_REPORT_ONLY is on): our own scripts, styles and images only, no inline
script, no eval. Wagtail's admin cannot run under it yet (see the comment at SULIEU_CSP_ADMIN in
settings.py), so paths under settings.SULIEU_CSP_ADMIN["PREFIXES"] get SULIEU_CSP_ADMIN["DIRECTIVES"]
instead (but for its "STRICT_PREFIXES": the login page), in the same mode (enforced or report-only).
A view's own @csp_override/@csp_replace still wins.
"""

from __future__ import annotations

from typing import Any, cast

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase


def is_admin_path(path: str) -> bool:
    """True where the back office's policy applies (settings.SULIEU_CSP_ADMIN)."""
    admin = settings.SULIEU_CSP_ADMIN
    return path.startswith(tuple(admin["PREFIXES"])) and not path.startswith(tuple(admin["STRICT_PREFIXES"]))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request: HttpRequest, response: HttpResponseBase,
                         report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        mode = settings.CONTENT_SECURITY_POLICY_REPORT_ONLY if report_only else settings.CONTENT_SECURITY_POLICY
        if mode and parts.config is None and is_admin_path(request.path_info):
            parts.config = default_config(cast(dict[str, Any], settings.SULIEU_CSP_ADMIN["DIRECTIVES"]))
        return parts
