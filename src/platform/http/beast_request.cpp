#include "platform/http/beast_request.hpp"

#include "platform/http/server.hpp"

namespace xiaoan::http {

namespace bhttp = boost::beast::http;

Request ToRequest(bhttp::request<bhttp::string_body>&& in, const std::string& remote) {
  Request req;
  req.method = std::string(in.method_string());
  req.target = std::string(in.target());
  std::string_view target = req.target;
  const size_t q = target.find('?');
  if (auto path = PercentDecode(target.substr(0, q), false))
    req.path = *path;
  else {
    req.path = std::string(target.substr(0, q));
    req.malformed = "path";
  }
  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
      const size_t amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
      if (pair.empty()) continue;
      const size_t eq = pair.find('=');
      auto key = PercentDecode(pair.substr(0, eq), true);
      auto value =
          eq == std::string_view::npos ? std::optional<std::string>("") : PercentDecode(pair.substr(eq + 1), true);
      if (key && value)
        req.query[*key] = *value;
      else if (!req.malformed)
        req.malformed = std::string(key ? *key : "query");
    }
  }
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (auto& c : name)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');  // field names are ASCII tokens
    req.headers[name] = std::string(field.value());
  }
  req.body = std::move(in.body());
  req.remote_address = remote;
  return req;
}

}  // namespace xiaoan::http
