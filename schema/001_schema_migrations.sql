-- Which of these files have been applied. Every file ends by recording its
-- own version here, so applying one by hand leaves the same trace as
-- `python scripts/load_schema.py`.
-- By hand: mysql fsr_coach < schema/001_schema_migrations.sql
CREATE TABLE schema_migrations (
    version CHAR(3) NOT NULL PRIMARY KEY,
    applied_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO schema_migrations (version) VALUES ('001');
