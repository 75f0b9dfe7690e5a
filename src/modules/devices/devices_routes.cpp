#include "modules/devices/devices_routes.hpp"

#include <nlohmann/json.hpp>

#include "modules/devices/devices_service.hpp"
#include "platform/http/paging.hpp"
#include "platform/http/problem.hpp"

namespace xiaoan::devices {
namespace {

using json = nlohmann::json;

std::optional<std::string> Query(const http::Request& r, const std::string& name) {
  auto it = r.query.find(name);
  if (it == r.query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

json FiguresJson(const NetworkFigures& f) {
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  return {{"org", {{"code", f.code}, {"name", f.name}, {"level", f.level}}},
          {"expected", f.expected},
          {"online", f.online},
          {"offline", f.offline},
          {"unknown", f.unknown},
          {"rate", opt(f.rate)},
          {"alarm", {{"expected", f.alarm_expected}, {"online", f.alarm_online}, {"rate", opt(f.alarm_rate)}}},
          {"video", {{"expected", f.video_expected}, {"online", f.video_online}, {"rate", opt(f.video_rate)}}}};
}

}  // namespace

void RegisterRoutes(http::Router& router, DeviceService& s) {
  router.Add("GET", "/api/v1/devices", http::Access::kAuthenticated, [&s](http::Context& ctx) {
    auto org = Query(ctx.request, "org");
    if (!org) return http::Problem(Error::Invalid("org", "Name the unit by its code."));
    auto page = http::ReadPage(ctx.request);
    if (!page) return http::Problem(page.error());
    auto list = s.List(ctx.Caller(), *org, Query(ctx.request, "status").value_or(""), page->page_size,
                       (page->page - 1) * page->page_size);
    if (!list) return http::Problem(list.error());
    json items = json::array();
    for (const auto& d : list->first) items.push_back(json::parse(DeviceJson(d)));
    return http::Json(200, http::PageEnvelope(items, list->second, *page));
  });
  router.Add("GET", "/api/v1/device-networking", http::Access::kAuthenticated, [&s](http::Context& ctx) {
    auto org = Query(ctx.request, "org");
    if (!org) return http::Problem(Error::Invalid("org", "Name the unit by its code."));
    auto n = s.Network(ctx.Caller(), *org);
    if (!n) return http::Problem(n.error());
    json children = json::array();
    for (const auto& c : n->children) children.push_back(FiguresJson(c));
    return http::Json(200, {{"unit", FiguresJson(n->unit)}, {"children", children}});
  });
}

}  // namespace xiaoan::devices
