"""Write a self-signed signing certificate and key for development and tests.

    rkpk make_signing_certificate --out DIR [--days 825] [--name "..."] [--password ...]

Writes DIR/signing-cert.pem and DIR/signing-key.pem (readable by the owner only) and
prints the settings that use them. Production uses a certificate from a certified
authority (for an Indonesian ministry: BSrE), not this one.
"""

import datetime
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

CERT_NAME = "signing-cert.pem"
KEY_NAME = "signing-key.pem"


def make_self_signed(
    common_name: str, organisation: str, days: int = 825, password: str = ""
) -> tuple[bytes, bytes]:
    """(certificate PEM, private key PEM) of a new self-signed RSA-3072 signing certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(password.encode())
        if password
        else serialization.NoEncryption()
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


class Command(BaseCommand):
    help = "Write a self-signed certificate and key for signing official PDFs (development)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="folder to write the PEM files to")
        parser.add_argument("--days", type=int, default=825, help="validity in days")
        parser.add_argument("--name", default="RK-PK Development Signer", help="common name")
        parser.add_argument("--password", default="", help="encrypt the key with this password")
        parser.add_argument("--force", action="store_true", help="overwrite existing files")

    def handle(self, *args, out, days, name, password, force, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        cert_path, key_path = folder / CERT_NAME, folder / KEY_NAME
        if not force and (cert_path.exists() or key_path.exists()):
            raise CommandError(f"{cert_path} or {key_path} exists; use --force to overwrite.")
        organisation = _organisation_name()
        cert_pem, key_pem = make_self_signed(name, organisation, days, password)
        cert_path.write_bytes(cert_pem)
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key_pem)
        os.chmod(key_path, 0o600)
        self.stdout.write(f"Wrote {cert_path} and {key_path} (self-signed, {days} days).")
        self.stdout.write("Set in the environment:")
        self.stdout.write(f"  RKPK_SIGNING_CERT={cert_path.resolve()}")
        self.stdout.write(f"  RKPK_SIGNING_KEY={key_path.resolve()}")
        if password:
            self.stdout.write("  RKPK_SIGNING_KEY_PASSWORD=<the password>")


def _organisation_name() -> str:
    """The organisation profile's name; "RK-PK" when the database cannot be read (yet)."""
    from rkpk.organisation.profile import NEUTRAL_NAME, current_profile

    try:
        return current_profile().name
    except Exception:  # noqa: BLE001 — a certificate can be made before the database exists
        return NEUTRAL_NAME
