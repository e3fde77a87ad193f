#!/usr/bin/env bash
# tls.sh: a private CA made with openssl, and two server certificates it signs: one for 127.0.0.1/localhost
# (nginx on 127.0.0.1:8443) and one for git.example.com only (nginx on 127.0.0.1:8444: a certificate for another host).
# Idempotent: existing files are kept, so tests and running servers keep trusting the same CA.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_dirs
mkdir -p "$TLS_DIR"
cd "$TLS_DIR"
if [[ ! -s ca.pem ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=GitOps.Build test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout ca.key -out ca.pem 2>/dev/null
fi

# server NAME SUBJECT_ALT_NAMES: a key and a certificate signed by the CA.
server() {
  local name="$1" san="$2"
  [[ -s "$name.pem" ]] && return 0
  openssl req -newkey rsa:2048 -nodes -subj "/CN=${san#*:}" -keyout "$name.key" -out "$name.csr" 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -extfile "$name.ext" -out "$name.pem" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}
server server "IP:127.0.0.1,DNS:localhost"
server wrong-host "DNS:git.example.com"
chmod 600 ./*.key
