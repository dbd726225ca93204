"""A throwaway certification authority for the signing tests: a root, a signer certificate issued by it (written as a
PKCS#12 file, as production would hold it) and a time-stamping authority."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SIGNER_NAME = "Ville de Beaulieu-sur-Loire — État civil"
PASSWORD = "throwaway-signing-password"


@dataclass(frozen=True)
class Pki:
    root: asn1_x509.Certificate
    p12: Path
    tsa_certificate: asn1_x509.Certificate
    tsa_key: asn1_keys.PrivateKeyInfo


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _usage(*, sign_certificates: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=not sign_certificates,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=sign_certificates,
        crl_sign=sign_certificates,
        encipher_only=False,
        decipher_only=False,
    )


def _issue(
    subject: str, key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey, issuer: x509.Certificate | None
) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.subject if issuer else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
    )


def _ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def make_pki(directory: Path, *, rsa_signer: bool = False) -> Pki:
    """The authority and its certificates; an RSA-2048 signer (as most issued seals are) or a faster EC one."""
    root_key = _ec_key()
    root = (
        _issue("GRU test root CA", root_key, None)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_usage(sign_certificates=True), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    signer_key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if rsa_signer else _ec_key()
    signer = (
        _issue(SIGNER_NAME, signer_key, root)
        .add_extension(_usage(sign_certificates=False), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's dummy TSA is RSA-only
    tsa = (
        _issue("GRU test time-stamping authority", tsa_key, root)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    p12 = directory / "signer.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer", signer_key, signer, [root], serialization.BestAvailableEncryption(PASSWORD.encode())
        )
    )
    tsa_key_der = tsa_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return Pki(
        root=_asn1(root), p12=p12, tsa_certificate=_asn1(tsa), tsa_key=asn1_keys.PrivateKeyInfo.load(tsa_key_der)
    )
