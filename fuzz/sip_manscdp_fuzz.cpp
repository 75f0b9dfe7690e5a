// Fuzz target: what a GB/T 28181 device can send the platform. The input is used three ways:
// as one UDP datagram (sip::Parse, then every header value the server reads: Via, From, To,
// Contact, CSeq, the Request-URI, Authorization, the transaction key, and the response built from
// it, which must parse again, as must the message re-serialised); as a TCP stream fed to
// sip::StreamFramer in pieces (each framed message must parse); and as a MANSCDP body
// (charset decoding, the tolerant XML parse, Keepalive/Catalog/Alarm extraction, catalog assembly).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "modules/devices/gb28181/catalog_assembler.hpp"
#include "modules/devices/gb28181/manscdp.hpp"
#include "modules/devices/gb28181/registrar.hpp"
#include "platform/sip/digest.hpp"
#include "platform/sip/sip_message.hpp"
#include "platform/sip/stream_framer.hpp"
#include "platform/sip/transaction.hpp"

namespace {

using namespace xiaoan;
namespace gb = xiaoan::devices::gb;

void Require(bool ok) {
  if (!ok) std::abort();
}

void Body(std::string_view body) {
  auto m = gb::ParseManscdp(body);
  if (!m) return;
  (void)gb::IsRoot(*m, "Notify", "Keepalive");
  (void)gb::KeepaliveFrom(*m);
  (void)gb::AlarmFrom(*m, "34020000001320000001");
  if (auto packet = gb::CatalogFrom(*m)) {
    Require(packet->sum_num >= 0);
    gb::CatalogAssembler assembler(std::chrono::milliseconds(5000), 64);
    const auto t0 = std::chrono::steady_clock::time_point{};
    auto done = assembler.Add("34020000001320000001", *packet, t0);
    if (done) Require(done->items.size() <= 64);
    for (auto& f : assembler.Expire(t0 + std::chrono::seconds(6))) Require(!f.complete);
  }
}

void Message(const sip::Message& m) {
  for (const auto& via : m.FindAll("Via")) {
    if (auto v = sip::ParseVia(via)) {
      auto again = sip::ParseVia(sip::FormatVia(*v));
      Require(again.has_value());
      Require(again->Branch() == v->Branch());
    }
  }
  for (const char* h : {"From", "To", "Contact"})
    for (const auto& value : m.FindAll(h))
      if (auto na = sip::ParseNameAddr(value)) (void)sip::ParseUri(na->uri);
  if (const auto* cseq = m.Find("CSeq")) (void)sip::ParseCSeq(*cseq);
  if (m.is_request) (void)sip::ParseUri(m.uri);
  if (const auto* auth = m.Find("Authorization"))
    if (auto c = sip::ParseDigestCredentials(*auth)) (void)sip::VerifyDigest(*c, m.method, "12345678");
  (void)gb::UserOfFrom(m);
  (void)sip::ServerTransactions::Key(m);
  const bool complete = sip::HasMandatoryHeaders(m);
  if (m.is_request && complete) {
    const sip::Peer from{sip::TransportKind::kUdp, "192.0.2.1", 5060, 0};
    auto response = sip::Parse(sip::Serialize(sip::MakeResponse(m, 200, "OK", from, "tag")));
    Require(response.has_value());
    Require(!response->is_request && response->status == 200);
  }
  auto again = sip::Parse(sip::Serialize(m));
  Require(again.has_value());
  Require(again->body == m.body);
  Require(again->headers.size() <= m.headers.size() + 1);
  if (!m.body.empty()) Body(m.body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // One datagram.
  if (auto m = sip::Parse(input)) Message(*m);

  // A TCP stream, arriving in pieces whose size depends on the input.
  sip::StreamFramer framer(8192);
  const size_t piece = 1 + size % 97;
  for (size_t at = 0; at < size; at += piece) {
    framer.Append(input.substr(at, piece));
    bool broken = false;
    for (int n = 0; n < 64; ++n) {
      auto next = framer.Next();
      if (!next) {
        broken = true;  // the connection would be closed
        break;
      }
      if (!*next) break;
      Require((*next)->size() <= 8192);
      (void)sip::Parse(**next);
    }
    if (broken) break;
  }

  // A MANSCDP body on its own.
  Body(input);
  return 0;
}
