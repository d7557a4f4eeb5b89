# doublelock: finds a Java 21+ runtime. Sourced by /usr/bin/doublelock and the package's postinst (POSIX sh).
# Order: $JAVA_HOME, the `java` on PATH, then every runtime under /usr/lib/jvm (Debian's
# openjdk-NN packages and Eclipse Temurin's both live there). Prints the runtime's home; fails with nothing.
# DOUBLELOCK_JVM_DIR replaces /usr/lib/jvm (for tests).

doublelock_java_major() { # JAVA_HOME -> major version, from its release file or from `java -version`
  v=
  if [ -r "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1)
  fi
  if [ -z "$v" ] && [ -x "$1/bin/java" ]; then
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  [ -n "$v" ] && echo "$v"
}

doublelock_java_ok() { # JAVA_HOME -> true if it has bin/java and is 21 or newer
  [ -x "$1/bin/java" ] || return 1
  m=$(doublelock_java_major "$1") || return 1
  [ "$m" -ge 21 ] 2>/dev/null
}

doublelock_find_java() {
  if [ -n "${JAVA_HOME:-}" ] && doublelock_java_ok "$JAVA_HOME"; then echo "$JAVA_HOME"; return 0; fi
  if command -v java >/dev/null 2>&1; then
    h=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if doublelock_java_ok "$h"; then echo "$h"; return 0; fi
  fi
  for d in $(ls -d "${DOUBLELOCK_JVM_DIR:-/usr/lib/jvm}"/*/ 2>/dev/null | sort -V -r); do
    d=${d%/}
    if doublelock_java_ok "$d"; then echo "$d"; return 0; fi
  done
  return 1
}

DOUBLELOCK_NO_JAVA="doublelock needs Java 21 or newer and found none (looked at JAVA_HOME, java on PATH, /usr/lib/jvm). \
Debian 13, Ubuntu 22.04/24.04: apt-get install openjdk-21-jre-headless. \
Debian 12 (its archive stops at Java 17): install a Java 21+ runtime under /usr/lib/jvm, e.g. Eclipse Temurin 21 \
(package temurin-21-jre from Adoptium's apt repository), or set JAVA_HOME to one."
