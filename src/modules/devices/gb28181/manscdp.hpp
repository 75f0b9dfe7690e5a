// MANSCDP (GB/T 28181 monitoring and alarm networking control description protocol) XML bodies:
// charset detection and decoding (GB2312/GBK/GB18030 via iconv, UTF-8), a tolerant parse (libexpat,
// bare '&' escaped first, element names matched case-insensitively), and the messages the
// platform reads (Keepalive, Catalog Response, Alarm Notify) and writes (Query Catalog, Response
// Alarm). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.hpp"
#include "modules/devices/gb28181/gb_server.hpp"

namespace xiaoan::devices::gb {

// A body turned into UTF-8, and the charset it was read as ("UTF-8" or "GB18030").
struct DecodedBody {
  std::string utf8;
  std::string charset;
};
// Follows the XML declaration's encoding (GB2312, GBK and GB18030 all decoded as GB18030, its
// superset: devices label GBK text GB2312); a body labelled UTF-8 that is not valid UTF-8, or an
// unlabelled one, is read as GB18030. Undecodable bytes become U+FFFD.
[[nodiscard]] DecodedBody DecodeBody(std::string_view bytes);

// Replaces every '&' that does not start one of XML's five entities or a character reference
// with "&amp;" (Hikvision sends bare '&' in names).
[[nodiscard]] std::string EscapeBareAmpersands(std::string_view xml);

struct XmlElement {
  std::string name;
  std::string text;  // character data directly inside, trimmed
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<XmlElement> children;

  // The first child named `name` (ASCII case-insensitive), or nullptr.
  [[nodiscard]] const XmlElement* Child(std::string_view name) const;
  // The text of that child, or "".
  [[nodiscard]] std::string ChildText(std::string_view name) const;
  [[nodiscard]] std::string Attribute(std::string_view name) const;
};

// Limits against hostile bodies.
inline constexpr int kMaxXmlDepth = 16;
inline constexpr int kMaxXmlElements = 20000;

// Decodes and parses an XML body. kInvalidArgument when it is not well-formed after the repairs
// above, declares a DOCTYPE, or exceeds the limits.
[[nodiscard]] Result<XmlElement> ParseXml(std::string_view bytes);

// A MANSCDP message: root Notify/Response/Query/Control and the fields every message has.
struct Manscdp {
  std::string root;  // as sent ("Notify", "Response", ...)
  std::string cmd_type, sn, device_id;
  std::string charset;  // how the body was decoded
  XmlElement xml;
};
// kInvalidArgument when the XML is malformed or has no CmdType.
[[nodiscard]] Result<Manscdp> ParseManscdp(std::string_view body);

[[nodiscard]] bool IsRoot(const Manscdp& m, std::string_view root, std::string_view cmd_type);

struct KeepaliveBody {
  std::string status;               // "OK" or "ERROR"
  std::vector<std::string> faulty;  // Info/DeviceID: faulty sub-devices
};
[[nodiscard]] KeepaliveBody KeepaliveFrom(const Manscdp& m);

// One packet of a (possibly multi-packet) catalog answer.
struct CatalogPacket {
  std::string sn;
  int sum_num = 0;  // the total over all packets
  std::vector<CatalogItem> items;
};
// kInvalidArgument when SumNum is missing or negative.
[[nodiscard]] Result<CatalogPacket> CatalogFrom(const Manscdp& m);

// The alarm in a Notify/Alarm; `device_id` is the registered sender. kInvalidArgument without a DeviceID.
[[nodiscard]] Result<AlarmNotice> AlarmFrom(const Manscdp& m, std::string device_id);

// <Query><CmdType>Catalog</CmdType>... declared GB2312 (ASCII content).
[[nodiscard]] std::string CatalogQueryBody(std::string_view sn, std::string_view device_id);
// <Response><CmdType>Alarm</CmdType>...<Result>OK</Result>: the answer to an alarm (2016 §9.4 step 3).
[[nodiscard]] std::string AlarmResponseBody(std::string_view sn, std::string_view device_id);

// Escapes text for element content.
[[nodiscard]] std::string XmlEscape(std::string_view text);

}  // namespace xiaoan::devices::gb
