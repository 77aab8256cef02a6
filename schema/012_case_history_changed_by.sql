-- Who wrote each version of a user's notes: the user, or a teammate with
-- write on the case. Rows written before teams were their owner's own; a
-- user_id that is no account (none the app writes) stays NULL.
ALTER TABLE case_history
    ADD COLUMN changed_by BIGINT UNSIGNED NULL AFTER version,
    ADD KEY idx_case_history_changed_by (changed_by),
    ADD CONSTRAINT fk_case_history_changed_by FOREIGN KEY (changed_by) REFERENCES users (id);

UPDATE case_history h JOIN users u ON u.id = h.user_id SET h.changed_by = u.id;

INSERT INTO schema_migrations (version) VALUES ('012');
