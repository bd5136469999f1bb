#!/usr/bin/env bash
# The Debian package as ops meet it, in a throwaway Debian 12 root (chroot,
# no container engine): build it (./dev package, lintian included), install
# it with apt from the mirror this machine uses, check the files, modes,
# conffile, user, units and migrations; upgrade it to a second version over
# an edited conffile (the edit is kept, the migrations run again, the data
# stays); purge it (configuration, state and user gone).
#
# Needs root (debootstrap, chroot, mount). Exit 77 (ctest: skipped)
# otherwise. Everything downloaded is kept in $PALABRE_PACKAGE_DIR (the base
# root as a tarball with its apt lists, the .debs apt fetched), so a second
# run downloads nothing.
#
#   PALABRE_PACKAGE_DIR=build-test/package tests/package/install-upgrade-purge.sh
# shellcheck disable=SC2016  # dpkg-query's ${Field} formats are meant literally
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=${PALABRE_PACKAGE_DIR:-$SRC/build-package}
case "$WORK" in /*) ;; *) WORK=$PWD/$WORK ;; esac
SUITE=bookworm

if [ "$(id -u)" != 0 ]; then
  echo "SKIP: the package test needs root (debootstrap, chroot, mount); run it as root or in CI"
  exit 77
fi

step_start=$SECONDS
step() { echo "== package test: $* (at $((SECONDS - step_start)) s)"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------
step "build the .deb"
PALABRE_PACKAGE_DIR=$WORK "$SRC/dev" package
deb=$(ls "$WORK"/palabre_*_*.deb)
version=$(dpkg-deb -f "$deb" Version)

# ---------------------------------------------------------------------------
# The mirror this machine's apt uses (deb822 or one-line sources).
mirror=$({ cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null || true; } \
  | sed -n -E 's/^URIs:[[:space:]]*([^[:space:]]+).*/\1/p; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' \
  | { grep -v security || true; } | head -n 1)
mirror=${mirror:-http://deb.debian.org/debian}

base=$WORK/rootfs-$SUITE.tar
archives=$WORK/apt-archives
root=$WORK/root
mkdir -p "$archives"

umount_root() {
  local m
  for m in "$root/proc" "$root/dev/pts"; do
    mountpoint -q "$m" 2>/dev/null && umount -l "$m"
  done
  return 0
}
trap umount_root EXIT

in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

if [ ! -s "$base" ]; then
  step "debootstrap $SUITE from $mirror (once; cached in $base)"
  rm -rf "$root"
  debootstrap --variant=minbase "$SUITE" "$root" "$mirror"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  mount -t proc proc "$root/proc"
  in_root apt-get update
  umount_root
  in_root apt-get clean
  tar -C "$root" -cf "$base.tmp" . && mv "$base.tmp" "$base"
fi

step "a fresh root from $base"
umount_root
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" -xf "$base"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mkdir -p "$root/dev/pts" && mount --bind /dev/pts "$root/dev/pts"  # apt's terminal log
# As in a container: services are not started (no systemd runs here).
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
cp "$archives"/*.deb "$root/var/cache/apt/archives/" 2>/dev/null || true

apt_install() {  # apt-get install args...; refreshes the lists once if they are stale
  in_root apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confold "$@" \
    || { in_root apt-get update && in_root apt-get install -y --no-install-recommends \
         -o Dpkg::Options::=--force-confold "$@"; }
  cp "$root"/var/cache/apt/archives/*.deb "$archives/" 2>/dev/null || true
}

# ---------------------------------------------------------------------------
# With systemd (the units are checked against it) and nginx (the snippet
# is), as on the hosts ops run; minbase has neither.
step "install $(basename "$deb") with systemd and nginx"
cp "$deb" "$root/tmp/"
apt_install "/tmp/$(basename "$deb")" systemd nginx

check_file() { [ -f "$root$1" ] || fail "$1 missing"; }
check_mode() {  # path owner:group mode
  local got
  got=$(in_root stat -c '%U:%G %a' "$1") || fail "$1 missing"  # the root's own user names
  [ "$got" = "$2 $3" ] || fail "$1 is $got, expected $2 $3"
}

for f in /usr/lib/palabre/palabre-worker /usr/bin/palabre-admin /usr/share/man/man1/palabre-admin.1.gz \
         /usr/share/palabre/static/index.html /usr/share/palabre/static/guide/GUIDE.md \
         /usr/share/palabre/static/guide/INSTALL.md /usr/share/palabre/sql/0001_init.sql \
         /usr/share/palabre/secrets.conf \
         /etc/nginx/snippets/palabre.conf /etc/nginx/conf.d/palabre.conf \
         /lib/systemd/system/palabre.socket "/lib/systemd/system/palabre@.service" \
         /lib/systemd/system/palabre.target /usr/share/doc/palabre/copyright; do
  check_file "$f"
done
[ ! -L "$root/usr/share/palabre/static/guide" ] || fail "the guide is installed as a link"
[ ! -e "$root/etc/nginx/sites-enabled/palabre" ] || fail "the package enabled a site"

uid=$(in_root getent passwd palabre | cut -d: -f3) || fail "no palabre user"
[ "$uid" -lt 1000 ] || fail "palabre is not a system user (uid $uid)"
check_mode /etc/palabre root:palabre 750
check_mode /etc/palabre/palabre.conf root:root 644
check_mode /etc/palabre/secrets.conf root:palabre 640
check_mode /var/lib/palabre palabre:palabre 750
check_mode /var/cache/palabre/nginx www-data:www-data 700
in_root dpkg-query -W -f='${Conffiles}\n' palabre | grep -q ' /etc/palabre/palabre.conf ' \
  || fail "/etc/palabre/palabre.conf is not a conffile"
if in_root dpkg-query -W -f='${Conffiles}\n' palabre | grep -q secrets.conf; then
  fail "secrets.conf is a conffile"
fi
[ -L "$root/etc/systemd/system/sockets.target.wants/palabre.socket" ] || fail "palabre.socket not enabled"
[ -L "$root/etc/systemd/system/multi-user.target.wants/palabre.target" ] || fail "palabre.target not enabled"

# Bounded: a worker that took --version for something else would serve.
in_root timeout 10 /usr/lib/palabre/palabre-worker --version | grep -q . || fail "palabre-worker --version printed nothing"
in_root timeout 10 /usr/bin/palabre-admin --version | grep -q . || fail "palabre-admin --version printed nothing"

migrations=$(find "$SRC/sql" -name '*.sql' | wc -l)
db=$root/var/lib/palabre/palabre.db
check_mode /var/lib/palabre/palabre.db palabre:palabre 640
tables() { sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE type='table'"; }
[ "$(tables)" -gt "$migrations" ] || fail "the database has $(tables) tables"
applied() { sqlite3 "$db" "SELECT count(*) FROM schema_migrations"; }
[ "$(applied)" = "$migrations" ] || fail "$(applied) migrations applied of $migrations"

if command -v systemd-analyze >/dev/null; then
  step "systemd-analyze verify and security, on the installed units"
  systemd-analyze verify --man=no --root="$root" palabre.socket palabre@1.service palabre.target
  systemd-analyze security --offline=true --root="$root" --threshold=20 palabre@1.service | tail -n 1
fi

step "nginx -t with the snippet included in Debian's default site"
sed -i 's|^\(\s*server_name _;\)|\1\n\tinclude /etc/nginx/snippets/palabre.conf;|' "$root/etc/nginx/sites-available/default"
grep -q 'snippets/palabre.conf' "$root/etc/nginx/sites-available/default" || fail "could not edit the default site"
in_root nginx -t

# Data and an edited conffile that must survive the upgrade.
printf '%s\n' "$(head -c 18 /dev/urandom | base64)" \
  | in_root runuser -u palabre -- /usr/bin/palabre-admin --db /var/lib/palabre/palabre.db \
      create-admin --login ops --password-stdin >/dev/null
printf '# edited by ops\nPALABRE_LOG_LEVEL=warn\n' >> "$root/etc/palabre/palabre.conf"
printf 'PALABRE_SMTP_CREDENTIALS_FILE=/etc/palabre/smtp-credentials\n' >> "$root/etc/palabre/secrets.conf"

# ---------------------------------------------------------------------------
# The next version: the same package with a higher version and a changed
# conffile (so that dpkg has to choose between the edit and the new one).
step "upgrade to $version+upgrade1"
v2=$WORK/upgrade
rm -rf "$v2" && mkdir -p "$v2"
dpkg-deb -R "$deb" "$v2/tree"
sed -i "s/^Version: .*/Version: $version+upgrade1/" "$v2/tree/DEBIAN/control"
printf '# A line the next version added.\n' >> "$v2/tree/etc/palabre/palabre.conf"
(cd "$v2/tree" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' md5sum) \
  > "$v2/tree/DEBIAN/md5sums"
dpkg-deb --root-owner-group -b "$v2/tree" "$v2/palabre_${version}+upgrade1_amd64.deb" >/dev/null
cp "$v2/palabre_${version}+upgrade1_amd64.deb" "$root/tmp/"
apt_install "/tmp/palabre_${version}+upgrade1_amd64.deb"

[ "$(in_root dpkg-query -W -f='${Version}' palabre)" = "$version+upgrade1" ] || fail "not upgraded"
grep -q '^# edited by ops$' "$root/etc/palabre/palabre.conf" || fail "the conffile edit was lost"
[ -f "$root/etc/palabre/palabre.conf.dpkg-dist" ] || fail "the new conffile was not set aside as .dpkg-dist"
grep -q smtp-credentials "$root/etc/palabre/secrets.conf" || fail "secrets.conf was replaced"
check_mode /etc/palabre/secrets.conf root:palabre 640
[ "$(applied)" = "$migrations" ] || fail "$(applied) migrations applied of $migrations after the upgrade"
[ "$(sqlite3 "$db" "SELECT count(*) FROM accounts WHERE login='ops'")" = 1 ] || fail "the admin account is gone"

# ---------------------------------------------------------------------------
step "purge"
in_root apt-get purge -y palabre
for d in /etc/palabre /var/lib/palabre /var/cache/palabre /usr/lib/palabre /usr/share/palabre \
         /etc/nginx/snippets/palabre.conf /etc/nginx/conf.d/palabre.conf \
         /etc/systemd/system/sockets.target.wants/palabre.socket \
         /etc/systemd/system/multi-user.target.wants/palabre.target; do
  [ ! -e "$root$d" ] || fail "$d is left after purge"
done
if in_root getent passwd palabre >/dev/null; then fail "the palabre user is left after purge"; fi
if in_root getent group palabre >/dev/null; then fail "the palabre group is left after purge"; fi

umount_root
rm -rf "$root" "$v2"
step "install, upgrade and purge: passed"
echo "1 passed, 0 failed"
