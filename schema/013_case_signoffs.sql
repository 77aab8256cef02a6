-- Customers' sign-offs of a user's notes on a case: who signed (name, role),
-- their signature (a PNG of at most 200 KB), the version of the notes they
-- signed and when. Written once and never updated or deleted by the app; a
-- report shows the latest and says when the notes changed since.
-- MEDIUMBLOB holds 16 MB (BLOB only 64 KB).
CREATE TABLE case_signoffs (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id VARCHAR(100) NOT NULL,
    case_number VARCHAR(100) NOT NULL,
    version INT UNSIGNED NOT NULL,
    signer_name VARCHAR(100) NOT NULL,
    signer_role VARCHAR(100) NOT NULL,
    signature MEDIUMBLOB NOT NULL,
    request_id VARCHAR(128),
    signed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    -- One user's sign-offs of one case, newest first.
    KEY idx_case_signoffs_user_case (user_id, case_number, id),
    -- Backs the foreign key.
    KEY idx_case_signoffs_case_number (case_number),
    CONSTRAINT fk_case_signoffs_case FOREIGN KEY (case_number) REFERENCES cases (case_number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO schema_migrations (version) VALUES ('013');
