#include "modules/devices/gb28181/catalog_assembler.hpp"

#include <gtest/gtest.h>

namespace xiaoan::devices::gb {
namespace {

using std::chrono::milliseconds;
using Time = CatalogAssembler::Time;

CatalogPacket Packet(std::string sn, int sum, std::vector<std::string> ids) {
  CatalogPacket p;
  p.sn = std::move(sn);
  p.sum_num = sum;
  for (auto& id : ids) {
    CatalogItem item;
    item.device_id = std::move(id);
    item.status = "ON";
    p.items.push_back(std::move(item));
  }
  return p;
}

TEST(CatalogAssembler, CollectsOneItemPerPacketUntilSumNum) {
  CatalogAssembler a(milliseconds(5000));
  const Time t0 = Time{} + std::chrono::hours(1);
  EXPECT_FALSE(a.Add("dev", Packet("7", 3, {"c1"}), t0));
  EXPECT_FALSE(a.Add("dev", Packet("7", 3, {"c2"}), t0));
  EXPECT_FALSE(a.Add("dev", Packet("7", 3, {"c2"}), t0));  // a repeated packet counts once
  EXPECT_FALSE(a.Add("other", Packet("7", 1, {}), t0));    // same SN, another device: its own catalog
  auto done = a.Add("dev", Packet("7", 3, {"c3"}), t0);
  ASSERT_TRUE(done);
  EXPECT_TRUE(done->complete);
  EXPECT_EQ(done->declared_sum, 3);
  ASSERT_EQ(done->items.size(), 3u);
  EXPECT_EQ(done->items[2].device_id, "c3");
  EXPECT_EQ(a.open(), 1u);
}

TEST(CatalogAssembler, SumNumZeroIsAnEmptyCatalog) {
  CatalogAssembler a(milliseconds(5000));
  auto done = a.Add("dev", Packet("1", 0, {}), Time{});
  ASSERT_TRUE(done);
  EXPECT_TRUE(done->complete);
  EXPECT_TRUE(done->items.empty());
}

TEST(CatalogAssembler, HandsOverWhatArrivedWhenPacketsStopComing) {
  CatalogAssembler a(milliseconds(5000));
  const Time t0 = Time{} + std::chrono::hours(1);
  EXPECT_FALSE(a.Add("dev", Packet("9", 4, {"c1", "c2"}), t0));
  EXPECT_FALSE(a.Add("dev", Packet("9", 4, {"c3"}), t0 + milliseconds(3000)));
  EXPECT_TRUE(a.Expire(t0 + milliseconds(7999)).empty());  // the timeout runs from the last packet
  auto expired = a.Expire(t0 + milliseconds(8000));
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_FALSE(expired[0].complete);
  EXPECT_EQ(expired[0].declared_sum, 4);
  EXPECT_EQ(expired[0].items.size(), 3u);
  EXPECT_EQ(a.open(), 0u);
}

TEST(RecentKeys, SuppressesDuplicatesWithinTheWindowOnly) {
  RecentKeys keys(std::chrono::seconds(600));
  const Time t0 = Time{} + std::chrono::hours(1);
  EXPECT_FALSE(keys.SeenBefore("dev|ch|2|t", t0));
  EXPECT_TRUE(keys.SeenBefore("dev|ch|2|t", t0 + std::chrono::seconds(599)));
  EXPECT_FALSE(keys.SeenBefore("dev|ch|3|t", t0));
  keys.Expire(t0 + std::chrono::seconds(600));
  EXPECT_FALSE(keys.SeenBefore("dev|ch|2|t", t0 + std::chrono::seconds(600)));
}

}  // namespace
}  // namespace xiaoan::devices::gb
