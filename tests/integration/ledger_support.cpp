#include "ledger_support.hpp"

#include <openssl/evp.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>

namespace xiaoan::it {
namespace {

std::tm ShanghaiTm(std::chrono::seconds offset) {
  const std::time_t t = std::time(nullptr) + 8 * 3600 + offset.count();  // UTC+8 all year
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

std::string BigEndian32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

uint32_t Crc32(std::string_view data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string PngChunk(const std::string& type, const std::string& data) {
  return BigEndian32(static_cast<uint32_t>(data.size())) + type + data + BigEndian32(Crc32(type + data));
}

}  // namespace

std::string ShanghaiDate(int days) {
  const std::tm tm = ShanghaiTm(std::chrono::hours(24 * days));
  char out[16];
  std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
  return out;
}

std::string ShanghaiTime(std::chrono::seconds offset) {
  const std::tm tm = ShanghaiTm(offset);
  char out[40];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
  return out;
}

int ShanghaiYear() { return ShanghaiTm(std::chrono::seconds(0)).tm_year + 1900; }

unsigned IsoWeekday(const std::string& date) {
  const std::chrono::year_month_day ymd{std::chrono::year(std::stoi(date.substr(0, 4))),
                                        std::chrono::month(static_cast<unsigned>(std::stoi(date.substr(5, 2)))),
                                        std::chrono::day(static_cast<unsigned>(std::stoi(date.substr(8, 2))))};
  return std::chrono::weekday(std::chrono::sys_days(ymd)).iso_encoding();
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::string TinyPng(uint8_t red, uint8_t green, uint8_t blue) {
  const std::string ihdr = BigEndian32(1) + BigEndian32(1) + std::string("\x08\x02\x00\x00\x00", 5);
  const std::string scanline{'\0', static_cast<char>(red), static_cast<char>(green), static_cast<char>(blue)};
  uint32_t a = 1, b = 0;  // Adler-32
  for (unsigned char c : scanline) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  const std::string zlib = std::string("\x78\x01\x01\x04\x00\xFB\xFF", 7) + scanline + BigEndian32((b << 16) | a);
  return std::string("\x89PNG\r\n\x1a\n", 8) + PngChunk("IHDR", ihdr) + PngChunk("IDAT", zlib) + PngChunk("IEND", "");
}

std::string XlsxPart(const std::string& bytes, const std::string& part) {
  const char* base = std::getenv("TMPDIR");
  std::string path = std::string(base && *base ? base : "/tmp") + "/xiaoan-it-xlsx-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) return "";
  close(fd);
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  std::string out;
  const std::string quoted = "'" + path + "'";
  if (std::system(("unzip -tq " + quoted + " >/dev/null 2>&1").c_str()) == 0) {
    if (FILE* p = popen(("unzip -p " + quoted + " '" + part + "' 2>/dev/null").c_str(), "r")) {
      char buf[65536];
      for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
      pclose(p);
    }
  }
  std::remove(path.c_str());
  return out;
}

std::set<std::string> ErrorFields(const HttpResponse& r) {
  std::set<std::string> fields;
  const json j = r.Json();
  if (j.is_object() && j.contains("errors"))
    for (const auto& e : j["errors"]) fields.insert(e.value("field", ""));
  return fields;
}

json FiguresOf(json rollup) {
  rollup.erase("children");
  rollup.erase("org");
  return rollup;
}

int64_t Compliant(const json& figures, const std::string& item) {
  return item == "all_four" ? figures["all_four"]["compliant"].get<int64_t>()
                            : figures["items"][item]["compliant"].get<int64_t>();
}

void ExpectRates(const json& figures) {
  std::vector<json> list{figures["all_four"]};
  for (const char* item : kItemNames) list.push_back(figures["items"][item]);
  for (const auto& f : list) {
    const auto compliant = f["compliant"].get<int64_t>(), applicable = f["applicable"].get<int64_t>();
    EXPECT_LE(compliant, applicable) << f.dump();
    if (applicable == 0) {
      EXPECT_TRUE(f["rate"].is_null()) << f.dump();
    } else {
      EXPECT_DOUBLE_EQ(f["rate"].get<double>(), static_cast<double>(compliant) / static_cast<double>(applicable))
          << f.dump();
    }
  }
}

}  // namespace xiaoan::it
