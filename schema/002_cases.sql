-- The case catalog: which case numbers exist and whether they are open.
-- Case numbers compare without regard to letter case (the collation).
CREATE TABLE cases (
    case_number VARCHAR(100) NOT NULL PRIMARY KEY,
    is_open BOOLEAN NOT NULL DEFAULT TRUE,
    closed_at TIMESTAMP(6) NULL DEFAULT NULL,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
        ON UPDATE CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO schema_migrations (version) VALUES ('002');
