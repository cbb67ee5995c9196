#!/usr/bin/env bash
# Installs what Ferry and its tests need on a Debian machine: Java 17, Maven, the PostgreSQL 15
# server and client tools (pg_dump, pg_restore, psql, initdb), the MariaDB server and client tools,
# pgBackRest (2.45 on Debian 12) for physical migrations, openssl, xz, and util-linux (runuser, setpriv). Run as root, or with the
# packages already there. Safe to run again: it installs only what is missing.
set -euo pipefail
packages=()
command -v java >/dev/null || packages+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || packages+=(maven)
command -v pg_dump >/dev/null || packages+=(postgresql-client)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]] || packages+=(mariadb-server)
command -v mariadb-dump >/dev/null || packages+=(mariadb-client)
command -v xz >/dev/null || packages+=(xz-utils)
command -v openssl >/dev/null || packages+=(openssl)
command -v runuser >/dev/null && [[ -x /usr/bin/setpriv ]] || packages+=(util-linux)  # runuser; setpriv: children die with Ferry
command -v mount >/dev/null || packages+=(mount)  # the fault tests mount a small tmpfs as a full state folder
command -v pgbackrest >/dev/null || packages+=(pgbackrest)
if ((${#packages[@]} == 0)); then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "Ferry needs these Debian packages: ${packages[*]}. Install them (as root: apt-get install ${packages[*]}) and run again." >&2
  exit 2
fi
echo "Installing ${packages[*]}..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
