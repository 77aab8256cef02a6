-- The other members of a case's team (the design document's
-- case_collaborators): one row per case and user, with their permission
-- on the case (read, write or admin) and who added them.
CREATE TABLE case_collaborators (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_number VARCHAR(100) NOT NULL,
    user_id BIGINT UNSIGNED NOT NULL,
    permission_level ENUM('read', 'write', 'admin') NOT NULL,
    added_by BIGINT UNSIGNED NULL,
    added_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    -- One case's team, and one user's permission on one case.
    UNIQUE KEY uq_case_collaborators_case_user (case_number, user_id),
    -- The cases shared with a user; backs the foreign key.
    KEY idx_case_collaborators_user (user_id),
    -- Backs the foreign key.
    KEY idx_case_collaborators_added_by (added_by),
    CONSTRAINT fk_case_collaborators_case FOREIGN KEY (case_number) REFERENCES cases (case_number),
    CONSTRAINT fk_case_collaborators_user FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT fk_case_collaborators_added_by FOREIGN KEY (added_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO schema_migrations (version) VALUES ('010');
