-- The secret that hashes readers' client addresses leaves the database file (docs/OPERATIONS.md, "Pseudonyms"): it is
-- now in pseudonym.key beside it (Api/Pseudonyms/PseudonymKey.cs), or in Moderation:Pseudonyms:Secret. A new secret is
-- made there; as after a rotation, a reader's reports from before are not recognised as the same reader's.
-- secure_delete: the freed bytes are overwritten, not left in a free page of the file.
PRAGMA secure_delete = ON;
DELETE FROM meta WHERE key = 'instance_secret';
PRAGMA secure_delete = OFF;
