-- Every change of a case's team, written in the same transaction as the
-- change and never updated or deleted by the app: who did it (NULL: the
-- command line), what (assigned, unassigned, added, changed, removed,
-- left), to whom, and the permission it gave (NULL when it gave none).
CREATE TABLE case_team_events (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_number VARCHAR(100) NOT NULL,
    by_user_id BIGINT UNSIGNED NULL,
    action VARCHAR(20) NOT NULL,
    user_id BIGINT UNSIGNED NOT NULL,
    permission VARCHAR(10) NULL,
    request_id VARCHAR(128),
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    -- One case's events, newest first.
    KEY idx_case_team_events_case (case_number, id),
    -- Back the foreign keys.
    KEY idx_case_team_events_by (by_user_id),
    KEY idx_case_team_events_user (user_id),
    CONSTRAINT fk_case_team_events_case FOREIGN KEY (case_number) REFERENCES cases (case_number),
    CONSTRAINT fk_case_team_events_by FOREIGN KEY (by_user_id) REFERENCES users (id),
    CONSTRAINT fk_case_team_events_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO schema_migrations (version) VALUES ('011');
