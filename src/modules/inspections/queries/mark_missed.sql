-- Windows that closed before today ($1) without an inspection.
UPDATE inspection_dues SET status = 'missed' WHERE status = 'open' AND due_on < $1
