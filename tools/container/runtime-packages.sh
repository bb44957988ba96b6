#!/bin/sh
# Prints the Debian packages that own the shared libraries BINARY links, one
# per line: the runtime image installs exactly these, so a library added to
# the build (Makefile PKGS, tools/deps.sh) reaches the image with no second
# list to keep in step.
#   tools/container/runtime-packages.sh BINARY
set -eu
bin=$1
libs=$(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }')
[ -n "$libs" ] || { echo "runtime-packages: ldd found no libraries in '$bin'" >&2; exit 1; }
for lib in $libs; do
	# ldd names the path the loader took (/lib/... on a merged /usr); dpkg
	# may know the file by its other name or by its link target
	real=$(readlink -f "$lib")
	found=""
	for path in "$lib" "/usr$lib" "${lib#/usr}" "$real" "/usr$real" "${real#/usr}"; do
		if owner=$(dpkg-query -S "$path" 2>/dev/null); then
			found=${owner%%:*}
			break
		fi
	done
	[ -n "$found" ] || { echo "runtime-packages: no Debian package owns '$lib' ($bin)" >&2; exit 1; }
	echo "$found"
done | sort -u
