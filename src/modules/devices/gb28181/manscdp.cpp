#include "modules/devices/gb28181/manscdp.hpp"

#include <expat.h>
#include <iconv.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <memory>

namespace xiaoan::devices::gb {

namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != Lower(b[i])) return false;
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::string_view(" \t\r\n").find(s.front()) != std::string_view::npos) s.remove_prefix(1);
  while (!s.empty() && std::string_view(" \t\r\n").find(s.back()) != std::string_view::npos) s.remove_suffix(1);
  return s;
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int n = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0)
      n = 1, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0)
      n = 2, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0)
      n = 3, cp = c & 0x07;
    else
      return false;
    if (i + static_cast<size_t>(n) >= s.size()) return false;
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

// The encoding pseudo-attribute of the XML declaration, upper-cased; "" when absent.
std::string DeclaredEncoding(std::string_view s) {
  if (!s.starts_with("<?xml")) return {};
  const size_t end = s.find("?>");
  std::string_view decl = s.substr(0, end);
  const size_t at = decl.find("encoding");
  if (at == std::string_view::npos) return {};
  std::string_view rest = decl.substr(at + 8);
  rest = Trim(rest);
  if (rest.empty() || rest.front() != '=') return {};
  rest = Trim(rest.substr(1));
  if (rest.empty() || (rest.front() != '"' && rest.front() != '\'')) return {};
  const char quote = rest.front();
  rest.remove_prefix(1);
  std::string out(rest.substr(0, rest.find(quote)));
  for (char& c : out) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

// iconv from `from` to UTF-8; an undecodable byte becomes U+FFFD and decoding goes on after it.
std::optional<std::string> Transcode(std::string_view in, const char* from) {
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 2 + 16);
  std::string buf(4096, '\0');
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  while (src_left > 0) {
    char* dst = buf.data();
    size_t dst_left = buf.size();
    const size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
    out.append(buf.data(), buf.size() - dst_left);
    if (r == static_cast<size_t>(-1)) {
      if (errno == E2BIG) continue;
      out += "\xEF\xBF\xBD";  // EILSEQ or EINVAL: one bad byte
      ++src;
      --src_left;
      iconv(cd, nullptr, nullptr, nullptr, nullptr);
    }
  }
  iconv_close(cd);
  return out;
}

struct Builder {
  XML_Parser parser = nullptr;
  std::vector<XmlElement*> stack;
  XmlElement root;
  bool have_root = false;
  int elements = 0;
  std::string error;

  void Stop(std::string why) {
    if (error.empty()) error = std::move(why);
    XML_StopParser(parser, XML_FALSE);
  }
};

void OnStart(void* data, const XML_Char* name, const XML_Char** attrs) {
  auto* b = static_cast<Builder*>(data);
  if (++b->elements > kMaxXmlElements) return b->Stop("too many elements");
  if (static_cast<int>(b->stack.size()) >= kMaxXmlDepth) return b->Stop("nested too deep");
  XmlElement* e;
  if (b->stack.empty()) {
    e = &b->root;
    b->have_root = true;
  } else {
    b->stack.back()->children.emplace_back();
    e = &b->stack.back()->children.back();
  }
  e->name = name;
  for (int i = 0; attrs[i] != nullptr && attrs[i + 1] != nullptr; i += 2)
    e->attributes.emplace_back(attrs[i], attrs[i + 1]);
  b->stack.push_back(e);
}

void OnEnd(void* data, const XML_Char*) {
  auto* b = static_cast<Builder*>(data);
  if (b->stack.empty()) return;
  XmlElement* e = b->stack.back();
  e->text = std::string(Trim(e->text));
  b->stack.pop_back();
}

void OnText(void* data, const XML_Char* s, int len) {
  auto* b = static_cast<Builder*>(data);
  if (b->stack.empty()) return;
  std::string& text = b->stack.back()->text;
  if (text.size() + static_cast<size_t>(len) > 65536) return b->Stop("text too long");
  text.append(s, static_cast<size_t>(len));
}

void OnDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<Builder*>(data)->Stop("DOCTYPE is not accepted");
}

std::optional<int> ToInt(std::string_view s) {
  s = Trim(s);
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<double> ToDouble(std::string_view s) {
  s = Trim(s);
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

DecodedBody DecodeBody(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  const std::string declared = DeclaredEncoding(bytes);
  const bool gb = declared == "GB2312" || declared == "GBK" || declared == "GB18030" || declared == "CP936" ||
                  declared == "GB_2312-80" || declared == "X-GBK";
  if (!gb && IsValidUtf8(bytes)) return {std::string(bytes), "UTF-8"};
  if (auto out = Transcode(bytes, "GB18030")) return {std::move(*out), "GB18030"};
  return {std::string(bytes), "UTF-8"};
}

std::string EscapeBareAmpersands(std::string_view xml) {
  std::string out;
  out.reserve(xml.size() + 16);
  for (size_t i = 0; i < xml.size(); ++i) {
    if (xml[i] != '&') {
      out.push_back(xml[i]);
      continue;
    }
    const std::string_view rest = xml.substr(i + 1, 12);
    bool reference = false;
    for (std::string_view entity : {"amp;", "lt;", "gt;", "quot;", "apos;"})
      if (rest.starts_with(entity)) reference = true;
    if (!reference && rest.starts_with("#")) {
      size_t k = 1;
      const bool hex = rest.size() > 1 && (rest[1] == 'x');
      if (hex) ++k;
      const size_t digits_start = k;
      while (k < rest.size() && (std::isdigit(static_cast<unsigned char>(rest[k])) ||
                                 (hex && std::isxdigit(static_cast<unsigned char>(rest[k])))))
        ++k;
      reference = k > digits_start && k < rest.size() && rest[k] == ';';
    }
    out += reference ? "&" : "&amp;";
  }
  return out;
}

const XmlElement* XmlElement::Child(std::string_view n) const {
  for (const auto& c : children)
    if (EqualsIgnoreCase(c.name, n)) return &c;
  return nullptr;
}

std::string XmlElement::ChildText(std::string_view n) const {
  const XmlElement* c = Child(n);
  return c ? c->text : std::string();
}

std::string XmlElement::Attribute(std::string_view n) const {
  for (const auto& [k, v] : attributes)
    if (EqualsIgnoreCase(k, n)) return v;
  return {};
}

namespace {

Result<XmlElement> ParseUtf8Xml(std::string_view utf8) {
  const std::string text = EscapeBareAmpersands(utf8);
  // The text is UTF-8 now whatever the declaration says; the argument overrides it.
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(XML_ParserCreate("UTF-8"),
                                                                                       &XML_ParserFree);
  if (!parser) return Fail(Error::Internal("XML_ParserCreate failed"));
  Builder b;
  b.parser = parser.get();
  XML_SetUserData(parser.get(), &b);
  XML_SetElementHandler(parser.get(), OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser.get(), OnText);
  XML_SetStartDoctypeDeclHandler(parser.get(), OnDoctype);
  const auto status = XML_Parse(parser.get(), text.data(), static_cast<int>(text.size()), XML_TRUE);
  if (status != XML_STATUS_OK || !b.have_root) {
    std::string why = !b.error.empty() ? b.error : XML_ErrorString(XML_GetErrorCode(parser.get()));
    return Fail(Error::Invalid("body", "malformed XML: " + why));
  }
  return std::move(b.root);
}

}  // namespace

Result<XmlElement> ParseXml(std::string_view bytes) { return ParseUtf8Xml(DecodeBody(bytes).utf8); }

Result<Manscdp> ParseManscdp(std::string_view body) {
  const DecodedBody decoded = DecodeBody(body);
  auto xml = ParseUtf8Xml(decoded.utf8);
  if (!xml) return Fail(xml.error());
  Manscdp m;
  m.root = xml->name;
  m.cmd_type = xml->ChildText("CmdType");
  m.sn = xml->ChildText("SN");
  m.device_id = xml->ChildText("DeviceID");
  m.charset = decoded.charset;
  m.xml = std::move(*xml);
  if (m.cmd_type.empty()) return Fail(Error::Invalid("CmdType", "missing"));
  return m;
}

bool IsRoot(const Manscdp& m, std::string_view root, std::string_view cmd_type) {
  return EqualsIgnoreCase(m.root, root) && EqualsIgnoreCase(m.cmd_type, cmd_type);
}

KeepaliveBody KeepaliveFrom(const Manscdp& m) {
  KeepaliveBody k;
  k.status = m.xml.ChildText("Status");
  if (const XmlElement* info = m.xml.Child("Info"))
    for (const auto& c : info->children)
      if (EqualsIgnoreCase(c.name, "DeviceID") && !c.text.empty()) k.faulty.push_back(c.text);
  return k;
}

Result<CatalogPacket> CatalogFrom(const Manscdp& m) {
  CatalogPacket p;
  p.sn = m.sn;
  auto sum = ToInt(m.xml.ChildText("SumNum"));
  if (!sum || *sum < 0) return Fail(Error::Invalid("SumNum", "missing or negative"));
  p.sum_num = *sum;
  if (const XmlElement* list = m.xml.Child("DeviceList")) {
    for (const auto& e : list->children) {
      if (!EqualsIgnoreCase(e.name, "Item")) continue;
      CatalogItem item;
      item.device_id = e.ChildText("DeviceID");
      if (item.device_id.empty()) continue;
      item.name = e.ChildText("Name");
      item.manufacturer = e.ChildText("Manufacturer");
      item.model = e.ChildText("Model");
      item.parent_id = e.ChildText("ParentID");
      item.status = e.ChildText("Status");
      item.civil_code = e.ChildText("CivilCode");
      item.address = e.ChildText("Address");
      item.ip_address = e.ChildText("IPAddress");
      item.parental = ToInt(e.ChildText("Parental"));
      item.longitude = ToDouble(e.ChildText("Longitude"));
      item.latitude = ToDouble(e.ChildText("Latitude"));
      p.items.push_back(std::move(item));
    }
  }
  return p;
}

Result<AlarmNotice> AlarmFrom(const Manscdp& m, std::string device_id) {
  if (m.device_id.empty()) return Fail(Error::Invalid("DeviceID", "missing"));
  AlarmNotice a;
  a.device_id = std::move(device_id);
  a.channel_id = m.device_id;
  a.sn = m.sn;
  a.priority = ToInt(m.xml.ChildText("AlarmPriority")).value_or(0);
  a.method = ToInt(m.xml.ChildText("AlarmMethod")).value_or(0);
  a.device_time = m.xml.ChildText("AlarmTime");
  a.description = m.xml.ChildText("AlarmDescription");
  a.longitude = ToDouble(m.xml.ChildText("Longitude"));
  a.latitude = ToDouble(m.xml.ChildText("Latitude"));
  // Info/AlarmType is the standard place; older devices put AlarmType at the top level.
  if (const XmlElement* info = m.xml.Child("Info")) a.type = ToInt(info->ChildText("AlarmType"));
  if (!a.type) a.type = ToInt(m.xml.ChildText("AlarmType"));
  return a;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string CatalogQueryBody(std::string_view sn, std::string_view device_id) {
  return "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Query>\r\n<CmdType>Catalog</CmdType>\r\n<SN>" +
         XmlEscape(sn) + "</SN>\r\n<DeviceID>" + XmlEscape(device_id) + "</DeviceID>\r\n</Query>\r\n";
}

std::string AlarmResponseBody(std::string_view sn, std::string_view device_id) {
  return "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Response>\r\n<CmdType>Alarm</CmdType>\r\n<SN>" +
         XmlEscape(sn) + "</SN>\r\n<DeviceID>" + XmlEscape(device_id) +
         "</DeviceID>\r\n<Result>OK</Result>\r\n</Response>\r\n";
}

}  // namespace xiaoan::devices::gb
