-- Sign-in attempts per account name (fsr_coach/auth/attempts.py), shared by
-- every worker and instance. One row per name tried: a window that opens at
-- the name's first attempt and the attempts counted in it. The name is kept
-- as typed and matched as users.username is (same collation: without regard
-- to case or accents), whether or not an account has it. Rows of ended
-- windows are deleted by the app, through the index on window_started_at.
CREATE TABLE login_attempts (
    username VARCHAR(100) NOT NULL PRIMARY KEY,
    attempts INT UNSIGNED NOT NULL,
    window_started_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY idx_login_attempts_window_started_at (window_started_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO schema_migrations (version) VALUES ('008');
