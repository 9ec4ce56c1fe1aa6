#!/bin/sh
# Builds the libFuzzer seed corpus from spec/fixtures and spec/vectors (plus a few CSRs
# and Names made with the openssl CLI / Python cryptography when they are there).
#   sh fuzz/seed.sh [outdir]          default: fuzz/corpus-run/seed (ignored by git)
# One sub-directory per harness: req pem key subject der cert jwk. Files named by their SHA-1,
# so re-running only adds what is new.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/fuzz/corpus-run/seed}
vec=${VECTORS:-$root/spec/vectors}
fix=$root/spec/fixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$out/req" "$out/pem" "$out/key" "$out/subject" "$out/der" "$out/cert" "$out/jwk"

add() {     # add <harness> <file>
  [ -s "$2" ] || return 0
  h=$(sha1sum < "$2" | cut -c1-40)
  [ -e "$out/$1/$h" ] || cp "$2" "$out/$1/$h"
}
addstr() {  # addstr <harness> <string>
  printf '%s' "$2" > "$tmp/s"
  add "$1" "$tmp/s"
}

# ---- CSRs: the pyca vectors and every CSR-looking fixture, PEM and DER ----
for f in "$vec"/pyca-requests/*.pem "$vec"/pyca-requests/*.der \
         $(find "$fix" -type f 2>/dev/null); do
  [ -f "$f" ] || continue
  case "$f" in
    *.pem|*.csr|*.der) ;;
    *) continue ;;
  esac
  if grep -q "CERTIFICATE REQUEST" "$f" 2>/dev/null; then
    add req "$f"; add pem "$f"; add der "$f"
  elif case "$f" in */pyca-requests/*.der|*/csr*/*.der|*req*.der|*csr*.der) true;; *) false;; esac
  then
    add req "$f"; add der "$f"
  fi
done

# ---- keys: every fixture key (PEM and DER, plain, encrypted, public) ----
for f in $(find "$fix" -type f \( -name '*.pem' -o -name '*.der' -o -name '*.key' \) 2>/dev/null)
do
  grep -q "CERTIFICATE REQUEST" "$f" 2>/dev/null && continue
  case "$f" in */keys/*|*key*) add key "$f"; add der "$f";; *) continue;; esac
  grep -q -- "-----BEGIN" "$f" 2>/dev/null && add pem "$f"
done
# public keys found in the vectors (ML-DSA etc.: must fail cleanly)
for f in "$vec"/pyca-requests/*pubkey*.pem; do [ -f "$f" ] && add key "$f"; done

# ---- keys of every type and format, made here (the fixtures hold mostly RSA) ----
if command -v openssl >/dev/null 2>&1; then
  for a in "EC -pkeyopt ec_paramgen_curve:P-256" "EC -pkeyopt ec_paramgen_curve:P-384" \
           "EC -pkeyopt ec_paramgen_curve:P-521" "ED25519" "ED448"; do
    # shellcheck disable=SC2086
    openssl genpkey -algorithm $a -out "$tmp/k.pem" 2>/dev/null || continue
    add key "$tmp/k.pem"; add pem "$tmp/k.pem"
    openssl pkey -in "$tmp/k.pem" -outform DER -out "$tmp/k.der" 2>/dev/null && add key "$tmp/k.der"
    openssl pkey -in "$tmp/k.pem" -traditional -out "$tmp/t.pem" 2>/dev/null && add key "$tmp/t.pem"
    openssl pkey -in "$tmp/k.pem" -traditional -outform DER -out "$tmp/t.der" 2>/dev/null &&
      add key "$tmp/t.der"
    openssl pkey -in "$tmp/k.pem" -pubout -out "$tmp/p.pem" 2>/dev/null && add key "$tmp/p.pem"
    openssl pkey -in "$tmp/k.pem" -pubout -outform DER -out "$tmp/p.der" 2>/dev/null &&
      add key "$tmp/p.der"
    # encrypted with the fixtures' passphrase and a low iteration count (cheap to fuzz)
    openssl pkcs8 -topk8 -in "$tmp/k.pem" -passout pass:secret -iter 8 -outform DER \
      -out "$tmp/e.der" 2>/dev/null && add key "$tmp/e.der"
    openssl pkcs8 -topk8 -in "$tmp/k.pem" -passout pass:secret -iter 8 -v2prf hmacWithSHA1 \
      -v2 aes-128-cbc -out "$tmp/e.pem" 2>/dev/null && { add key "$tmp/e.pem"; add pem "$tmp/e.pem"; }
    cp "$tmp/k.pem" "$tmp/gen-$(echo "$a" | tr -dc 'A-Za-z0-9')-key.pem"
  done
fi

# ---- CSRs with every extension and attribute we know, from fixture keys ----
if command -v openssl >/dev/null 2>&1; then
  n=0
  for k in $(ls "$tmp"/gen-*-key.pem 2>/dev/null) \
           $(find "$fix" -type f -name '*.pem' 2>/dev/null | grep -v -e enc -e pub -e rsa3072 \
             -e rsa4096 -e rsa8192 | sort); do
    grep -q "PRIVATE KEY-----" "$k" || continue
    n=$((n + 1))
    cat > "$tmp/req.cnf" <<CNF
[req]
distinguished_name = dn
attributes = attrs
prompt = no
[dn]
C = US
ST = Bayern
O = Example Inc
0.OU = Eng
1.OU = Ops
CN = www.example.com
emailAddress = ops@example.com
[attrs]
challengePassword = s3cret pass
unstructuredName = An unstructured name
[dir_sect]
C = DE
CN = directory name
CNF
    openssl req -new -key "$k" -config "$tmp/req.cnf" -outform DER -out "$tmp/a.der" \
      -addext "subjectAltName=DNS:www.example.com,DNS:*.example.com,IP:192.0.2.1,IP:2001:db8::1,email:ops@example.com,URI:spiffe://example.com/web,RID:1.2.3.4,otherName:1.3.6.1.4.1.311.20.2.3;UTF8:upn@example.com,dirName:dir_sect" \
      -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyAgreement" \
      -addext "extendedKeyUsage=serverAuth,clientAuth,1.3.6.1.4.1.311.20.2.2" \
      -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
      -addext "tlsfeature=status_request" \
      -addext "1.2.3.4.5=DER:04:03:01:02:03" 2>/dev/null ||
    openssl req -new -key "$k" -config "$tmp/req.cnf" -outform DER -out "$tmp/a.der" \
      -addext "subjectAltName=DNS:www.example.com,IP:192.0.2.1,IP:2001:db8::1,email:a@b.c,URI:https://x/" \
      -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=serverAuth" \
      -addext "basicConstraints=critical,CA:FALSE" -addext "tlsfeature=status_request" \
      2>/dev/null || continue
    add req "$tmp/a.der"; add der "$tmp/a.der"
    openssl req -inform DER -in "$tmp/a.der" -out "$tmp/a.pem" 2>/dev/null && {
      add req "$tmp/a.pem"; add pem "$tmp/a.pem"; }
    # multi-valued RDN and an empty subject, PSS for RSA keys
    openssl req -new -key "$k" -subj "/C=DE/O=x+OU=y+CN=z/CN=last" -multivalue-rdn -outform DER \
      -out "$tmp/b.der" 2>/dev/null && { add req "$tmp/b.der"; add der "$tmp/b.der"; }
    openssl req -new -key "$k" -subj "/" -outform DER -out "$tmp/c.der" 2>/dev/null &&
      add req "$tmp/c.der"
    case "$k" in
      *rsa*) openssl req -new -key "$k" -subj "/CN=pss" -sigopt rsa_padding_mode:pss \
               -sigopt rsa_pss_saltlen:32 -sha256 -outform DER -out "$tmp/d.der" 2>/dev/null &&
               add req "$tmp/d.der";;
    esac
    [ $n -ge 12 ] && break
  done
fi

# ---- certificates: the fixtures (a chain, a bundle, v1, PSS), openssl- and Python-made ones ----
for f in "$fix"/certs/*; do
  [ -f "$f" ] || continue
  add cert "$f"; add der "$f"
  grep -q -- "-----BEGIN" "$f" 2>/dev/null && add pem "$f"
done
if command -v openssl >/dev/null 2>&1; then
  for k in "$fix"/keys/rsa2048.pem "$fix"/keys/ec-p256.pem "$fix"/keys/ec-p521.pem \
           "$fix"/keys/ed25519.pem "$fix"/keys/ed448.pem; do
    [ -f "$k" ] || continue
    openssl req -x509 -new -key "$k" -subj "/C=DE/O=Seed+OU=Multi/CN=seed" -days 1 \
      -addext "subjectAltName=DNS:a.example,IP:192.0.2.1,IP:2001:db8::1,email:a@b.c,URI:https://x/,RID:1.2.3.4,otherName:1.3.6.1.4.1.311.20.2.3;UTF8:upn@example.com" \
      -addext "keyUsage=critical,digitalSignature,keyCertSign" \
      -addext "extendedKeyUsage=serverAuth,1.3.6.1.4.1.311.20.2.2" \
      -addext "tlsfeature=status_request" -addext "authorityKeyIdentifier=keyid,issuer" \
      -multivalue-rdn -outform DER -out "$tmp/x.der" 2>/dev/null || continue
    add cert "$tmp/x.der"; add der "$tmp/x.der"
    openssl x509 -inform DER -in "$tmp/x.der" -out "$tmp/x.pem" 2>/dev/null && add cert "$tmp/x.pem"
  done
  case "$(ls "$fix"/certs/*.pem 2>/dev/null | head -1)" in
    ?*) cat "$fix"/certs/chain.pem "$fix"/certs/v1.pem > "$tmp/bundle.pem"; add cert "$tmp/bundle.pem";;
  esac
fi
for py in python3 /usr/bin/python3; do
  if "$py" -c 'import cryptography' 2>/dev/null; then
    mkdir -p "$tmp/py"
    "$py" "$root/spec/certdump.py" make "$tmp/py" >/dev/null 2>&1 || true
    for f in "$tmp"/py/*.pem; do [ -f "$f" ] && add cert "$f"; done
    break
  fi
done

# ---- Name DER (SEQUENCE OF RDN) from the CSRs, via Python cryptography when present ----
for py in python3 /usr/bin/python3; do
  if "$py" -c 'import cryptography' 2>/dev/null; then
    "$py" - "$out/req" "$out/subject" <<'PY' || true
import hashlib, os, sys
from cryptography import x509
src, dst = sys.argv[1], sys.argv[2]
for name in os.listdir(src):
    data = open(os.path.join(src, name), "rb").read()
    try:
        r = x509.load_pem_x509_csr(data) if b"-----BEGIN" in data else x509.load_der_x509_csr(data)
        der = r.subject.public_bytes()
    except Exception:
        continue
    open(os.path.join(dst, hashlib.sha1(der).hexdigest()), "wb").write(der)
PY
    break
  fi
done

# ---- subject text: RFC 4514 and openssl /slash forms, escapes, odd corners ----
for s in \
  "CN=www.example.com,O=Example Inc,C=US" \
  "/C=US/O=Example Inc/CN=www.example.com" \
  "/C=US/O=Example Inc+OU=Eng/CN=x" \
  "CN=x+OU=Eng,O=Example\\, Inc.,C=US" \
  "CN=\\#hash\\,comma\\+plus\\\"quote\\\\back\\<lt\\>gt\\;semi\\ ,O=trailing space\\ " \
  "CN=\\C3\\A4rger,O=M\\C3\\BCller" \
  "CN=$(printf '\303\244\303\266\303\274 \342\202\254 \360\237\230\200')" \
  "2.5.4.3=#0c03616263,1.2.3.4=#04024142" \
  "emailAddress=ops@example.com,serialNumber=1234,DC=example,DC=com,UID=jdoe" \
  "givenName=Jane,surname=Doe,initials=JD,pseudonym=jd,title=Dr,dnQualifier=q1" \
  "street=1 Main St,postalCode=12345,L=Springfield,ST=IL,businessCategory=Private Organization" \
  "jurisdictionC=US,jurisdictionST=DE,jurisdictionL=Wilmington,organizationIdentifier=VATDE-123" \
  "commonName=long,organizationName=o,countryName=DE,localityName=l,stateOrProvinceName=s" \
  "/CN=a\\/b/O=c" "/" "" "CN=" "CN" "=x" "CN=a,,O=b" "CN=a+" "C=USA" "C=us" \
  "CN=$(printf 'a%.0s' $(seq 1 64))" "CN=$(printf 'a%.0s' $(seq 1 65))" \
  "OU=1,OU=2,OU=3,OU=4,OU=5,OU=6,OU=7,OU=8,OU=9,OU=10,OU=11,OU=12" \
  "  CN = spaced  ,  O = x  " "cn=lower,o=case" "CN=#" "CN=#zz" "CN=\\00" "CN=\\" "CN=\\4"
do
  addstr subject "$s"
done

# ---- JWKs ("name=value" lines): the RFC vectors (python3's json), and every fixture key
# as a private and a public JWK when ./csr.so and lua5.4 are there ----
if command -v python3 >/dev/null 2>&1; then
  for f in "$vec"/jose/*.json; do
    [ -f "$f" ] || continue
    python3 -c 'import json, sys
j = json.load(open(sys.argv[1])).get("jwk")
if j: sys.stdout.write("".join("%s=%s\n" % (k, v) for k, v in j.items() if isinstance(v, str)))
' "$f" > "$tmp/j" 2>/dev/null && add jwk "$tmp/j"
  done
fi
if [ -f "$root/csr.so" ] && command -v lua5.4 >/dev/null 2>&1; then
  for f in "$fix"/keys/*.pem; do
    for priv in true false; do
      printf '%s\n' 'local csr = require "csr"' \
        'local k = csr.key.parse(io.open(arg[1], "rb"):read("*a"))' \
        'local j = k and k:to_jwk{private = arg[2] == "true" and k:is_private()}' \
        'for name, v in pairs(j or {}) do io.write(name, "=", v, "\n") end' > "$tmp/j.lua"
      LUA_CPATH="$root/?.so" lua5.4 "$tmp/j.lua" "$f" "$priv" \
        > "$tmp/j" 2>/dev/null && add jwk "$tmp/j"
    done
  done
fi

echo "seed corpus in $out: $(ls "$out/req" | wc -l) req, $(ls "$out/pem" | wc -l) pem," \
     "$(ls "$out/key" | wc -l) key, $(ls "$out/subject" | wc -l) subject, $(ls "$out/der" | wc -l) der," \
     "$(ls "$out/cert" | wc -l) cert, $(ls "$out/jwk" | wc -l) jwk"
