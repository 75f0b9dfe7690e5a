// The registrar of the GB/T 28181 endpoint (2016/2022 §9.1): REGISTER with digest MD5 (qop=auth
// or the RFC 2069 form; digest over the Authorization header's own uri, as sipp and wvp do),
// stateless HMAC nonces valid long enough for refreshes and unregisters that reuse them, expiry
// from Contact ;expires=, then Expires, then the default, clamped; Expires: 0 unregisters after
// the same challenge. Keeps the current registration of each device (where to send requests).
// Single-threaded (the SIP I/O thread); no I/O.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "platform/sip/digest.hpp"
#include "platform/sip/peer.hpp"
#include "platform/sip/sip_message.hpp"

namespace xiaoan::devices::gb {

struct RegistrarOptions {
  std::string realm;
  int default_expires = 3600;
  int min_expires = 3600, max_expires = 86400;
  int nonce_lifetime_seconds = 87000;
};

struct Registration {
  std::string device_id;
  sip::Peer peer;  // where the device's messages come from (updated on every message: NAT rebinding)
  std::string call_id;
  int expires = 0;
  std::chrono::steady_clock::time_point expires_at;
};

class Registrar {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  using PasswordLookup = std::function<std::optional<std::string>(const std::string& device_id)>;

  Registrar(RegistrarOptions options, sip::NonceIssuer nonces)
      : options_(std::move(options)), nonces_(std::move(nonces)) {}

  enum class Verdict { kChallenge, kRegistered, kUnregistered, kUnknownDevice, kWrongPassword, kBadRequest };
  struct Outcome {
    Verdict verdict = Verdict::kBadRequest;
    int status = 400;
    std::string reason = "Bad Request";
    std::string device_id;
    int expires = 0;               // granted (kRegistered), 0 for kUnregistered
    std::string www_authenticate;  // kChallenge
  };

  // Decides the answer to a REGISTER from `from` and, when it succeeds, records or removes the
  // registration. `password_for` is asked once (the Sink's PasswordFor).
  [[nodiscard]] Outcome Register(const sip::Message& request, const sip::Peer& from, const PasswordLookup& password_for,
                                 TimePoint now, SteadyTime steady_now);

  // The device's registration when it has not expired, else nullptr.
  [[nodiscard]] const Registration* Find(const std::string& device_id, SteadyTime now) const;
  // Records where the device's latest message came from.
  void Touch(const std::string& device_id, const sip::Peer& from);
  // Forgets the registrations made over TCP connection `connection`; their device IDs.
  [[nodiscard]] std::vector<std::string> DropConnection(uint64_t connection);
  // Forgets expired registrations.
  void Expire(SteadyTime now);
  [[nodiscard]] size_t size() const { return registrations_.size(); }

 private:
  RegistrarOptions options_;
  sip::NonceIssuer nonces_;
  std::map<std::string, Registration> registrations_;
};

// The user part of a From header's URI (a GB/T 28181 device ID), or "".
[[nodiscard]] std::string UserOfFrom(const sip::Message& m);

}  // namespace xiaoan::devices::gb
