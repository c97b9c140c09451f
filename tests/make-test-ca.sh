#!/bin/sh
# make-test-ca.sh DIR - a throw-away certificate authority and a server
# certificate for 127.0.0.1, ::1 and localhost, made at test time (never
# committed), valid for two days. Writes into DIR:
#   ca.pem              the test CA (give it to the client as --ca-file)
#   server.pem, server.key   the server's certificate and key (--cert, --key)
#   server.pin          the server key's pin, "sha256//BASE64" (--pin)
#   other-ca.pem        another CA, which did not sign the server certificate
#   other.pin           a pin that does not match the server's key
# Used by tests/test_httpd.c and the end-to-end scripts. Needs openssl.
set -eu
dir=${1:?usage: make-test-ca.sh DIR}
mkdir -p "$dir"
cd "$dir"
ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"

# shellcheck disable=SC2086
openssl req -x509 $ec -keyout ca.key -out ca.pem -days 2 \
  -subj "/CN=sws test CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
# shellcheck disable=SC2086
openssl req -new $ec -keyout server.key -out server.csr \
  -subj "/CN=localhost" 2>/dev/null
cat >server.ext <<EOF
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
EOF
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial 2 \
  -days 2 -extfile server.ext -out server.pem 2>/dev/null
# shellcheck disable=SC2086
openssl req -x509 $ec -keyout other-ca.key -out other-ca.pem -days 2 \
  -subj "/CN=sws other CA" 2>/dev/null

pin() { # certificate -> sha256//BASE64 of its public key (DER)
  printf 'sha256//%s\n' "$(openssl x509 -in "$1" -pubkey -noout |
    openssl pkey -pubin -outform der | openssl dgst -sha256 -binary |
    openssl base64 -A)"
}
pin server.pem >server.pin
pin other-ca.pem >other.pin
rm -f server.csr server.ext ca.key other-ca.key
chmod 600 server.key
