-- The audit trail of every change to a user's texts: one row per field that
-- changed, written in the same transaction as the change and never updated
-- or deleted by the app. field_name is problem_statement or fsr_notes; a
-- NULL old_value means the entry did not exist (or was removed), a NULL
-- new_value that it was removed. version is the one the change produced.
CREATE TABLE case_history (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id VARCHAR(100) NOT NULL,
    case_number VARCHAR(100) NOT NULL,
    field_name VARCHAR(50) NOT NULL,
    old_value MEDIUMTEXT,
    new_value MEDIUMTEXT,
    version INT UNSIGNED NOT NULL,
    request_id VARCHAR(128),
    changed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    -- One user's history of one case, newest first, page by page.
    KEY idx_case_history_user_case (user_id, case_number, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO schema_migrations (version) VALUES ('006');
