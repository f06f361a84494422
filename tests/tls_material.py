"""TLS material for the stand-in servers: one throwaway CA and the certificates it signs.

Made once per test session with `cryptography` (EC keys: milliseconds). The stand-in Kubernetes
API server (tests/kube_standin.py) and the stand-in ARM endpoint (tests/standins.py) both serve
`pki().server`; clients trust `pki().ca`.
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

LOCALHOST = "127.0.0.1"


@dataclass(frozen=True)
class Pem:
    cert: bytes
    key: bytes


@dataclass(frozen=True)
class Pki:
    ca: Pem  # the cluster CA: signs the server and client certificates
    server: Pem  # valid for 127.0.0.1
    wrong_host_server: Pem  # valid only for another cluster's host name
    client: Pem  # clusterUser, valid
    expired_client: Pem  # clusterUser, expired yesterday
    other_ca: Pem  # a CA the cluster never used (a stale kubeconfig's)
    wrong_host: str = "aks-other-1a2b3c.hcp.westeurope.azmk8s.io"


def _issue(
    name: str,
    issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None,
    *,
    server_names: tuple[str, ...] = (),
    client: bool = False,
    expired: bool = False,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    subject = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, name)]
        + ([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "system:masters")] if client else [])
    )
    not_after = now - datetime.timedelta(days=1) if expired else now + datetime.timedelta(days=1)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer[0].subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=30))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True)
    )
    if server_names:
        names: list[x509.GeneralName] = []
        for host in server_names:
            try:
                names.append(x509.IPAddress(ipaddress.ip_address(host)))
            except ValueError:
                names.append(x509.DNSName(host))
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
    if client:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
        )
    signer = issuer[1] if issuer else key
    return builder.sign(signer, hashes.SHA256()), key


def _pem(pair: tuple[x509.Certificate, ec.EllipticCurvePrivateKey]) -> Pem:
    cert, key = pair
    return Pem(
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


@functools.cache
def pki() -> Pki:
    """All certificates the tests need, made once per session (EC keys: milliseconds)."""
    ca = _issue("cluster-ca", None)
    other_ca = _issue("cluster-ca", None)  # same name, different key: a rotated/recreated CA
    wrong_host = Pki.wrong_host
    return Pki(
        ca=_pem(ca),
        server=_pem(_issue("apiserver", ca, server_names=(LOCALHOST, "localhost"))),
        wrong_host_server=_pem(_issue("apiserver", ca, server_names=(wrong_host,))),
        client=_pem(_issue("clusterUser", ca, client=True)),
        expired_client=_pem(_issue("clusterUser", ca, client=True, expired=True)),
        other_ca=_pem(other_ca),
    )


@dataclass(frozen=True)
class ServerFiles:
    """`pki().server` as files, for servers and clients that take paths."""

    cert_file: Path
    key_file: Path
    ca_file: Path  # what a client trusts


def server_files(directory: Path) -> ServerFiles:
    material = pki()
    files = ServerFiles(directory / "server.crt", directory / "server.key", directory / "ca.crt")
    files.cert_file.write_bytes(material.server.cert)
    files.key_file.write_bytes(material.server.key)
    files.ca_file.write_bytes(material.ca.cert)
    return files
