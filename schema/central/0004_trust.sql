-- 0004_trust.sql: what an office may touch, and telling a replay from a
-- device that went back in time (docs/sync-protocol.md, "Ownership" and
-- "A device that went back in time").
--
-- Devices and offices: each row of `office` is one enrolled device with its
-- own key and sequence. A device enrolled with --device-of belongs to that
-- office (office_code); NULL means the device is an office of its own. An
-- office holds, and so may change, the records any of its devices created
-- and the records the registry sent to any of them (`holding`).
ALTER TABLE office ADD COLUMN office_code TEXT;
CREATE INDEX office_office_code ON office(coalesce(office_code, code));
-- A batch that reused a sequence number for a different change: the
-- device's database went back (restored, copied). Kept until the device is
-- replaced, and shown to the registry's administrator.
ALTER TABLE office ADD COLUMN diverged_seq INTEGER;
ALTER TABLE office ADD COLUMN diverged_at TEXT;

-- The SHA-256 of each mutation as received, so that a replay is answered
-- from its stored verdict only when it is the same mutation. NULL for
-- mutations stored before this migration.
ALTER TABLE mutation ADD COLUMN hash TEXT;

-- Records the registry sent to an office that did not create them (the
-- survivor of a merge and its members, changes to them): that office holds
-- them from then on.
CREATE TABLE holding (
  office TEXT NOT NULL,
  entity TEXT NOT NULL,
  id TEXT NOT NULL,
  since TEXT NOT NULL,
  PRIMARY KEY (office, entity, id)
) STRICT, WITHOUT ROWID;

-- What registries built before this migration already sent: every record
-- item of a feed.
INSERT OR IGNORE INTO holding(office, entity, id, since)
  SELECT f.office, f.payload ->> '$.entity', f.payload ->> '$.id', f.at
  FROM feed f JOIN record r ON r.entity = f.payload ->> '$.entity'
    AND r.id = f.payload ->> '$.id'
  WHERE f.kind = 'record' AND r.office != f.office;

-- Households by registration number: a number the registry already holds
-- for another household is flagged for review when it arrives (an office
-- whose database went back in time issues numbers again), and
-- 'sws central' commands find households by number without a scan.
CREATE INDEX record_household_regno ON record(fields ->> '$.regno')
  WHERE entity = 'household';
