#!/usr/bin/env bash
# Gives each of the forum's services its own PostgreSQL database and its own login role, which owns
# that database and nothing else, cannot connect to the others' and cannot make roles or databases:
# a service that is broken into reaches only its own data, and no service runs as the superuser.
#
# The postgres image runs this from /docker-entrypoint-initdb.d on its first start (empty data
# folder). It can also be run by hand as a superuser against any server, with PGHOST, PGPORT,
# PGUSER, PGPASSWORD and PGDATABASE as psql reads them; running it again changes nothing but the
# passwords.
#
# Environment:
#   FORUM_DATABASES        the services to make a database for, separated by spaces or commas
#                          (default: "membership meetings feedback signposting"); a partner
#                          organisation that runs only its own service lists just that one
#   <SERVICE>_DB_PASSWORD  each listed service's password, at least 16 characters: MEMBERSHIP_,
#                          MEETINGS_, FEEDBACK_, SIGNPOSTING_DB_PASSWORD. The service reads it
#                          inside a database URL, so letters and digits (`openssl rand -hex 24`)
#                          need no escaping there.
#   FORUM_DATABASE_PREFIX  put in front of every database and role name (default: none), so that
#                          several forums, or test runs, can share one server without clashing;
#                          lower-case letters, digits and _ only, e.g. "t1234_"
#   FORUM_SERVICE_DATABASE_SQL  where service-database.sql is (default: beside this script, else
#                          /forum/service-database.sql). It must not sit in the init folder
#                          itself, where the image would run it without its variables.

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    # The image sources, into its own shell, a script that is not executable; the options below
    # and `exit` would leak into that shell, so run as a program regardless.
    bash "${BASH_SOURCE[0]}"
    return
fi

set -euo pipefail

KNOWN_SERVICES="membership meetings feedback signposting"
MIN_PASSWORD_LENGTH=16

fail() {
    printf 'create-databases.sh: %s\n' "$*" >&2
    exit 1
}

prefix=${FORUM_DATABASE_PREFIX:-}
[[ $prefix =~ ^[a-z0-9_]*$ ]] ||
    fail "FORUM_DATABASE_PREFIX may hold only lower-case letters, digits and _ (it is '$prefix')"

listed=${FORUM_DATABASES:-$KNOWN_SERVICES}
read -r -a services <<<"${listed//,/ }"
((${#services[@]} > 0)) || fail "FORUM_DATABASES names no service (known: $KNOWN_SERVICES)"

sql=${FORUM_SERVICE_DATABASE_SQL:-}
if [[ -z $sql ]]; then
    for candidate in "$(dirname "${BASH_SOURCE[0]}")/service-database.sql" /forum/service-database.sql; do
        if [[ -f $candidate ]]; then
            sql=$candidate
            break
        fi
    done
fi
[[ -n $sql && -r $sql ]] ||
    fail "cannot read service-database.sql${sql:+ at $sql}; set FORUM_SERVICE_DATABASE_SQL to its path"

# Everything is checked before the first change, so a mistake leaves the server as it was rather
# than with some services set up and others not.
for service in "${services[@]}"; do
    [[ " $KNOWN_SERVICES " == *" $service "* ]] ||
        fail "unknown service '$service' in FORUM_DATABASES (known: $KNOWN_SERVICES)"
    variable="${service^^}_DB_PASSWORD"
    password=${!variable:-}
    [[ -n $password ]] ||
        fail "$variable is not set: give the $service role a password of at least $MIN_PASSWORD_LENGTH characters"
    ((${#password} >= MIN_PASSWORD_LENGTH)) ||
        fail "$variable is too short (${#password} characters): use at least $MIN_PASSWORD_LENGTH"
    # PostgreSQL would cut a longer name short, and the role would not be the one the service uses.
    ((${#prefix} + ${#service} <= 63)) || fail "FORUM_DATABASE_PREFIX is too long for '$prefix$service'"
done

export PGDATABASE=${PGDATABASE:-postgres}
# Inside the image the superuser is whoever POSTGRES_USER names.
export PGUSER=${PGUSER:-${POSTGRES_USER:-postgres}}

for service in "${services[@]}"; do
    variable="${service^^}_DB_PASSWORD"
    name="$prefix$service"
    psql --no-psqlrc --no-password --quiet -v ON_ERROR_STOP=1 \
        -v name="$name" -v password="${!variable}" -f "$sql"
    printf 'create-databases.sh: database and role %s ready\n' "$name"
done
