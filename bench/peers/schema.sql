-- The design document's schema ("Database Schema Design") with its indexes
-- ("Indexing" and the user_cases indexes), as MariaDB takes it.
CREATE TABLE cases (
    case_number VARCHAR(100) PRIMARY KEY,
    is_open BOOLEAN NOT NULL DEFAULT TRUE,
    closed_at TIMESTAMP NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
);
CREATE TABLE user_cases (
    id SERIAL PRIMARY KEY,
    user_id VARCHAR(100) NOT NULL,
    case_number VARCHAR(100) NOT NULL,
    problem_statement TEXT,
    fsr_notes TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    FOREIGN KEY (case_number) REFERENCES cases(case_number),
    UNIQUE(user_id, case_number),
    INDEX idx_user_id (user_id),
    INDEX idx_case_number (case_number),
    INDEX idx_user_case (user_id, case_number)
);
CREATE INDEX idx_user_cases_updated ON user_cases(updated_at DESC);
CREATE INDEX idx_cases_open ON cases(is_open);
