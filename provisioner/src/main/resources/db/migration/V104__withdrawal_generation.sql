-- The generation (EventMeta.generation) of the customer's last withdrawal: an id can be provisioned
-- again after a purge, or an archived customer brought back, as a later generation. An event of a
-- generation no later than the recorded one belongs to a life that ended and changes nothing.
-- Withdrawals recorded before generations existed were of the first.
ALTER TABLE withdrawal ADD COLUMN generation INTEGER NOT NULL DEFAULT 1 CHECK (generation >= 1);

-- The generation of the life the allocation serves: the one whose request wrote it, raised when an
-- archived customer is brought back on it. A withdrawal of an earlier generation is then late.
ALTER TABLE allocation ADD COLUMN generation INTEGER NOT NULL DEFAULT 1 CHECK (generation >= 1);
