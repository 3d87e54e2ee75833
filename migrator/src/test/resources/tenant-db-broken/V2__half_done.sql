-- Fails on purpose after a first statement that succeeds: proves a failed version leaves nothing.
CREATE TABLE half_done (id INTEGER PRIMARY KEY);
INSERT INTO half_done (id) VALUES (1);
SELECT no_such_column FROM organizations;
