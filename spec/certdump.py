"""Python cryptography as a judge of X.509 certificates (cryptography 38 and later).

  certdump.py dump FILE...      one block per certificate: "key=value" lines, then "--"
  certdump.py make DIR          writes certificates made by cryptography into DIR
                                (keys from spec/fixtures/keys), one name per line on stdout

Used by spec/cert_interop_spec.lua. Lists are joined with "|"; absent values are left out.
"""
import calendar
import datetime
import ipaddress
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

KU_NAMES = ["digital_signature", "content_commitment", "key_encipherment",
            "data_encipherment", "key_agreement", "key_cert_sign", "crl_sign"]
KU_OUT = ["digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
          "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"]


def epoch(cert, which):
    utc = getattr(cert, which + "_utc", None)
    value = utc if utc is not None else getattr(cert, which)
    return calendar.timegm(value.utctimetuple())


def load(path):
    data = open(path, "rb").read()
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def ext_lines(cert, out):
    exts = []
    for e in cert.extensions:
        exts.append("%s:%d" % (e.oid.dotted_string, 1 if e.critical else 0))
        v = e.value
        if isinstance(v, x509.SubjectAlternativeName):
            out.append("dns=" + "|".join(v.get_values_for_type(x509.DNSName)))
            out.append("ip=" + "|".join(str(a) for a in v.get_values_for_type(x509.IPAddress)))
            out.append("email=" + "|".join(v.get_values_for_type(x509.RFC822Name)))
            out.append("uri=" + "|".join(v.get_values_for_type(x509.UniformResourceIdentifier)))
        elif isinstance(v, x509.KeyUsage):
            names = [KU_OUT[i] for i, n in enumerate(KU_NAMES) if getattr(v, n)]
            if v.key_agreement:
                names += [KU_OUT[7]] if v.encipher_only else []
                names += [KU_OUT[8]] if v.decipher_only else []
            out.append("ku=" + "|".join(names))
        elif isinstance(v, x509.ExtendedKeyUsage):
            out.append("eku=" + "|".join(o.dotted_string for o in v))
        elif isinstance(v, x509.BasicConstraints):
            out.append("ca=%d" % (1 if v.ca else 0))
            if v.path_length is not None:
                out.append("pathlen=%d" % v.path_length)
        elif isinstance(v, x509.SubjectKeyIdentifier):
            out.append("ski=" + v.digest.hex())
        elif isinstance(v, x509.AuthorityKeyIdentifier) and v.key_identifier is not None:
            out.append("aki=" + v.key_identifier.hex())
        elif isinstance(v, x509.TLSFeature):
            out.append("must_staple=%d" % (1 if x509.TLSFeatureType.status_request in v else 0))
    out.append("exts=" + "|".join(exts))


def dump(path):
    cert = load(path)
    out = ["file=" + path,
           "version=%d" % (3 if cert.version == x509.Version.v3 else 1),
           "serial=%x" % cert.serial_number,
           "not_before=%d" % epoch(cert, "not_valid_before"),
           "not_after=%d" % epoch(cert, "not_valid_after"),
           "subject=" + cert.subject.rfc4514_string(),
           "issuer=" + cert.issuer.rfc4514_string(),
           "sigalg=" + cert.signature_algorithm_oid.dotted_string,
           "fingerprint=" + cert.fingerprint(hashes.SHA256()).hex()]
    ext_lines(cert, out)
    print("\n".join(out))
    print("--")


def key(name):
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "keys")
    return serialization.load_pem_private_key(open(os.path.join(root, name), "rb").read(),
                                              password=None)


def make(outdir):
    """A CA and leaves of every key type, with the usual extensions."""
    now = datetime.datetime(2025, 1, 2, 3, 4, 5)
    ca_key = key("ec-p384.pem")
    ca_name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Py Org"),
                         x509.NameAttribute(NameOID.COMMON_NAME, "Py Root")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(0x1234567890abcdef)
          .not_valid_before(now).not_valid_after(datetime.datetime(2055, 1, 1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                       False), critical=True)
          .add_extension(ca_ski, critical=False)
          .sign(ca_key, hashes.SHA384()))
    files = {"py-root.pem": ca}
    for name, kf in [("rsa", "rsa2048.pem"), ("p256", "ec-p256.pem"),
                     ("ed25519", "ed25519.pem"), ("ed448", "ed448.pem")]:
        k = key(kf)
        b = (x509.CertificateBuilder()
             .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name + ".py"),
                                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Py Org")]))
             .issuer_name(ca_name).public_key(k.public_key()).serial_number(len(files) * 977)
             .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=90))
             .add_extension(x509.SubjectAlternativeName([
                 x509.DNSName(name + ".example.org"),
                 x509.IPAddress(ipaddress.ip_address("2001:db8::99")),
                 x509.RFC822Name("py@example.org"),
                 x509.UniformResourceIdentifier("https://example.org/" + name)]),
                 critical=False)
             .add_extension(x509.KeyUsage(True, False, name == "rsa", False, False, False,
                                          False, False, False), critical=True)
             .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
                            critical=False)
             .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(k.public_key()),
                            critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
                 ca_ski), critical=False)
             .add_extension(x509.TLSFeature([x509.TLSFeatureType.status_request]),
                            critical=False))
        files["py-" + name + ".pem"] = b.sign(ca_key, hashes.SHA256())
    for fname, cert in files.items():
        with open(os.path.join(outdir, fname), "wb") as f:
            f.write(cert.public_bytes(serialization.Encoding.PEM))
        print(fname)


if __name__ == "__main__":
    if sys.argv[1] == "dump":
        for p in sys.argv[2:]:
            dump(p)
    elif sys.argv[1] == "make":
        make(sys.argv[2])
