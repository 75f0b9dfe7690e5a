// Demo ledgers: deterministic, plausible data for the demo schools so that dashboards show a
// realistic mix (most schools compliant, some with each kind of gap). Never touches real schools.
#include <fmt/format.h>

#include <array>

#include "modules/ledger/ledger_service.hpp"
#include "xiaoan_ledger_sql.hpp"

namespace xiaoan::ledger {
namespace {

class Rng {
 public:
  explicit Rng(const std::string& key) {
    for (char c : key) state_ = (state_ ^ static_cast<uint64_t>(c)) * 1099511628211ULL;
  }
  uint64_t Next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }
  bool Chance(int percent) { return static_cast<int>(Next() % 100) < percent; }
  int Int(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }

 private:
  uint64_t state_ = 1469598103934665603ULL;
};

constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"};
constexpr const char* kGiven[] = {"建国", "卫东", "志强", "国庆", "红军", "保平", "长春", "新民", "振华", "永胜"};
// The school the browser test and the README walk-through use: one guard short of the rule and
// otherwise compliant, so recording a third guard makes it "four 100%".
constexpr const char* kShowcaseSchool = "9410105001";

void AppendBigEndian32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

uint32_t Crc32(std::string_view bytes) {
  static const auto kTable = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFU;
  for (unsigned char b : bytes) c = kTable[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFU;
}

void AppendPngChunk(std::string& png, std::string_view type, std::string_view data) {
  AppendBigEndian32(png, static_cast<uint32_t>(data.size()));
  std::string typed(type);
  typed.append(data);
  png += typed;
  AppendBigEndian32(png, Crc32(typed));
}

// The evidence photo of the demo's closed-management checks: a placeholder that no one could take
// for a real photo (grey, hatched), 120 × 90, an RGB PNG whose one deflate block is stored.
std::string DemoEvidencePng() {
  constexpr uint32_t kWidth = 120, kHeight = 90;
  std::string raw;
  for (uint32_t y = 0; y < kHeight; ++y) {
    raw.push_back('\0');  // filter: none
    for (uint32_t x = 0; x < kWidth; ++x) {
      const char v = static_cast<char>((x + y) % 12 < 2 ? 150 : 220);
      raw.append(3, v);
    }
  }
  std::string zlib("\x78\x01\x01", 3);  // no compression; one final stored block
  zlib.push_back(static_cast<char>(raw.size() & 0xFF));
  zlib.push_back(static_cast<char>(raw.size() >> 8));
  zlib.push_back(static_cast<char>(~raw.size() & 0xFF));
  zlib.push_back(static_cast<char>((~raw.size() >> 8) & 0xFF));
  zlib += raw;
  uint32_t a = 1, b = 0;  // Adler-32
  for (unsigned char c : raw) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  AppendBigEndian32(zlib, (b << 16) | a);
  std::string ihdr;
  AppendBigEndian32(ihdr, kWidth);
  AppendBigEndian32(ihdr, kHeight);
  ihdr.append("\x08\x02\x00\x00\x00", 5);  // 8 bits, RGB, deflate, no filter, no interlace
  std::string png("\x89PNG\r\n\x1a\n", 8);
  AppendPngChunk(png, "IHDR", ihdr);
  AppendPngChunk(png, "IDAT", zlib);
  AppendPngChunk(png, "IEND", "");
  return png;
}

}  // namespace

Result<int64_t> LedgerService::SeedDemo() {
  auto rows =
      db::ReadResult<std::vector<db::Row>>(db_, [](db::Connection& c) { return c.Query(sql::kDemoSchools, {}); });
  if (!rows) return Fail(rows.error());
  const Day today = Today();
  // The calendar in use (--school-calendar), so that the demo's posts fall on the days it counts.
  const auto school_days = Calendar().SchoolDaysBefore(today + std::chrono::days(1), 12);
  const std::string now = Now();
  const audit::Actor actor = audit::SystemActor("demo-seed");
  // A check "in place" needs a photo (AddClosedCheck): the demo's carry the placeholder, stored as an
  // upload is, and each school holds it as its own file.
  std::optional<store::FileMeta> evidence;
  if (!rows->empty()) {
    const std::string png = DemoEvidencePng();
    auto id = photos_.Put(png);
    if (!id) return Fail(id.error());
    evidence = store::FileMeta{*id, "", "image/png", static_cast<int64_t>(png.size())};
  }
  int64_t seeded = 0;
  constexpr size_t kBatch = 300;
  for (size_t start = 0; start < rows->size(); start += kBatch) {
    const size_t end = std::min(start + kBatch, rows->size());
    auto ok = db_.Write([&](db::Connection& tx) -> Status {
      for (size_t i = start; i < end; ++i) {
        const auto& r = (*rows)[i];
        const std::string code = r.Text(0);
        const bool showcase = code == kShowcaseSchool;
        const bool rural = r.Text(1) == "rural";
        Rng rng(code);
        const int64_t required = RequiredGuards(*rules_, r.Int(3), r.Int(4), r.Int(2) != 0);

        // Guards: most schools have enough; some are one short, some have an uncertified one.
        int64_t qualified = showcase ? required - 1 : (rng.Chance(85) ? required : std::max<int64_t>(0, required - 1));
        for (int64_t g = 0; g < qualified; ++g) {
          Guard guard;
          guard.school_code = code;
          guard.name = fmt::format("{}{}", kSurnames[rng.Int(12)], kGiven[rng.Int(10)]);
          guard.certificate_no = fmt::format("豫保{:08}", rng.Int(100000000));
          guard.birth_year = 1966 + rng.Int(30);
          guard.employment = "full_time";
          guard.employed_since = fmt::format("20{:02}-0{}-01", 10 + rng.Int(15), 1 + rng.Int(9));
          if (auto id = store::InsertGuard(tx, guard, now); !id) return Fail(id.error());
        }
        if (!showcase && rng.Chance(10)) {
          Guard guard;
          guard.school_code = code;
          guard.name = fmt::format("{}{}", kSurnames[rng.Int(12)], kGiven[rng.Int(10)]);
          guard.employment = rng.Chance(50) ? "full_time" : "part_time";
          guard.birth_year = 1960 + rng.Int(20);
          if (auto id = store::InsertGuard(tx, guard, now); !id) return Fail(id.error());
        }

        // Gatehouse around the clock in three shifts; a few leave Sunday night open.
        const bool gap = !showcase && rng.Chance(5);
        std::vector<Shift> shifts;
        for (int wd = 1; wd <= 7; ++wd) {
          if (!(gap && wd == 7)) shifts.push_back({wd, 0, 480, "夜班"});
          shifts.push_back({wd, 480, 960, "白班"});
          shifts.push_back({wd, 960, 1440, "中班"});
        }
        if (auto s = store::ReplaceShifts(tx, code, shifts); !s) return s;

        // Closed management: checked this autumn; some anti-ram barriers still missing.
        store::FileMeta photo = *evidence;
        photo.school_code = code;
        if (auto s = store::InsertFile(tx, photo, "demo-seed", now); !s) return s;
        for (size_t m = 0; m < 4; ++m) {
          ClosedCheck k;
          k.measure = kMeasures[m];
          k.status = (!showcase && m == 2 && rng.Chance(8)) ? "not_in_place" : "in_place";
          k.checked_on = FormatDay(today - std::chrono::days(20 + rng.Int(40)));
          k.note = "演示数据";
          if (k.status == "in_place") {
            k.photos = {photo.id};
            k.note = "演示数据（照片为示意图）";
          }
          k.recorded_by = "demo-seed";
          if (auto id = store::InsertClosedCheck(tx, code, k, now); !id) return Fail(id.error());
        }

        // 护学岗 on recent school days; a few urban schools skip some.
        if (!rural) {
          const bool sloppy = !showcase && rng.Chance(7);
          for (Day d : school_days) {
            for (const char* session : {"arrival", "dismissal"}) {
              if (sloppy && rng.Chance(40)) continue;
              PostRecord p;
              p.day = FormatDay(d);
              p.session = session;
              p.police = rng.Chance(70) ? 1 : 0;
              p.staff = 1 + rng.Int(2);
              p.guards = 1;
              p.start = std::string(session) == "arrival" ? "07:20" : "17:10";
              p.end = std::string(session) == "arrival" ? "08:00" : "17:50";
              p.recorded_by = "demo-seed";
              p.recorded_at = now;
              if (auto s = store::PutPost(tx, code, p); !s) return s;
            }
          }
        }

        // Devices and tests.
        Device alarm;
        alarm.school_code = code;
        alarm.kind = "alarm";
        alarm.name = "门卫室一键报警";
        alarm.location = "门卫室";
        alarm.police_networked = showcase || rng.Chance(96);
        alarm.installed_on = "2021-09-01";
        // The showcase school's devices carry national ids, so a device emulator (sipp, see
        // docs/devices.md) can register them over GB/T 28181.
        if (showcase) alarm.national_id = std::string(kShowcaseDevices[0]);
        auto alarm_id = store::InsertDevice(tx, alarm, now);
        if (!alarm_id) return Fail(alarm_id.error());
        int camera_no = 0;
        for (const char* where : {"校门口", "操场"}) {
          Device cam;
          if (showcase) cam.national_id = std::string(kShowcaseDevices[++camera_no]);
          cam.school_code = code;
          cam.kind = "camera";
          cam.name = fmt::format("{}摄像机", where);
          cam.location = where;
          cam.police_networked = showcase || rng.Chance(94);
          cam.installed_on = "2021-09-01";
          if (auto id = store::InsertDevice(tx, cam, now); !id) return Fail(id.error());
        }
        const int days_ago = (showcase || rng.Chance(90)) ? 1 + rng.Int(25) : 35 + rng.Int(30);
        AlarmTest t;
        t.tested_at = FormatRfc3339(StartOfShanghaiDay(today - std::chrono::days(days_ago)) + std::chrono::hours(10));
        t.device_id = *alarm_id;
        t.result = "pass";
        t.ack_seconds = 20 + rng.Int(60);
        t.note = "演示数据";
        t.recorded_by = "demo-seed";
        if (auto id = store::InsertAlarmTest(tx, code, t, today - std::chrono::days(days_ago), now); !id)
          return Fail(id.error());

        // Patrols today and yesterday.
        for (int back = 0; back < 2; ++back) {
          for (int k = 0; k < 5; ++k) {
            Patrol p;
            const auto at = StartOfShanghaiDay(today - std::chrono::days(back)) + std::chrono::hours(7 + 3 * k);
            if (at > clock_.Now()) continue;
            p.patrolled_at = FormatRfc3339(at);
            p.area = k % 2 ? "教学楼" : "围墙周边";
            p.by_name = "值班保安";
            p.recorded_by = "demo-seed";
            if (auto id = store::InsertPatrol(tx, code, p, today - std::chrono::days(back), now); !id)
              return Fail(id.error());
          }
        }
        ++seeded;
      }
      return audit_.Append(tx, {actor, "ledger.demo.seed", "ledger/demo", audit::Outcome::kSuccess,
                                fmt::format("{} demo school ledgers", end - start)});
    });
    if (!ok) return Fail(ok.error());
  }
  return seeded;
}

}  // namespace xiaoan::ledger
