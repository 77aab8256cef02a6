-- Least privilege: FSR Coach's two database accounts. NOT a migration
-- (scripts/load_schema.py applies only the numbered files): a DBA runs it as
-- an administrator, once per deployment, and again to change a password.
--
--     python scripts/ops/accounts_sql.py | mysql -u root -p
--
-- fills in the placeholders from the settings (the environment, then .env):
-- DB_NAME (the database; in GRANT every _ is written \_, since _ alone
-- matches any character there), DB_USER and DB_PASSWORD (the app's account),
-- MIGRATE_DB_USER and MIGRATE_DB_PASSWORD (the schema loader's), and
-- ACCOUNT_HOST (where both connect from; % is anywhere). By hand, replace
-- each placeholder in an editor, then run the file with the mysql client.
-- Each account is left with exactly the privileges granted here.

-- The schema loader: DDL on the app's database (creating it when missing),
-- and the rows its files write (schema_migrations, data changes).
CREATE USER IF NOT EXISTS '${MIGRATE_DB_USER}'@'${ACCOUNT_HOST}'
    IDENTIFIED BY '${MIGRATE_DB_PASSWORD}';
ALTER USER '${MIGRATE_DB_USER}'@'${ACCOUNT_HOST}' IDENTIFIED BY '${MIGRATE_DB_PASSWORD}';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM '${MIGRATE_DB_USER}'@'${ACCOUNT_HOST}';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, REFERENCES
    ON `${DB_NAME}`.* TO '${MIGRATE_DB_USER}'@'${ACCOUNT_HOST}';

-- The app (gunicorn and the flask commands, cases sync included): reading and
-- writing rows of the app's tables, nothing else. The sync's lock (GET_LOCK)
-- needs no privilege.
CREATE USER IF NOT EXISTS '${DB_USER}'@'${ACCOUNT_HOST}' IDENTIFIED BY '${DB_PASSWORD}';
ALTER USER '${DB_USER}'@'${ACCOUNT_HOST}' IDENTIFIED BY '${DB_PASSWORD}';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM '${DB_USER}'@'${ACCOUNT_HOST}';
GRANT SELECT, INSERT, UPDATE, DELETE ON `${DB_NAME}`.* TO '${DB_USER}'@'${ACCOUNT_HOST}';
