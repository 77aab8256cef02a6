-- A user may remove a case from their list (a mistaken "Add case"); the
-- entry stays, marked removed, so that adding the case again can offer its
-- text back and versions keep counting up.
ALTER TABLE user_cases
    ADD COLUMN removed_at TIMESTAMP(6) NULL DEFAULT NULL AFTER updated_at;

INSERT INTO schema_migrations (version) VALUES ('007');
