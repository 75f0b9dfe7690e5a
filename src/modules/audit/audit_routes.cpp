#include "modules/audit/audit_routes.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "base/clock.hpp"
#include "platform/http/paging.hpp"
#include "platform/http/problem.hpp"

namespace xiaoan::audit {
namespace {
using nlohmann::json;

// Only the audit administrator reads the audit log (separation of the three administrators).
std::optional<http::Response> RequireAuditor(const http::Context& ctx) {
  if (ctx.Caller().role != Role::kAuditAdmin)
    return http::Problem(Error::Denied("Only the audit administrator reads the audit log."));
  return std::nullopt;
}

// Which end of the search's range a time parameter gives: records from `from` on, before `to`.
enum class Bound { kFrom, kTo };

// The parameter `name` as a stored time compares ("" when absent). An RFC 3339 time is taken as
// given; a plain YYYY-MM-DD is the start of that Shanghai day for `from`, and for `to` the start of
// the next one, so that `to` takes the whole day in (from=to=2026-12-01 is one day).
Result<std::string> TimeParam(const http::Request& req, const std::string& name, Bound bound) {
  auto it = req.query.find(name);
  if (it == req.query.end() || it->second.empty()) return std::string();
  if (auto day = ParseDay(it->second); day && bound == Bound::kTo)
    return FormatRfc3339(StartOfShanghaiDay(*day + std::chrono::days(1)));
  auto t = ParseRfc3339(it->second);
  if (!t) return Fail(Error::Invalid(name, "Use RFC 3339 (2026-11-28T08:00:00+08:00) or YYYY-MM-DD."));
  return FormatRfc3339(*t);
}

}  // namespace

void RegisterRoutes(http::Router& router, const AuditLog& log, db::Database& db) {
  router.Add("GET", "/api/v1/audit", http::Access::kAuthenticated, [&log, &db](http::Context& ctx) {
    if (auto denied = RequireAuditor(ctx)) return *denied;
    auto page = http::ReadPage(ctx.request);
    if (!page) return http::Problem(page.error());
    SearchFilter f;
    auto from = TimeParam(ctx.request, "from", Bound::kFrom);
    if (!from) return http::Problem(from.error());
    auto to = TimeParam(ctx.request, "to", Bound::kTo);
    if (!to) return http::Problem(to.error());
    f.from = *from;
    f.to = *to;
    const auto& q = ctx.request.query;
    if (auto it = q.find("username"); it != q.end()) f.username = it->second.substr(0, 64);
    if (auto it = q.find("action"); it != q.end()) f.action_prefix = it->second.substr(0, 64);
    if (auto it = q.find("outcome"); it != q.end() && !it->second.empty()) {
      if (it->second != "success" && it->second != "failure" && it->second != "denied")
        return http::Problem(Error::Invalid("outcome", "Use success, failure or denied."));
      f.outcome = it->second;
    }
    f.page = page->page;
    f.page_size = page->page_size;
    auto result = log.Search(db, f);
    if (!result) return http::Problem(result.error());
    json items = json::array();
    for (const auto& r : result->items) {
      items.push_back({{"id", r.id},
                       {"at", r.at},
                       {"username", r.username},
                       {"role", r.role},
                       {"org_code", r.org_code},
                       {"action", r.action},
                       {"target", r.target},
                       {"outcome", r.outcome},
                       {"request_id", r.request_id},
                       {"summary", r.summary}});
    }
    return http::Json(200, http::PageEnvelope(std::move(items), result->total, *page));
  });
  router.Add("GET", "/api/v1/audit/verify", http::Access::kAuthenticated, [&log, &db](http::Context& ctx) {
    if (auto denied = RequireAuditor(ctx)) return *denied;
    auto report = log.Verify(db);
    if (!report) return http::Problem(report.error());
    return http::Json(200, {{"ok", report->ok},
                            {"checked", report->checked},
                            {"first_bad_id", report->first_bad_id ? json(*report->first_bad_id) : json(nullptr)},
                            {"reason", report->ok ? json(nullptr) : json(report->reason)}});
  });
}

}  // namespace xiaoan::audit
