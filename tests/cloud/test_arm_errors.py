"""ARM's error bodies and what a 401 says about the token (real bodies, quoted where captured)."""

from __future__ import annotations

import datetime
import json

import pytest
from arm_bodies import EXPIRED, TENANT, WRONG_AUDIENCE, WRONG_TENANT, jwt

from cloud.arm_errors import error_of_body, jwt_claims, token_refused
from sandboxing.azure_clouds import PUBLIC, US_GOVERNMENT

NOW = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.UTC)


def test_claims_are_read_without_validation_and_nothing_else_is_a_jwt() -> None:
    claims = jwt_claims(jwt({"tid": TENANT, "aud": "https://management.core.windows.net/"}))
    assert claims["tid"] == TENANT
    assert jwt_claims("not-a-token") == {} and jwt_claims("a.!!!.c") == {}


def test_error_bodies_give_code_and_message() -> None:
    assert error_of_body(json.dumps(EXPIRED))[0] == "ExpiredAuthenticationToken"
    assert error_of_body("<html>gateway</html>") == ("", "<html>gateway</html>")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (EXPIRED, "check this machine's clock"),
        (WRONG_TENANT, "set ARM_TENANT_ID"),
        (WRONG_AUDIENCE, "az cloud set --name AzureUSGovernment"),
    ],
)
def test_a_401_names_the_token_not_a_role(body: dict, words: str) -> None:
    expired_at = int(NOW.timestamp()) - 90
    claims = jwt_claims(
        jwt({"tid": TENANT, "aud": "https://management.core.windows.net/", "exp": expired_at})
    )
    code, message = error_of_body(json.dumps(body))
    text = token_refused(
        code, message, claims, "the Azure CLI login (az login)", US_GOVERNMENT, now=NOW
    )
    assert f"HTTP 401, {code}: " in text and "not a missing role" in text
    assert f"tenant (tid) {TENANT}" in text
    assert "audience (aud) https://management.core.windows.net/" in text
    assert "expires (exp) 2026-12-04 11:58:30 UTC, 90 s before this request" in text
    assert words in text
    assert "role" not in text.replace("not a missing role", "")


def test_a_token_without_claims_still_says_what_arm_said() -> None:
    text = token_refused(
        "InvalidAuthenticationToken",
        "The access token is invalid.",
        {},
        "service principal c (secret)",
        PUBLIC,
        now=NOW,
    )
    assert "tenant (tid) unknown" in text and "The access token is invalid." in text
    assert "https://management.core.windows.net/" in text  # the audience it should have
