-- One visible address is one account, and the key says exactly which: the API stores the address
-- normalised (NFKC, lower-cased, ASCII local part, punycode domain), so the unique key and the
-- log-in lookup compare it byte for byte instead of under the server's case- and accent-insensitive
-- default collation, where two different strings can find each other's account. Converting cannot
-- create duplicates: the old key was the looser one.
ALTER TABLE users MODIFY email VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
