#!/bin/sh
# Installs the Debian packages kasparro builds, runs and tests with.
#   tools/deps.sh              install them all (apt-get update first)
#   tools/deps.sh --if-missing install only when one of them is absent
#   tools/deps.sh --build      only what `make` needs (the image's build stage)
#   tools/deps.sh --container  podman and what `make image` and `make up`
#                              need where docker does not run
# Runs apt-get through sudo when not root.
set -e
BUILD_PKGS="build-essential pkg-config libncurses-dev libreadline-dev libpq-dev
libcjson-dev libcurl4-openssl-dev libidn2-dev libcsv-dev libinih-dev libutf8proc-dev
libxxhash-dev libyajl-dev libmicrohttpd-dev libssl-dev"
PKGS="$BUILD_PKGS libcmocka-dev postgresql postgresql-client tmux mandoc python3
ca-certificates openssl time curl prometheus wrk python3-fastapi uvicorn
python3-psycopg2 clang"
# netavark and aardvark-dns give compose services their names on the network
# (only recommended by podman); debootstrap makes the base image when no
# registry is reachable.
CONTAINER_PKGS="podman podman-compose runc netavark aardvark-dns iptables
debootstrap"
case "$1" in
--build) PKGS=$BUILD_PKGS && shift ;;
--container) PKGS=$CONTAINER_PKGS && shift ;;
esac

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ "$1" = "--if-missing" ] && [ -z "$missing" ]; then
	exit 0
fi
[ -n "$missing" ] || missing="$PKGS"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "deps: not root and no sudo; install as root:$missing" >&2
		exit 2
	}
	SUDO=sudo
fi
echo "deps: installing$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
# Debian's postgresql package creates and starts a system cluster on port
# 5432; kasparro never uses it (it runs its own private cluster), so do not
# let the package start one.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
	$SUDO chmod 0755 /usr/sbin/policy-rc.d
	trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
