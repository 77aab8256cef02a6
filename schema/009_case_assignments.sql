-- Who a case is assigned to (the design document's case_assignments): at
-- most one user per case, and who assigned it (NULL: the command line).
-- The assignee is admin on the case (fsr_coach/teams/permission.py).
CREATE TABLE case_assignments (
    case_number VARCHAR(100) NOT NULL PRIMARY KEY,
    assigned_to BIGINT UNSIGNED NOT NULL,
    assigned_by BIGINT UNSIGNED NULL,
    assigned_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    -- A user's assigned cases, newest assignment first, in index order.
    KEY idx_case_assignments_assigned_to (assigned_to, assigned_at),
    -- Backs the foreign key.
    KEY idx_case_assignments_assigned_by (assigned_by),
    CONSTRAINT fk_case_assignments_case FOREIGN KEY (case_number) REFERENCES cases (case_number),
    CONSTRAINT fk_case_assignments_to FOREIGN KEY (assigned_to) REFERENCES users (id),
    CONSTRAINT fk_case_assignments_by FOREIGN KEY (assigned_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO schema_migrations (version) VALUES ('009');
