-- One service's database and the only login role that may use it. Run by create-databases.sh as
-- the superuser, once per service, with psql variables `name` (role and database) and `password`.
-- psql quotes both (:"name" as an identifier, :'password' as a literal), so no value can change
-- the statements. Safe to run again: an existing role gets the given password and the same limits.

\set ON_ERROR_STOP 1

SELECT NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = :'name') AS create_role \gset
\if :create_role
CREATE ROLE :"name" LOGIN PASSWORD :'password';
\endif
-- Also for a role that was there already: a service account that could make roles or databases
-- could reach past its own database, so it gets none of those rights, whatever it had before.
ALTER ROLE :"name" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'password';

-- CREATE DATABASE cannot run in a DO block or transaction, hence \if rather than IF NOT EXISTS.
SELECT NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = :'name') AS create_database \gset
\if :create_database
CREATE DATABASE :"name" OWNER :"name";
\endif
ALTER DATABASE :"name" OWNER TO :"name";

-- PUBLIC may connect to every new database by default, which would let each service's role into
-- the others'; only the owner keeps the right.
REVOKE CONNECT, TEMPORARY ON DATABASE :"name" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"name" TO :"name";

\connect :"name"

-- Alembic creates the service's tables in `public`. From PostgreSQL 15 the database's owner owns
-- it already; before, the superuser did and anyone could create in it. Same result on both.
ALTER SCHEMA public OWNER TO :"name";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
