#!/bin/sh
# tools/container/stack.sh — kasparro's image and compose stack with the
# engine this machine has: docker (with compose) when its daemon answers,
# else podman with podman-compose, installed from Debian when missing. The
# Makefile's image/up/down/logs targets and tests/container/ call it.
#
#   stack.sh image          build kasparro's image ($KASPARRO_IMAGE, default
#                           kasparro:latest), making the base images first
#   stack.sh up             image, an .env when there is none, then the stack
#                           (compose.yaml) in the background; returns once
#                           the database and the daemon are healthy
#   stack.sh down           stop and remove the containers; the volumes (the
#                           database, the console's history) stay
#   stack.sh logs           follow the stack's logs
#   stack.sh health SERVICE exit 0 when the service passes its health check
#   stack.sh compose ARG... the compose tool, set up the same way, e.g.
#                           `compose run --rm kasparro console`
#   stack.sh engine ARG...  docker or podman, set up the same way
#
# The compose project is $COMPOSE_PROJECT_NAME, default kasparro (the name
# compose.yaml gives itself), passed to either compose tool.
#
# Base images: debian:bookworm-slim and postgres:15 are used when present,
# else pulled, else — where no registry answers — made here from the Debian
# mirror apt uses: the first with debootstrap, the second from it with
# Debian's postgresql-15 (tools/container/postgres, same interface as the
# official image). LOCAL_BASE=yes skips the registry; LOCAL_BASE=no only
# pulls. CONTAINER_ENGINE=docker|podman overrides the choice of engine.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
: "${KASPARRO_IMAGE:=kasparro:latest}" "${LOCAL_BASE:=auto}"
: "${COMPOSE_PROJECT_NAME:=kasparro}"
export KASPARRO_IMAGE COMPOSE_PROJECT_NAME
BASE_IMAGE=debian:bookworm-slim
PG_IMAGE=postgres:15
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kasparro-stack.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

say() { echo "stack: $*" >&2; }
die() {
	say "$*"
	exit 1
}
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

choose_engine() {
	ENGINE=${CONTAINER_ENGINE:-}
	if [ -z "$ENGINE" ]; then
		if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
			ENGINE=docker
		else
			ENGINE=podman
		fi
	fi
	case "$ENGINE" in
	docker)
		if docker compose version >/dev/null 2>&1; then
			COMPOSE="docker compose -p $COMPOSE_PROJECT_NAME"
		elif command -v docker-compose >/dev/null 2>&1; then
			COMPOSE="docker-compose -p $COMPOSE_PROJECT_NAME"
		else
			die "docker runs but has no compose (the docker-compose-plugin package)"
		fi
		;;
	podman)
		if ! command -v podman >/dev/null 2>&1 || ! command -v podman-compose >/dev/null 2>&1; then
			say "no docker daemon answers and podman is missing: installing it"
			sh tools/deps.sh --container --if-missing >&2
		fi
		COMPOSE="podman-compose -p $COMPOSE_PROJECT_NAME"
		# HEALTHCHECK is part of the docker image format only
		export BUILDAH_FORMAT=docker
		;;
	*) die "CONTAINER_ENGINE must be docker or podman, not '$ENGINE'" ;;
	esac
}

have_image() { $ENGINE image inspect "$1" >/dev/null 2>&1; }

# try_pull IMAGE: 0 when a registry gave it (not tried with LOCAL_BASE=yes)
try_pull() {
	[ "$LOCAL_BASE" = yes ] && return 1
	say "pulling $1"
	timeout 120 $ENGINE pull "$1" >"$WORK/pull.log" 2>&1 && return 0
	[ "$LOCAL_BASE" = no ] && die "cannot pull $1 (LOCAL_BASE=no): $(tail -n 1 "$WORK/pull.log")"
	say "no registry gave $1 ($(tail -n 1 "$WORK/pull.log")); making it from the Debian mirror"
	return 1
}

# The first URI of the Debian mirror apt uses.
debian_mirror() {
	m=""
	[ -f /etc/apt/sources.list.d/debian.sources ] &&
		m=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
	[ -z "$m" ] && [ -f /etc/apt/sources.list ] &&
		m=$(awk '$1 == "deb" && $2 !~ /^\[/ && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list)
	echo "${m:-http://deb.debian.org/debian}"
}

# debian:bookworm-slim from Debian's mirror: debootstrap's minbase, apt
# pointed at the host's Debian sources, and the official slim image's
# exclusions (no documentation, manuals or translations; no apt caches).
make_base_image() {
	command -v debootstrap >/dev/null 2>&1 || sh tools/deps.sh --container >&2
	root="$WORK/rootfs"
	mirror=$(debian_mirror)
	say "debootstrap bookworm from $mirror"
	as_root debootstrap --variant=minbase bookworm "$root" "$mirror" >"$WORK/debootstrap.log" 2>&1 ||
		die "debootstrap failed: $(tail -n 5 "$WORK/debootstrap.log")"
	as_root sh tools/container/slim-rootfs.sh "$root"
	as_root tar -C "$root" -c . | $ENGINE import --change 'CMD ["bash"]' - "$BASE_IMAGE" >/dev/null
	as_root rm -rf "$root"
}

ensure_base_images() {
	have_image "$BASE_IMAGE" || try_pull "$BASE_IMAGE" || make_base_image
	have_image "$PG_IMAGE" || try_pull "$PG_IMAGE" ||
		$ENGINE build $BUILD_FLAGS -t "$PG_IMAGE" tools/container/postgres >&2
}

# Rootful podman gives containers the maximum open-file and process limits,
# which root cannot raise to without CAP_SYS_RESOURCE (as in a container or
# a restricted VM): there, give them the open-file hard limit and 32768
# processes (podman's own processes may have fewer than ulimit shows: the
# hard process limit itself was refused on the machine this was built on).
podman_limits() {
	BUILD_FLAGS=""
	[ "$ENGINE" = podman ] || return 0
	BUILD_FLAGS="--pull=never"
	[ -z "${CONTAINERS_CONF:-}" ] && [ "$(id -u)" -eq 0 ] || return 0
	caps=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
	[ $((0x$caps >> 24 & 1)) -eq 1 ] && return 0
	nofile=$(ulimit -Hn)
	printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=32768:32768"]\n' \
		"$nofile" "$nofile" >"$WORK/containers.conf"
	export CONTAINERS_CONF="$WORK/containers.conf"
}

build_image() {
	podman_limits
	ensure_base_images
	$ENGINE build $BUILD_FLAGS -t "$KASPARRO_IMAGE" . >&2
}

# The database password comes from the environment or .env; a first `up`
# without either writes .env from .env.example with a random password.
ensure_env() {
	[ -n "${POSTGRES_PASSWORD:-}" ] || [ -f .env ] && return 0
	(
		umask 077
		pw=$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')
		sed "s/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=$pw/" .env.example >.env
	)
	say "wrote .env with a random POSTGRES_PASSWORD (from .env.example)"
}

# podman-compose 1.0.3 prints each podman command it runs, environment
# values included: mask passwords as kasparro does in its own messages.
# Without systemd podman schedules no health checks and logs an error for
# each container; wait_healthy runs the checks, so say that once instead.
masked() {
	rc=0
	"$@" >"$WORK/out" 2>&1 || rc=$?
	timers='unable to get systemd connection to [a-z]+ healthchecks'
	grep -Ev "$timers" "$WORK/out" | sed -E 's/(PASSWORD=)[^ ]*/\1***/g'
	if grep -Eq "$timers" "$WORK/out"; then
		say "no systemd here, so podman runs no health checks on its own; make up runs them"
	fi
	return $rc
}

# health SERVICE: 0 when the service's container passes its health check
health() {
	id=$($ENGINE ps -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" \
		--filter "label=com.docker.compose.service=$1")
	[ -n "$id" ] || return 1
	if [ "$ENGINE" = podman ]; then
		# podman schedules health checks with systemd timers; without
		# systemd none run, so run the check now
		podman healthcheck run "$id" >/dev/null 2>&1
	else
		[ "$(docker inspect -f '{{.State.Health.Status}}' "$id")" = healthy ]
	fi
}

wait_healthy() {
	end=$(($(date +%s) + 180))
	until health "$1"; do
		if [ "$(date +%s)" -ge "$end" ]; then
			$COMPOSE logs --tail 30 "$1" >&2 || true
			die "$1 is not healthy after 180 s (its last log lines are above)"
		fi
		sleep 1
	done
	say "$1 is healthy"
}

choose_engine
cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
image) build_image ;;
up)
	build_image
	ensure_env
	masked $COMPOSE up -d "$@"
	wait_healthy db
	wait_healthy kasparro
	console="tools/container/stack.sh compose"
	[ "$ENGINE" = docker ] && console=$COMPOSE
	say "up; the console: $console run --rm kasparro console; make logs, make down"
	;;
down)
	podman_limits
	# as long as compose.yaml gives the daemon to stop (stop_grace_period,
	# above its worst-case stop: kasparro(1), "Scheduler and daemon"); compose's own default
	# is 10 s, and a shorter wait kills a daemon whose batch is committing
	grace=$(sed -n 's/^ *stop_grace_period: *\([0-9][0-9]*\)s *$/\1/p' compose.yaml | head -n 1)
	[ -n "$grace" ] || die "compose.yaml gives the daemon no stop_grace_period in seconds"
	$COMPOSE down -t "$grace" "$@"
	# podman-compose leaves the project's network behind; docker's does not
	for net in $($ENGINE network ls -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME"); do
		$ENGINE network rm "$net" >/dev/null
	done
	;;
logs)
	podman_limits
	$COMPOSE logs -f "$@"
	;;
health)
	podman_limits
	health "${1:?usage: stack.sh health SERVICE}"
	;;
compose)
	podman_limits
	$COMPOSE "$@"
	;;
engine)
	podman_limits
	$ENGINE "$@"
	;;
*)
	echo "usage: tools/container/stack.sh image|up|down|logs|health SERVICE|compose ARGS|engine ARGS" >&2
	exit 2
	;;
esac
