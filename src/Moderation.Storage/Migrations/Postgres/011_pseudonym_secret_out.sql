-- PostgreSQL mirror of ../011_pseudonym_secret_out.sql (conventions: 001_initial.sql in this folder).
-- The secret that hashes readers' client addresses leaves the database (docs/OPERATIONS.md, "Pseudonyms"): it is
-- now in pseudonym.key beside it (Api/Pseudonyms/PseudonymKey.cs), or in Moderation:Pseudonyms:Secret. A new secret is
-- made there; as after a rotation, a reader's reports from before are not recognised as the same reader's.
-- SQLite's PRAGMA secure_delete (overwrite the freed bytes in the file) has no PostgreSQL statement: a new PostgreSQL
-- database never held the secret (the service stopped writing it before PostgreSQL was supported), so the DELETE below
-- finds nothing; it is kept so both files read alike.
DELETE FROM meta WHERE key = 'instance_secret';
