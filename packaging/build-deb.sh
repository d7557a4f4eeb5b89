#!/bin/sh
# Builds the Debian package doublelock_VERSION_all.deb from the fat jar, with dpkg-deb only (no debhelper).
#   packaging/build-deb.sh JAR MAVEN_VERSION OUT_DIR
# Maven runs it in the package phase with -Pdeb (mvn -Pdeb -DskipTests package); DebianPackageIT runs it too.
# The Debian version is the Maven one with "-SNAPSHOT" as "~SNAPSHOT" (sorts before the release).
# Prints the path of the package it made.
set -eu
if [ $# -ne 3 ]; then echo "usage: $0 JAR MAVEN_VERSION OUT_DIR" >&2; exit 64; fi
jar=$1; version=$(echo "$2" | sed 's/-/~/g'); out=$3
here=$(cd "$(dirname "$0")" && pwd)
src="$here/deb"; repo=$(dirname "$here")
command -v dpkg-deb >/dev/null || { echo "build-deb.sh: dpkg-deb not found (Debian's dpkg package)" >&2; exit 69; }
[ -f "$jar" ] || { echo "build-deb.sh: no jar at $jar (run mvn -DskipTests package first)" >&2; exit 66; }

mkdir -p "$out"
root=$(mktemp -d "${TMPDIR:-/tmp}/doublelock-deb.XXXXXX")
trap 'rm -rf "$root"' EXIT
umask 022
chmod 0755 "$root"

install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/doublelock" "$root/usr/share/doc/doublelock" \
  "$root/etc/doublelock" "$root/usr/lib/systemd/system"
install -m 0644 "$jar" "$root/usr/share/doublelock/doublelock.jar"
install -m 0644 "$src/find-java.sh" "$root/usr/share/doublelock/find-java.sh"
install -m 0755 "$src/doublelock" "$root/usr/bin/doublelock"
install -m 0644 "$src/relay.json" "$root/etc/doublelock/relay.json"
install -m 0644 "$src/lab.env" "$root/etc/doublelock/lab.env"
for unit in doublelock-relay doublelock-lab; do
  # @HARDENING@ -> the shared sandbox lines
  sed -e "/^@HARDENING@\$/{r $src/hardening.inc" -e 'd}' "$src/$unit.service.in" > "$root/usr/lib/systemd/system/$unit.service"
  chmod 0644 "$root/usr/lib/systemd/system/$unit.service"
done
install -m 0644 "$repo/README.md" "$repo/docs/relay-config.md" "$repo/relay.example.json" "$root/usr/share/doc/doublelock/"

for script in postinst prerm postrm; do install -m 0755 "$src/$script" "$root/DEBIAN/$script"; done
printf '/etc/doublelock/relay.json\n/etc/doublelock/lab.env\n' > "$root/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" "$src/control.in" > "$root/DEBIAN/control"
(cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"

deb="$out/doublelock_${version}_all.deb"
# gzip: the jar is compressed already (xz would take ~20 s to gain 1 %)
dpkg-deb --root-owner-group -Zgzip -z6 --build "$root" "$deb" >/dev/null
echo "$deb"
