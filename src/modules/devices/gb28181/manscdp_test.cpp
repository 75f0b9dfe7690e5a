#include "modules/devices/gb28181/manscdp.hpp"

#include <gtest/gtest.h>

namespace xiaoan::devices::gb {
namespace {

TEST(DecodeBody, ReadsGb2312DeclaredBodiesAsGb18030) {
  // "摄像机" in GB2312, then "堃" which only GBK/GB18030 have (devices label such text GB2312).
  const std::string body = "<?xml version=\"1.0\" encoding=\"GB2312\"?><a>\xC9\xE3\xCF\xF1\xBB\xFA\x88\xD2</a>";
  const DecodedBody d = DecodeBody(body);
  EXPECT_EQ(d.charset, "GB18030");
  EXPECT_NE(d.utf8.find("摄像机堃"), std::string::npos);
}

TEST(DecodeBody, KeepsUtf8AndFallsBackToGb18030ForMislabelledBodies) {
  EXPECT_EQ(DecodeBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>摄像机</a>").charset, "UTF-8");
  EXPECT_EQ(DecodeBody("<a>plain</a>").charset, "UTF-8");
  const DecodedBody lie = DecodeBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>\xC9\xE3</a>");
  EXPECT_EQ(lie.charset, "GB18030");
  EXPECT_NE(lie.utf8.find("摄"), std::string::npos);
  const DecodedBody broken = DecodeBody("<?xml version='1.0' encoding='gbk'?><a>\xC9</a>");
  EXPECT_NE(broken.utf8.find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD for the lone lead byte
}

TEST(EscapeBareAmpersands, EscapesOnlyAmpersandsThatStartNoReference) {
  EXPECT_EQ(EscapeBareAmpersands("A&B &amp; &lt; &#20013; &#x4E2D; &nbsp; &# &"),
            "A&amp;B &amp; &lt; &#20013; &#x4E2D; &amp;nbsp; &amp;# &amp;");
}

TEST(ParseManscdp, ReadsAKeepaliveCapture) {
  auto m = ParseManscdp(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n<SN>1563</SN>\r\n"
      "<DeviceID>34020000001320000264</DeviceID>\r\n<Status>OK</Status>\r\n<Info>\r\n</Info>\r\n</Notify>\r\n");
  ASSERT_TRUE(m) << m.error().fields[0].message;
  EXPECT_TRUE(IsRoot(*m, "Notify", "Keepalive"));
  EXPECT_EQ(m->sn, "1563");
  EXPECT_EQ(m->device_id, "34020000001320000264");
  EXPECT_EQ(KeepaliveFrom(*m).status, "OK");
  EXPECT_TRUE(KeepaliveFrom(*m).faulty.empty());
}

TEST(ParseManscdp, ReadsACatalogPacketWithGb2312NamesAndABareAmpersand) {
  const std::string body =
      "<?xml version=\"1.0\" encoding=\"GB2312\"?>\n<Response><CmdType>Catalog</CmdType><SN>248</SN>"
      "<DeviceID>34020000001180000001</DeviceID><SumNum>7</SumNum><DeviceList Num=\"2\">"
      "<Item><DeviceID>34020000001320000001</DeviceID><Name>\xC9\xE3\xCF\xF1\xBB\xFA</Name>"
      "<Manufacturer>Hikvision</Manufacturer><Model>DS-2CD&Co</Model><ParentID>34020000002000000001</ParentID>"
      "<Parental>0</Parental><Status>ON</Status><Longitude>113.65</Longitude><Latitude>34.76</Latitude></Item>"
      "<item><deviceid>34020000001320000002</deviceid><status>OFF</status><Longitude></Longitude></item>"
      "<Item><Name>no id, skipped</Name></Item>"
      "</DeviceList></Response>";
  auto m = ParseManscdp(body);
  ASSERT_TRUE(m) << m.error().fields[0].message;
  auto p = CatalogFrom(*m);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->sn, "248");
  EXPECT_EQ(p->sum_num, 7);
  ASSERT_EQ(p->items.size(), 2u);
  EXPECT_EQ(p->items[0].name, "摄像机");
  EXPECT_EQ(p->items[0].model, "DS-2CD&Co");
  EXPECT_EQ(p->items[0].status, "ON");
  EXPECT_EQ(p->items[0].parental, 0);
  EXPECT_DOUBLE_EQ(*p->items[0].longitude, 113.65);
  EXPECT_EQ(p->items[1].device_id, "34020000001320000002");
  EXPECT_EQ(p->items[1].status, "OFF");
  EXPECT_FALSE(p->items[1].longitude);
}

TEST(ParseManscdp, ReadsAnAlarmNotifyWithInfoAlarmType) {
  const std::string body =
      "<?xml version=\"1.0\" encoding=\"GB2312\" standalone=\"yes\"?><Notify><CmdType>Alarm</CmdType><SN>2</SN>"
      "<DeviceID>34020000001340000001</DeviceID><AlarmPriority>1</AlarmPriority><AlarmMethod>2</AlarmMethod>"
      "<AlarmTime>2026-06-05T10:30:00</AlarmTime><AlarmDescription>\xD0\xA3\xC3\xC5\xD2\xBB\xBC\xFC\xB1\xA8\xBE\xAF"
      "</AlarmDescription><Longitude>116.397</Longitude><Latitude>39.908</Latitude>"
      "<info><AlarmType>2</AlarmType><AlarmTypeParam><EventType>1</EventType></AlarmTypeParam></info></Notify>";
  auto m = ParseManscdp(body);
  ASSERT_TRUE(m);
  ASSERT_TRUE(IsRoot(*m, "notify", "ALARM"));
  auto a = AlarmFrom(*m, "34020000001170000001");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->device_id, "34020000001170000001");
  EXPECT_EQ(a->channel_id, "34020000001340000001");
  EXPECT_EQ(a->priority, 1);
  EXPECT_EQ(a->method, 2);
  EXPECT_EQ(a->type, 2);
  EXPECT_EQ(a->device_time, "2026-06-05T10:30:00");
  EXPECT_EQ(a->description, "校门一键报警");
  EXPECT_DOUBLE_EQ(*a->latitude, 39.908);
  EXPECT_EQ(a->sn, "2");
}

TEST(ParseManscdp, TopLevelAlarmTypeOfOlderDevices) {
  auto m = ParseManscdp(
      "<Notify><CmdType>Alarm</CmdType><SN>9</SN><DeviceID>1</DeviceID>"
      "<AlarmType>5</AlarmType></Notify>");
  ASSERT_TRUE(m);
  EXPECT_EQ(AlarmFrom(*m, "d")->type, 5);
  auto none = ParseManscdp("<Notify><CmdType>Alarm</CmdType><SN>9</SN><DeviceID>1</DeviceID></Notify>");
  EXPECT_FALSE(AlarmFrom(*none, "d")->type);
  auto no_channel = ParseManscdp("<Notify><CmdType>Alarm</CmdType><SN>9</SN></Notify>");
  EXPECT_FALSE(AlarmFrom(*no_channel, "d"));
}

TEST(ParseManscdp, RejectsWhatIsNotAMessage) {
  EXPECT_FALSE(ParseManscdp(""));
  EXPECT_FALSE(ParseManscdp("<Notify><SN>1</SN></Notify>"));           // no CmdType
  EXPECT_FALSE(ParseManscdp("<Notify><CmdType>Keepalive</CmdType>"));  // not closed
  EXPECT_FALSE(ParseManscdp("<!DOCTYPE x [<!ENTITY a \"b\">]><Notify><CmdType>&a;</CmdType></Notify>"));
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<a>";
  EXPECT_FALSE(ParseXml(deep));
  auto catalog = ParseManscdp("<Response><CmdType>Catalog</CmdType><SN>1</SN><SumNum>-1</SumNum></Response>");
  ASSERT_TRUE(catalog);
  EXPECT_FALSE(CatalogFrom(*catalog));
}

TEST(ManscdpBodies, QueryAndAlarmResponseParseBack) {
  auto q = ParseManscdp(CatalogQueryBody("4226", "34020000001320000001"));
  ASSERT_TRUE(q);
  EXPECT_TRUE(IsRoot(*q, "Query", "Catalog"));
  EXPECT_EQ(q->sn, "4226");
  auto r = ParseManscdp(AlarmResponseBody("2", "34020000001340000001"));
  ASSERT_TRUE(r);
  EXPECT_TRUE(IsRoot(*r, "Response", "Alarm"));
  EXPECT_EQ(r->xml.ChildText("Result"), "OK");
  EXPECT_EQ(XmlEscape("<a&'\">"), "&lt;a&amp;&apos;&quot;&gt;");
}

}  // namespace
}  // namespace xiaoan::devices::gb
