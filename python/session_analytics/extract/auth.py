"""Graph access tokens: a pre-issued token, or client credentials via azure-identity.

Order: env SESSION_ANALYTICS_GRAPH_TOKEN; else a JSON config file
(`--graph-config` or env SESSION_ANALYTICS_GRAPH_CONFIG) with `tenant_id`,
`client_id` and `client_secret` or `certificate_path` (+ optional
`certificate_password`, `authority_host`, `scope`); else the azure-identity env
vars AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or
AZURE_CLIENT_CERTIFICATE_PATH. Secrets stay in memory: never printed, never in an
exception message, never written.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from session_analytics.extract.common import ExtractError

GRAPH_TOKEN_ENV = "SESSION_ANALYTICS_GRAPH_TOKEN"
GRAPH_CONFIG_ENV = "SESSION_ANALYTICS_GRAPH_CONFIG"
REPO_ROOT = Path(__file__).resolve().parents[3]


class EnvToken:
    """A token someone else issues (a token broker, a test) in an env var.

    `refresh` reads the variable again: a broker may have replaced it.
    """

    def __init__(self, env_var: str) -> None:
        self.env_var = env_var

    def token(self) -> str:
        value = os.environ.get(self.env_var, "").strip()
        if not value:
            raise ExtractError(f"{self.env_var} is empty")
        return value

    def refresh(self) -> str:
        return self.token()


class CredentialToken:
    """Client-credentials tokens from an azure-identity credential."""

    def __init__(self, make_credential: Callable[[], Any], scope: str) -> None:
        self._make = make_credential
        self._scope = scope
        self._credential: Any = None

    def token(self) -> str:
        try:
            if self._credential is None:
                self._credential = self._make()
            return str(self._credential.get_token(self._scope).token)
        except Exception as exc:  # azure-identity raises its own ClientAuthentication…
            # the class name only: azure's messages may quote the request
            raise ExtractError(
                f"could not get a Graph token ({type(exc).__name__}):"
                " check tenant id, client id and the secret or certificate"
            ) from None

    def refresh(self) -> str:
        self._credential = None  # a new credential has no cached token
        return self.token()


def graph_scope(graph_url: str) -> str:
    """`https://graph.microsoft.com/.default` for the cloud of `graph_url`."""
    parts = urlsplit(graph_url)
    return f"{parts.scheme}://{parts.netloc}/.default"


def _read_config(path: Path) -> dict[str, Any]:
    resolved = path.expanduser().resolve()
    if resolved.is_relative_to(REPO_ROOT):
        raise ExtractError(
            f"the Graph config {path} is inside the repository: keep secrets outside it"
        )
    try:
        data = json.loads(resolved.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExtractError(
            f"the Graph config {path} cannot be read ({type(exc).__name__})"
        ) from None
    if not isinstance(data, dict):
        raise ExtractError(f"the Graph config {path} is not a JSON object")
    mode = resolved.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        print(
            f"extract: warning: {path} is readable by others; chmod 600 it",
            file=sys.stderr,
        )
    return data


def graph_auth(graph_url: str, config: str | None = None) -> EnvToken | CredentialToken:
    """The token provider the environment and config ask for."""
    if os.environ.get(GRAPH_TOKEN_ENV, "").strip():
        return EnvToken(GRAPH_TOKEN_ENV)
    config = config or os.environ.get(GRAPH_CONFIG_ENV)
    if config:
        settings = _read_config(Path(config))
    else:
        settings = {
            "tenant_id": os.environ.get("AZURE_TENANT_ID"),
            "client_id": os.environ.get("AZURE_CLIENT_ID"),
            "client_secret": os.environ.get("AZURE_CLIENT_SECRET"),
            "certificate_path": os.environ.get("AZURE_CLIENT_CERTIFICATE_PATH"),
            "certificate_password": os.environ.get("AZURE_CLIENT_CERTIFICATE_PASSWORD"),
            "authority_host": os.environ.get("AZURE_AUTHORITY_HOST"),
        }
    tenant, client = settings.get("tenant_id"), settings.get("client_id")
    secret, cert = settings.get("client_secret"), settings.get("certificate_path")
    if not (tenant and client and (secret or cert)):
        raise ExtractError(
            f"no Graph credentials: set {GRAPH_TOKEN_ENV}, or a config file"
            f" (--graph-config / {GRAPH_CONFIG_ENV}) or AZURE_TENANT_ID,"
            " AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH"
        )
    extra = {}
    if settings.get("authority_host"):
        extra["authority"] = settings["authority_host"]

    def make() -> Any:
        from azure.identity import CertificateCredential, ClientSecretCredential

        if secret:
            return ClientSecretCredential(tenant, client, secret, **extra)
        return CertificateCredential(
            tenant,
            client,
            certificate_path=cert,
            password=settings.get("certificate_password"),
            **extra,
        )

    return CredentialToken(make, settings.get("scope") or graph_scope(graph_url))
