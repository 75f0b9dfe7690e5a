// A SQLite VFS that is the default one ("unix") except for WAL files, whose appends it gathers:
// SQLite writes every WAL frame as two writes (its 24-byte header, then the page), one system
// call each; this VFS holds the frames of a transaction in memory and writes them with one call
// when the transaction's commit frame is complete. A committed transaction is therefore in the
// file (the operating system's cache) before SQLite publishes it in the WAL index, exactly as
// without the VFS; frames that never reach a commit frame are written anyway, at the latest when
// the gathered bytes reach a limit or before anything else is done with the file.
//
// The database file, the shared-memory index and the locks are the default VFS's own, so
// connections opened through this VFS and connections opened without it share one database.
#pragma once

#include <cstdint>

namespace xiaoan::db {

// Registers the VFS (once; not as the default) and answers its name for sqlite3_open_v2.
// Thread-safe. nullptr when SQLite has no default VFS to wrap.
[[nodiscard]] const char* WalGatherVfs();

// Process-wide counts since start: the writes SQLite asked of WAL files through this VFS, the
// writes made to those files, and the WAL files opened through it (SQLite writes to no WAL file it
// has not opened: a count that has not moved says no connection has a new WAL). Thread-safe; an
// open is counted before SQLite can write to the file.
struct WalGatherStats {
  uint64_t asked = 0;
  uint64_t made = 0;
  uint64_t opened = 0;
};
[[nodiscard]] WalGatherStats GetWalGatherStats();

}  // namespace xiaoan::db
