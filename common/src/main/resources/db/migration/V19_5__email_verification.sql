-- Email verification (issue 16: sales open to verified email accounts only).
-- users.email_verified_at: when the account confirmed its address; NULL until then (every account
-- that existed before this migration starts unconfirmed, like a new one).
ALTER TABLE users ADD COLUMN email_verified_at DATETIME(3) NULL;

-- One row per verification link sent. The link's token is never stored, only its SHA-256 (hex): a
-- copy of this table cannot confirm anyone's address. A token confirms once (used_at) and only
-- before expires_at. The rows of the last hours are also the resend limit's count (user_id, created_at).
CREATE TABLE email_verifications (
    token_hash CHAR(64)    NOT NULL PRIMARY KEY,
    user_id    BIGINT      NOT NULL,
    created_at DATETIME(3) NOT NULL,
    expires_at DATETIME(3) NOT NULL,
    used_at    DATETIME(3) NULL,
    CONSTRAINT fk_email_verifications_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    INDEX ix_email_verifications_user (user_id, created_at)
) ENGINE = InnoDB;

-- A sale that only accounts with a confirmed email may join and buy.
ALTER TABLE sales ADD COLUMN verified_email_only BOOLEAN NOT NULL DEFAULT FALSE;
