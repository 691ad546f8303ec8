#!/usr/bin/env bash
# Bootstraps PostgreSQL, Redis and NATS (JetStream) as system services on a Debian/Ubuntu host, for
# running Mamori outside containers (a VM, a staging box). For a laptop, `npm start` does all of this
# by itself with project-local data; this script is for a long-lived host with systemd.
#
#   sudo MAMORI_DB_PASSWORD='...' deploy/bootstrap/install-infra-debian.sh
#
# Prints the DATABASE_URL, REDIS_URL and NATS_URL to configure the services with.
set -euo pipefail

: "${MAMORI_DB_PASSWORD:?set MAMORI_DB_PASSWORD (the password of the mamori database role)}"
DB_NAME="${MAMORI_DB_NAME:-mamori}"
DB_USER="${MAMORI_DB_USER:-mamori}"
NATS_STORE="${MAMORI_NATS_STORE:-/var/lib/nats-server}"

if [ "$(id -u)" -ne 0 ]; then
  echo "run as root (sudo)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends postgresql redis-server nats-server

# NATS: the Debian package runs without JetStream; Mamori's audit trail needs it (stream AUDIT).
# Mamori's users and permissions (deploy/nats/auth.conf) are included; their passwords are generated
# once into /etc/nats-server-mamori.env (root only), which systemd hands to nats-server.
install -d -o nats -g nats -m 0750 "$NATS_STORE"
HERE="$(cd "$(dirname "$0")" && pwd)"
install -m 0644 "$HERE/../nats/auth.conf" /etc/nats-server-mamori-auth.conf
PASSWORDS=/etc/nats-server-mamori.env
touch "$PASSWORDS"
chmod 0600 "$PASSWORDS"
for user in $(grep -o 'MAMORI_NATS_PASSWORD_[A-Z_]*' /etc/nats-server-mamori-auth.conf | sort -u); do
  if ! grep -q "^$user=" "$PASSWORDS"; then
    # Starts with a letter: nats-server reads a variable's value starting with a digit as a number.
    echo "$user=p$(head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n")" >> "$PASSWORDS"
  fi
done
install -d /etc/systemd/system/nats-server.service.d
cat > /etc/systemd/system/nats-server.service.d/mamori.conf <<UNIT
[Service]
EnvironmentFile=$PASSWORDS
UNIT
systemctl daemon-reload
cat > /etc/nats-server.conf <<CONF
host: 127.0.0.1
port: 4222
jetstream {
  store_dir: "$NATS_STORE"
}
include ./nats-server-mamori-auth.conf
CONF

# Redis: keep queued notification jobs across restarts.
if ! grep -q '^appendonly yes' /etc/redis/redis.conf; then
  sed -i 's/^appendonly no/appendonly yes/' /etc/redis/redis.conf
fi

systemctl enable --now postgresql redis-server nats-server
systemctl restart redis-server nats-server

# PostgreSQL: one role and one database; the migrate command creates each service's schema in it.
# The password reaches psql on its standard input (printf is a shell builtin), never on a command
# line that `ps` shows every local user. psql's quoting: backslashes and single quotes doubled.
pw_quoted=${MAMORI_DB_PASSWORD//\\/\\\\}
pw_quoted=${pw_quoted//\'/\'\'}
{ printf "\\set password '%s'\n" "$pw_quoted"; cat <<'SQL'; } | sudo -u postgres psql -v ON_ERROR_STOP=1 --set=user="$DB_USER" --set=db="$DB_NAME"
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'user', :'password')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'user', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL

cat <<OUT
Infrastructure is up. Configure the services with:
  DATABASE_URL=postgres://$DB_USER:<MAMORI_DB_PASSWORD>@127.0.0.1:5432/$DB_NAME
  REDIS_URL=redis://127.0.0.1:6379
  NATS_URL=nats://127.0.0.1:4222
  NATS_USER=<service: gateway, auth, notification, case-management, audit, cli>
  NATS_PASSWORD=<that user's MAMORI_NATS_PASSWORD_* in $PASSWORDS>
OUT
