#include "modules/devices/gb28181/catalog_assembler.hpp"

namespace xiaoan::devices::gb {

std::optional<CatalogAssembler::Finished> CatalogAssembler::Add(const std::string& device_id, CatalogPacket packet,
                                                                Time now) {
  const auto key = std::make_pair(device_id, packet.sn);
  Open& o = open_[key];
  o.sum = packet.sum_num;
  o.last = now;
  for (auto& item : packet.items) {
    auto it = o.index.find(item.device_id);
    if (it != o.index.end()) {
      o.items[it->second] = std::move(item);
    } else if (o.items.size() < max_items_) {
      o.index.emplace(item.device_id, o.items.size());
      o.items.push_back(std::move(item));
    }
  }
  if (static_cast<int64_t>(o.items.size()) < o.sum && o.items.size() < max_items_) return std::nullopt;
  Finished f{device_id, std::move(o.items), o.sum, true};
  open_.erase(key);
  return f;
}

std::vector<CatalogAssembler::Finished> CatalogAssembler::Expire(Time now) {
  std::vector<Finished> out;
  for (auto it = open_.begin(); it != open_.end();) {
    if (now - it->second.last >= timeout_) {
      out.push_back(Finished{it->first.first, std::move(it->second.items), it->second.sum, false});
      it = open_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

bool RecentKeys::SeenBefore(const std::string& key, Time now) {
  auto it = seen_.find(key);
  if (it != seen_.end() && now - it->second < window_) return true;
  seen_[key] = now;
  return false;
}

void RecentKeys::Expire(Time now) {
  std::erase_if(seen_, [&](const auto& e) { return now - e.second >= window_; });
}

}  // namespace xiaoan::devices::gb
