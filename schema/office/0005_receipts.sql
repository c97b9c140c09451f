-- 0005_receipts.sql: the receipts given to families (docs/receipts.md).
--
-- One row per receipt: a household registration, a grievance ticket or a
-- referral slip has at most one. A reprint keeps the serial and the issue
-- time (so its QR code comes out the same) and counts one more copy.
-- Issuing and reprinting are operations, so each leaves an audit row
-- (receipt.issue, receipt.reprint). The serial is this device's (counter
-- 'receipt'); with the device code it names the receipt everywhere, and it
-- is what the QR code carries.
--
-- Receipts are not synced: the records they are about are, and any office
-- checks a receipt's signature with the issuing office's public key (its
-- own in `office`, the others' in `office_key`, 0003). A receipt with an
-- opaque subject (an anonymous grievance) can only be opened where it was
-- issued, through this table.

CREATE TABLE receipt (
  serial INTEGER PRIMARY KEY CHECK (serial BETWEEN 1 AND 4294967295),
  kind TEXT NOT NULL CHECK (kind IN ('registration', 'grievance',
                                     'referral')),
  subject_id TEXT NOT NULL CHECK (length(subject_id) = 36),
  subject_number TEXT NOT NULL CHECK (length(subject_number) BETWEEN 1
                                      AND 48),
  issued_s INTEGER NOT NULL CHECK (issued_s BETWEEN 0 AND 4294967295),
  issued_at TEXT NOT NULL,
  issued_by TEXT NOT NULL,
  copies INTEGER NOT NULL DEFAULT 1 CHECK (copies >= 1),
  last_printed_at TEXT NOT NULL,
  last_printed_by TEXT NOT NULL,
  UNIQUE (kind, subject_id)
) STRICT;

CREATE TRIGGER receipt_guard_i BEFORE INSERT ON receipt
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER receipt_guard_u BEFORE UPDATE ON receipt
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER receipt_no_delete BEFORE DELETE ON receipt BEGIN
  SELECT RAISE(ABORT, 'receipts are never deleted');
END;
