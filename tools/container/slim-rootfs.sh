#!/bin/sh
# tools/container/slim-rootfs.sh ROOT — turns a debootstrap minbase tree into
# what the official debian:bookworm-slim image is: apt reading the host's
# Debian sources, no documentation, manuals or translations (now or in later
# installs), no package lists or caches, and no host files (resolv.conf,
# hostname) the engine provides itself. Run as root by stack.sh.
set -eu
root=$1
[ -x "$root/usr/bin/apt-get" ] || { echo "slim-rootfs: '$root' is not a Debian tree" >&2; exit 1; }

rm -f "$root/etc/apt/sources.list"
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
	cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/"
else
	grep -E '^deb .*(bookworm|stable)' /etc/apt/sources.list >"$root/etc/apt/sources.list"
fi

cat >"$root/etc/dpkg/dpkg.cfg.d/slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
CFG
cat >"$root/etc/apt/apt.conf.d/slim" <<'CFG'
Acquire::Languages "none";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb || true"; };
CFG
find "$root/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$root/usr/share/man/"* "$root/usr/share/groff/"* "$root/usr/share/info/"* \
	"$root/usr/share/lintian/"* "$root/usr/share/locale/"*
rm -rf "$root/var/lib/apt/lists/"* "$root/var/cache/apt/"*.bin "$root/var/cache/apt/archives/"*.deb \
	"$root/var/log/"*.log "$root/var/log/apt/"*
: >"$root/etc/resolv.conf"
rm -f "$root/etc/hostname"
