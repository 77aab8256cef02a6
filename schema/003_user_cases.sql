-- Each user's problem statement and FSR notes for a case. Several users
-- may keep notes on the same case; a user has one row per case.
-- MEDIUMTEXT holds 16 MB (TEXT only 64 KB). user_id is the users.id of a
-- local account, as a string, as the design document has it.
CREATE TABLE user_cases (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id VARCHAR(100) NOT NULL,
    case_number VARCHAR(100) NOT NULL,
    problem_statement MEDIUMTEXT,
    fsr_notes MEDIUMTEXT,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
        ON UPDATE CURRENT_TIMESTAMP(6),
    -- Finds one user's case; its user_id prefix also serves lookups by user.
    UNIQUE KEY uq_user_cases_user_case (user_id, case_number),
    -- A user's list, newest first, read in index order (no filesort).
    KEY idx_user_cases_user_updated (user_id, updated_at),
    -- Backs the foreign key.
    KEY idx_user_cases_case_number (case_number),
    CONSTRAINT fk_user_cases_case FOREIGN KEY (case_number) REFERENCES cases (case_number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO schema_migrations (version) VALUES ('003');
