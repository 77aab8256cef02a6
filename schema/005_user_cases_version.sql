-- Every change of a user's texts gives the entry a new version (1 when it is
-- created), so that a save can name the version it edited and be refused,
-- rather than overwrite, when someone saved in between.
ALTER TABLE user_cases
    ADD COLUMN version INT UNSIGNED NOT NULL DEFAULT 1 AFTER fsr_notes;

INSERT INTO schema_migrations (version) VALUES ('005');
