-- The channels a device should report in its GB/T 28181 catalog (an NVR's cameras, an alarm
-- box's inputs): the devices module compares it with what the catalog answers.
ALTER TABLE ledger_devices ADD COLUMN expected_channels INTEGER NOT NULL DEFAULT 1;
