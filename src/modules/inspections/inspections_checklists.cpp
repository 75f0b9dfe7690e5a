// InspectionsService: checklist templates, shipped and a bureau's own.
#include <fmt/format.h>

#include "base/scope.hpp"
#include "modules/inspections/inspection_rules.hpp"
#include "modules/inspections/inspections_service.hpp"
#include "modules/inspections/inspections_support.hpp"
#include "modules/org/org_store.hpp"
#include "xiaoan_inspections_sql.hpp"

namespace xiaoan::inspections {
namespace q = xiaoan::inspections::sql;
using support::IsBureauOfficer;
using support::JsonOf;
using support::StringsOf;

namespace {

Checklist ChecklistFromRow(const db::Row& r) {
  Checklist c;
  c.id = r.Int(0);
  c.key = r.Text(1);
  c.version = r.Int(2);
  c.name = r.Text(3);
  c.owner_code = r.OptText(4);
  c.categories = StringsOf(r.Text(6));
  c.item_count = r.Int(7);
  return c;
}

}  // namespace

Result<int64_t> InspectionsService::InstallShippedChecklists() {
  int64_t installed = 0;
  const std::string now = FormatRfc3339(clock_.Now());
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    installed = 0;
    for (const auto& shipped : ShippedChecklists()) {
      const auto& in = shipped.input;
      auto stored = tx.QueryOne(q::kShippedVersion, {in.key});
      if (!stored) return Fail(stored.error());
      if (*stored && (*stored)->Int(0) >= shipped.version) continue;
      auto id = tx.InsertReturningId(
          q::kInsertTemplate, {in.key, shipped.version, in.name, nullptr, nullptr, JsonOf(CategoriesOf(in.items)),
                               static_cast<int64_t>(in.items.size()), std::string("system"), now});
      if (!id) return Fail(id.error());
      for (size_t i = 0; i < in.items.size(); ++i) {
        const auto& it = in.items[i];
        if (auto r = tx.Execute(q::kInsertItem, {*id, static_cast<int64_t>(i), it.code, it.text, it.category, it.how,
                                                 int64_t{it.photo_required ? 1 : 0}});
            !r)
          return Fail(r.error());
      }
      if (auto s = audit_.Append(tx, {audit::SystemActor("checklists"), "checklist.install",
                                      fmt::format("checklists/{}", *id), audit::Outcome::kSuccess,
                                      fmt::format("{} v{} ({} items)", in.key, shipped.version, in.items.size())});
          !s)
        return s;
      ++installed;
    }
    return {};
  });
  if (!ok) return Fail(ok.error());
  return installed;
}

Result<Checklist> InspectionsService::LoadChecklist(db::Connection& c, int64_t id, bool with_items) const {
  auto row = c.QueryOne(q::kTemplate, {id});
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Error::NotFound("The checklist"));
  Checklist out = ChecklistFromRow(**row);
  if (with_items) {
    auto items = c.Query(q::kTemplateItems, {id});
    if (!items) return Fail(items.error());
    for (const auto& r : *items) out.items.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4) != 0});
  }
  return out;
}

Result<std::vector<Checklist>> InspectionsService::Checklists(const Principal& p) {
  return db::ReadResult<std::vector<Checklist>>(db_, [&](db::Connection& c) -> Result<std::vector<Checklist>> {
    auto rows = c.Query(q::kVisibleTemplates, {p.org_path});
    if (!rows) return Fail(rows.error());
    std::vector<Checklist> out;
    for (const auto& r : *rows) out.push_back(ChecklistFromRow(r));
    return out;
  });
}

Result<Checklist> InspectionsService::GetChecklist(const Principal& p, int64_t id) {
  return db::ReadResult<Checklist>(db_, [&](db::Connection& c) -> Result<Checklist> {
    auto row = c.QueryOne(q::kTemplate, {id});
    if (!row) return Fail(row.error());
    if (!*row) return Fail(Error::NotFound("The checklist"));
    const auto owner_path = (*row)->OptText(5);
    // Shipped, owned above or at the caller's unit, or owned inside its subtree.
    if (owner_path && !p.org_path.starts_with(*owner_path) && !Scope::Of(p).Contains(*owner_path))
      return Fail(Error::NotFound("The checklist"));
    return LoadChecklist(c, id, true);
  });
}

Result<Checklist> InspectionsService::CreateChecklist(const Principal& p, const audit::Actor& a,
                                                      const ChecklistInput& given) {
  if (!IsBureauOfficer(p.role))
    return Fail(Error::Denied("A bureau's admin or safety officer adds the bureau's checklists."));
  const ChecklistInput in = TrimmedChecklist(given);
  if (auto s = ValidateChecklist(in); !s) return Fail(s.error());
  const std::string now = FormatRfc3339(clock_.Now());
  int64_t id = 0;
  auto ok = db_.Write([&](db::Connection& tx) -> Status {
    auto unit = org::store::Get(tx, Scope::Of(p), p.org_code);
    if (!unit) return Fail(unit.error());
    if (unit->level == org::Level::kSchool) return Fail(Error::Denied("Schools use the checklists of their bureaus."));
    auto last = tx.QueryOne(q::kOwnedVersion, {p.org_code, in.key});
    if (!last) return Fail(last.error());
    const int64_t version = (*last ? (*last)->Int(0) : 0) + 1;
    auto inserted = tx.InsertReturningId(
        q::kInsertTemplate, {in.key, version, in.name, p.org_code, unit->path, JsonOf(CategoriesOf(in.items)),
                             static_cast<int64_t>(in.items.size()), p.username, now});
    if (!inserted) return Fail(inserted.error());
    id = *inserted;
    for (size_t i = 0; i < in.items.size(); ++i) {
      const auto& it = in.items[i];
      if (auto r = tx.Execute(q::kInsertItem, {id, static_cast<int64_t>(i), it.code, it.text, it.category, it.how,
                                               int64_t{it.photo_required ? 1 : 0}});
          !r)
        return Fail(r.error());
    }
    return audit_.Append(tx, {a, "checklist.create", fmt::format("checklists/{}", id), audit::Outcome::kSuccess,
                              fmt::format("{} v{} {} ({} items)", in.key, version, in.name, in.items.size())});
  });
  if (!ok) return Fail(ok.error());
  return db::ReadResult<Checklist>(db_, [&](db::Connection& c) { return LoadChecklist(c, id, true); });
}

}  // namespace xiaoan::inspections
