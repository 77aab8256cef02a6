-- The history written before teams (012): each change was its owner's own.
-- A user_id that is no account (none the app writes) stays NULL.
UPDATE case_history h JOIN users u ON u.id = h.user_id SET h.changed_by = u.id
    WHERE h.changed_by IS NULL;

INSERT INTO schema_migrations (version) VALUES ('014');
