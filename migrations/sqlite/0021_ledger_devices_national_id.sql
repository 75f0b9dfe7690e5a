-- The devices that carry a GB/T 28181 national id, by that id: a device write looks up whether
-- another device, of any school, holds the id it is given (national_id_taken.sql), and the ledgers
-- of a province hold some 100,000 devices. Not UNIQUE: ledgers may already hold the same id twice
-- (written before the check), and this migration must not fail on them (decision 0035).
CREATE INDEX ledger_devices_national_id ON ledger_devices(national_id) WHERE national_id IS NOT NULL;
