#include "platform/db/wal_gather_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

namespace xiaoan::db {

namespace {

// The WAL's layout (https://sqlite.org/fileformat2.html#walformat): a 32-byte header whose bytes
// 8-11 hold the page size, then frames of a 24-byte header and a page; a frame header's bytes
// 4-7 are non-zero only in a transaction's commit frame.
constexpr sqlite3_int64 kWalHeader = 32;
constexpr sqlite3_int64 kFrameHeader = 24;
// Bytes gathered before they are written whatever comes next (a transaction of many pages), and
// the most written in one call: the default VFS writes at most 128 KiB - 1 bytes per call.
constexpr size_t kGatherLimit = size_t{1} << 20;
constexpr size_t kWriteLimit = size_t{120} << 10;

sqlite3_vfs* base_vfs = nullptr;
sqlite3_vfs gather_vfs;
std::atomic<uint64_t> asked{0};
std::atomic<uint64_t> made{0};
std::atomic<uint64_t> opened{0};

uint32_t BigEndian32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// The page size a WAL header names; 0 when it is not a WAL header.
uint32_t PageSizeOf(const unsigned char* header) {
  const uint32_t magic = BigEndian32(header);
  if (magic != 0x377f0682 && magic != 0x377f0683) return 0;
  uint32_t size = BigEndian32(header + 8);
  if (size == 1) size = 65536;
  if (size < 512 || size > 65536 || (size & (size - 1)) != 0) return 0;
  return size;
}

// What a gathering WAL file keeps beside the default VFS's file.
struct Gather {
  std::vector<unsigned char> bytes;  // gathered, to be written at `offset`
  sqlite3_int64 offset = 0;
  uint32_t page_size = 0;         // 0: the frames' places are not known, writes go through
  sqlite3_int64 next_frame = 0;   // where the next frame header not yet examined begins
  sqlite3_int64 commit_end = -1;  // where a gathered commit frame ends, or -1

  [[nodiscard]] sqlite3_int64 End() const { return offset + static_cast<sqlite3_int64>(bytes.size()); }
};

struct WalFile {
  sqlite3_file base;   // methods: kWalMethods
  sqlite3_file* real;  // the default VFS's file, in the memory after this struct
  Gather* gather;      // constructed in place, in `storage`
  alignas(Gather) unsigned char storage[sizeof(Gather)];
};

constexpr size_t kRealOffset =
    (sizeof(WalFile) + alignof(std::max_align_t) - 1) / alignof(std::max_align_t) * alignof(std::max_align_t);

WalFile* Wal(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }

int WriteThrough(WalFile* w, const void* data, int n, sqlite3_int64 offset) {
  made.fetch_add(1, std::memory_order_relaxed);
  return w->real->pMethods->xWrite(w->real, data, n, offset);
}

// Writes what is gathered. On failure the bytes are dropped: the transaction that wrote them
// fails, and frames past the WAL index's end are never read.
int Flush(WalFile* w) {
  Gather& g = *w->gather;
  int rc = SQLITE_OK;
  for (size_t done = 0; done < g.bytes.size() && rc == SQLITE_OK; done += kWriteLimit) {
    const size_t n = std::min(kWriteLimit, g.bytes.size() - done);
    rc = WriteThrough(w, g.bytes.data() + done, static_cast<int>(n), g.offset + static_cast<sqlite3_int64>(done));
  }
  g.offset = g.End();
  g.bytes.clear();
  return rc;
}

// Examines the frame headers gathered so far; answers whether a commit frame is now complete.
bool CommitComplete(Gather& g) {
  const sqlite3_int64 frame = kFrameHeader + g.page_size;
  while (g.page_size != 0 && g.next_frame >= g.offset && g.next_frame + kFrameHeader <= g.End()) {
    const unsigned char* header = g.bytes.data() + (g.next_frame - g.offset);
    if (BigEndian32(header + 4) != 0) g.commit_end = g.next_frame + frame;
    g.next_frame += frame;
  }
  return g.commit_end >= 0 && g.commit_end <= g.End();
}

int WalWrite(sqlite3_file* f, const void* data, int n, sqlite3_int64 offset) {
  asked.fetch_add(1, std::memory_order_relaxed);
  WalFile* w = Wal(f);
  Gather& g = *w->gather;
  const auto* bytes = static_cast<const unsigned char*>(data);
  const bool continues =
      !g.bytes.empty() && offset == g.End() && g.bytes.size() + static_cast<size_t>(n) <= kGatherLimit;
  if (!continues) {
    if (!g.bytes.empty()) {
      // A frame header cut in two by the limit would go unexamined: stop gathering until the
      // frames' places are known again.
      if (g.next_frame < g.End()) g.page_size = 0;
      if (int rc = Flush(w); rc != SQLITE_OK) return rc;
    }
    g.commit_end = -1;
    bool frame_start = false;
    if (offset == 0 && n >= kWalHeader) {  // the WAL starts over
      g.page_size = PageSizeOf(bytes);
      g.next_frame = kWalHeader;
      frame_start = g.page_size != 0;
    } else {
      if (g.page_size == 0 && n == kFrameHeader && offset >= kWalHeader) {
        unsigned char header[kWalHeader];  // an existing WAL: learn its page size
        if (w->real->pMethods->xRead(w->real, header, sizeof header, 0) == SQLITE_OK) {
          const uint32_t size = PageSizeOf(header);
          if (size != 0 && (offset - kWalHeader) % (kFrameHeader + size) == 0) {
            g.page_size = size;
            g.next_frame = offset;
          }
        }
      }
      frame_start = g.page_size != 0 && offset == g.next_frame;
      if (g.page_size != 0 && offset > g.next_frame) g.page_size = 0;  // not where frames go: lost track
    }
    if (!frame_start) return WriteThrough(w, data, n, offset);
    g.offset = offset;
  }
  g.bytes.insert(g.bytes.end(), bytes, bytes + n);
  if (CommitComplete(g)) {
    g.commit_end = -1;
    return Flush(w);
  }
  return SQLITE_OK;
}

int WalClose(sqlite3_file* f) {
  WalFile* w = Wal(f);
  const int flushed = Flush(w);
  const int rc = w->real->pMethods->xClose(w->real);
  w->gather->~Gather();
  return flushed != SQLITE_OK ? flushed : rc;
}

// Every other operation first writes what is gathered, then is the default VFS's.
template <auto Method, class... A>
int Forward(sqlite3_file* f, A... args) {
  WalFile* w = Wal(f);
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return (w->real->pMethods->*Method)(w->real, args...);
}

int WalRead(sqlite3_file* f, void* data, int n, sqlite3_int64 offset) {
  return Forward<&sqlite3_io_methods::xRead>(f, data, n, offset);
}
int WalTruncate(sqlite3_file* f, sqlite3_int64 size) { return Forward<&sqlite3_io_methods::xTruncate>(f, size); }
int WalSync(sqlite3_file* f, int flags) { return Forward<&sqlite3_io_methods::xSync>(f, flags); }
int WalFileSize(sqlite3_file* f, sqlite3_int64* size) { return Forward<&sqlite3_io_methods::xFileSize>(f, size); }
int WalLock(sqlite3_file* f, int lock) { return Forward<&sqlite3_io_methods::xLock>(f, lock); }
int WalUnlock(sqlite3_file* f, int lock) { return Forward<&sqlite3_io_methods::xUnlock>(f, lock); }
int WalCheckReservedLock(sqlite3_file* f, int* out) { return Forward<&sqlite3_io_methods::xCheckReservedLock>(f, out); }
int WalFileControl(sqlite3_file* f, int op, void* arg) {
  return Forward<&sqlite3_io_methods::xFileControl>(f, op, arg);
}
int WalSectorSize(sqlite3_file* f) {
  WalFile* w = Wal(f);
  return w->real->pMethods->xSectorSize(w->real);
}
int WalDeviceCharacteristics(sqlite3_file* f) {
  WalFile* w = Wal(f);
  return w->real->pMethods->xDeviceCharacteristics(w->real);
}

// Version 1: SQLite maps no shared memory and fetches no pages through a WAL file.
constexpr sqlite3_io_methods kWalMethods = [] {
  sqlite3_io_methods m{};
  m.iVersion = 1;
  m.xClose = WalClose;
  m.xRead = WalRead;
  m.xWrite = WalWrite;
  m.xTruncate = WalTruncate;
  m.xSync = WalSync;
  m.xFileSize = WalFileSize;
  m.xLock = WalLock;
  m.xUnlock = WalUnlock;
  m.xCheckReservedLock = WalCheckReservedLock;
  m.xFileControl = WalFileControl;
  m.xSectorSize = WalSectorSize;
  m.xDeviceCharacteristics = WalDeviceCharacteristics;
  return m;
}();

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  // Anything but a WAL is the default VFS's file, opened in the memory SQLite gave us.
  if ((flags & SQLITE_OPEN_WAL) == 0) return base_vfs->xOpen(base_vfs, name, f, flags, out_flags);
  WalFile* w = Wal(f);
  w->base.pMethods = nullptr;
  w->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<unsigned char*>(f) + kRealOffset);
  std::memset(w->real, 0, static_cast<size_t>(base_vfs->szOsFile));
  const int rc = base_vfs->xOpen(base_vfs, name, w->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (w->real->pMethods != nullptr) w->real->pMethods->xClose(w->real);
    return rc;
  }
  w->gather = new (w->storage) Gather();
  w->base.pMethods = &kWalMethods;
  opened.fetch_add(1);
  return SQLITE_OK;
}

}  // namespace

const char* WalGatherVfs() {
  static std::once_flag registered;
  std::call_once(registered, [] {
    base_vfs = sqlite3_vfs_find(nullptr);
    if (base_vfs == nullptr) return;
    // The default VFS in every other respect: its other methods read nothing of the VFS but its
    // app data and path length, copied here.
    gather_vfs = *base_vfs;
    gather_vfs.zName = "xiaoan-wal-gather";
    gather_vfs.szOsFile = static_cast<int>(kRealOffset) + base_vfs->szOsFile;
    gather_vfs.xOpen = Open;
    gather_vfs.pNext = nullptr;
    if (sqlite3_vfs_register(&gather_vfs, 0) != SQLITE_OK) base_vfs = nullptr;
  });
  return base_vfs != nullptr ? gather_vfs.zName : nullptr;
}

WalGatherStats GetWalGatherStats() { return {asked.load(), made.load(), opened.load()}; }

}  // namespace xiaoan::db
