#include "modules/ledger/photo_store.hpp"

#include <openssl/evp.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace xiaoan::ledger {
namespace {

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

}  // namespace

std::optional<std::string> SniffImageType(std::string_view b) {
  if (b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8 &&
      static_cast<unsigned char>(b[2]) == 0xFF)
    return "image/jpeg";
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return "image/png";
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return "image/webp";
  return std::nullopt;
}

bool PhotoStore::ValidId(std::string_view id) {
  if (id.size() != 64) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string PhotoStore::PathOf(const std::string& id) const { return dir_ + "/" + id.substr(0, 2) + "/" + id; }

Result<std::string> PhotoStore::Put(std::string_view bytes) const {
  const std::string id = Sha256Hex(bytes);
  const std::string path = PathOf(id);
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return id;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return Fail(Error::Unavailable("Cannot create the photo directory: " + ec.message()));
  std::random_device rd;
  const std::string tmp = path + ".tmp" + std::to_string(rd());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::filesystem::remove(tmp, ec);
      return Fail(Error::Unavailable("Cannot write the photo."));
    }
  }
  if (FILE* f = std::fopen(tmp.c_str(), "rb")) {  // durable before it is referenced
    ::fsync(fileno(f));
    std::fclose(f);
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Fail(Error::Unavailable("Cannot store the photo."));
  }
  return id;
}

Result<std::string> PhotoStore::Get(const std::string& id) const {
  if (!ValidId(id)) return Fail(Error::Invalid("id", "Not a file id."));
  std::ifstream in(PathOf(id), std::ios::binary);
  if (!in) return Fail(Error::NotFound("The file"));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace xiaoan::ledger
