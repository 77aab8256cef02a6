-- Who wrote each version of a user's notes: the user, or a teammate with
-- write on the case (014 fills it in for the rows written before).
ALTER TABLE case_history
    ADD COLUMN changed_by BIGINT UNSIGNED NULL AFTER version,
    ADD KEY idx_case_history_changed_by (changed_by),
    ADD CONSTRAINT fk_case_history_changed_by FOREIGN KEY (changed_by) REFERENCES users (id);

INSERT INTO schema_migrations (version) VALUES ('012');
