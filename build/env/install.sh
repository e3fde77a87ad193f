#!/usr/bin/env bash
# Installs the Debian packages the offline test environment needs. A fast no-op
# when everything is present: apt-get update alone costs seconds we do not need to pay.
set -euo pipefail

# squid: the forward proxy; openssh-server: the SSH git server; gnupg and openssh-client: the SSH transport, and the
# signing tests sign and verify commits with the real gpg and ssh-keygen.
packages=(docker-registry skopeo umoci mmdebstrap podman runc iptables nginx fcgiwrap git jq curl openssl ca-certificates bsdutils squid openssh-server openssh-client gnupg)
# Debian's kubectl only when no kubectl is on the machine already (it may come from elsewhere).
command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)

missing=()
for package in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)"
  [[ "$status" == installed ]] || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  echo "install: all ${#packages[@]} packages present"
  exit 0
fi

echo "install: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Recommends stay on: podman gets its network stack (netavark) through them.
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "install: done"
