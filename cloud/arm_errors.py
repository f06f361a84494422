"""What Azure Resource Manager's errors say, and what a 401 says about the token that was sent.

ARM answers with `{"error": {"code": ..., "message": ...}}`. A 401 is about the token, not about
a role (that is a 403 AuthorizationFailed): expired (ExpiredAuthenticationToken), from another
tenant than the subscription's (InvalidAuthenticationTokenTenant), for another audience, e.g.
another cloud's Resource Manager (InvalidAuthenticationTokenAudience), or otherwise not valid
(InvalidAuthenticationToken). So a 401 message names the token's tenant (`tid`), audience
(`aud`) and expiry (`exp`), decoded from the JWT without validating it; the token itself is never
shown. Error bodies: real ARM captures quoted in tests/cloud/test_arm_errors.py.
"""

from __future__ import annotations

import base64
import datetime
import json
from typing import TYPE_CHECKING, Any

from sandboxing.azure_clouds import AzureCloud

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential
    from azure.core.exceptions import HttpResponseError


def error_of_body(text: str) -> tuple[str, str]:
    """(code, message) of an ARM error body; ("", text) when it is not one."""
    try:
        inner = json.loads(text).get("error") or {}
        return str(inner.get("code") or ""), str(inner.get("message") or "").strip()
    except (ValueError, AttributeError):
        return "", text.strip()[:300]


def arm_error(error: HttpResponseError) -> tuple[str, str]:
    """ARM's own error code and message of an SDK error."""
    parsed = getattr(error, "error", None)
    code, message = getattr(parsed, "code", None), getattr(parsed, "message", None)
    if not (code and message) and error.response is not None:
        try:
            body_code, body_message = error_of_body(error.response.text())
            code, message = code or body_code, message or body_message
        except AttributeError:
            pass
    return str(code or ""), str(message or error.message or error).strip()


def jwt_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, NOT validated (for a message only); {} when it is not one."""
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)  # base64url without padding
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (IndexError, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


def token_claims(credential: TokenCredential, scope: str) -> dict[str, Any]:
    """The claims of the token `credential` hands out for `scope` (its cache: the one sent)."""
    try:
        return jwt_claims(credential.get_token(scope).token)
    except Exception:  # a message helper: the caller reports the 401 either way
        return {}


def _expiry(claims: dict[str, Any], now: datetime.datetime) -> str:
    exp = claims.get("exp")
    if not isinstance(exp, int | float):
        return "unknown"
    at = datetime.datetime.fromtimestamp(exp, datetime.UTC)
    text = at.strftime("%Y-%m-%d %H:%M:%S UTC")
    if at <= now:
        text += f", {int((now - at).total_seconds())} s before this request"
    return text


def token_refused(
    code: str,
    message: str,
    claims: dict[str, Any],
    login: str,
    cloud: AzureCloud,
    now: datetime.datetime | None = None,
) -> str:
    """Why ARM refused the token (HTTP 401), naming what the token says about itself."""
    now = now or datetime.datetime.now(datetime.UTC)
    tid, aud = claims.get("tid", "unknown"), claims.get("aud", "unknown")
    said = f"{code}: {message}" if code else message
    token = (
        f"The token (decoded, not validated): tenant (tid) {tid}, audience (aud) {aud}, "
        f"expires (exp) {_expiry(claims, now)}."
    )
    audience = cloud.arm_scope.removesuffix("/.default")
    if code == "ExpiredAuthenticationToken":
        hint = (
            "It had expired: check this machine's clock, and sign in again (az login, or a "
            "fresh OIDC token)."
        )
    elif code == "InvalidAuthenticationTokenTenant":
        hint = (
            "The subscription belongs to another tenant than the token's: set ARM_TENANT_ID to "
            "the subscription's tenant (`az account show --query tenantId`)."
        )
    elif code == "InvalidAuthenticationTokenAudience":
        hint = (
            f"Resource Manager of the {cloud.name} cloud accepts tokens for {audience}: the login "
            f"signs in to another cloud (for the Azure CLI: `az cloud set --name "
            f"{cloud.cli_name}`; for the program: azure-native:environment)."
        )
    else:
        hint = (
            f"Sign in again; a service principal must exist in tenant {tid}, and the token's "
            f"audience be {audience}."
        )
    return (
        f"Azure Resource Manager refused the token of {login} (HTTP 401, {said}): the token is "
        f"the problem, not a missing role. {token} {hint}"
    )
