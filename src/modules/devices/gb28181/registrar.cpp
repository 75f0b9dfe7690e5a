#include "modules/devices/gb28181/registrar.hpp"

#include <algorithm>
#include <charconv>

namespace xiaoan::devices::gb {

namespace {

std::optional<int> ToSeconds(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty() || v < 0) return std::nullopt;
  return static_cast<int>(std::min<int64_t>(v, 0x7fffffff));
}

Registrar::Outcome Answer(Registrar::Verdict v, int status, std::string reason, std::string device_id) {
  Registrar::Outcome o;
  o.verdict = v;
  o.status = status;
  o.reason = std::move(reason);
  o.device_id = std::move(device_id);
  return o;
}

}  // namespace

std::string UserOfFrom(const sip::Message& m) {
  const std::string* from = m.Find("From");
  if (from == nullptr) return {};
  auto na = sip::ParseNameAddr(*from);
  if (!na) return {};
  auto uri = sip::ParseUri(na->uri);
  return uri ? uri->user : std::string();
}

Registrar::Outcome Registrar::Register(const sip::Message& request, const sip::Peer& from,
                                       const PasswordLookup& password_for, TimePoint now, SteadyTime steady_now) {
  // The device is named by the user part of From (gb28181-brief §2.2), never by To.
  const std::string device_id = UserOfFrom(request);
  if (device_id.empty()) return Answer(Verdict::kBadRequest, 400, "Bad Request", {});

  // Expiry: Contact ;expires=, then Expires, then the default (RFC 3261 §10.2.1.1).
  std::optional<int> expires;
  bool wildcard = false;
  const auto contacts = request.FindAll("Contact");
  if (!contacts.empty()) {
    if (contacts.front() == "*") {
      wildcard = true;
    } else if (auto na = sip::ParseNameAddr(contacts.front())) {
      if (const std::string* e = sip::FindParam(na->params, "expires")) {
        expires = ToSeconds(*e);
        if (!expires) return Answer(Verdict::kBadRequest, 400, "Bad Request", device_id);
      }
    }
  }
  if (!expires) {
    if (const std::string* e = request.Find("Expires")) {
      expires = ToSeconds(*e);
      if (!expires) return Answer(Verdict::kBadRequest, 400, "Bad Request", device_id);
    }
  }
  int granted = expires.value_or(options_.default_expires);
  if (wildcard && granted != 0) return Answer(Verdict::kBadRequest, 400, "Bad Request", device_id);

  const std::optional<std::string> password = password_for(device_id);
  if (!password) return Answer(Verdict::kUnknownDevice, 403, "Forbidden", device_id);

  if (!password->empty()) {
    auto challenge = [&](bool stale) {
      Outcome o = Answer(Verdict::kChallenge, 401, "Unauthorized", device_id);
      o.www_authenticate = "Digest realm=\"" + options_.realm + "\",qop=\"auth\",nonce=\"" +
                           nonces_.Issue(now, device_id) + "\",algorithm=MD5";
      if (stale) o.www_authenticate += ",stale=true";
      return o;
    };
    const std::string* authorization = request.Find("Authorization");
    if (authorization == nullptr) return challenge(false);
    auto credentials = sip::ParseDigestCredentials(*authorization);
    if (!credentials) return challenge(false);
    if (credentials->username != device_id) return Answer(Verdict::kWrongPassword, 403, "Forbidden", device_id);
    switch (nonces_.Verify(credentials->nonce, device_id, now, options_.nonce_lifetime_seconds)) {
      case sip::NonceIssuer::Check::kInvalid:
        return challenge(false);  // e.g. a nonce from before a restart
      case sip::NonceIssuer::Check::kStale:
        return challenge(true);
      case sip::NonceIssuer::Check::kValid:
        break;
    }
    if (!sip::VerifyDigest(*credentials, "REGISTER", *password))
      return Answer(Verdict::kWrongPassword, 403, "Forbidden", device_id);
  }

  if (granted == 0) {
    registrations_.erase(device_id);
    return Answer(Verdict::kUnregistered, 200, "OK", device_id);
  }
  granted = std::clamp(granted, options_.min_expires, std::max(options_.min_expires, options_.max_expires));
  Registration& r = registrations_[device_id];
  r.device_id = device_id;
  r.peer = from;
  const std::string* call_id = request.Find("Call-ID");
  r.call_id = call_id ? *call_id : std::string();
  r.expires = granted;
  r.expires_at = steady_now + std::chrono::seconds(granted);
  Outcome o = Answer(Verdict::kRegistered, 200, "OK", device_id);
  o.expires = granted;
  return o;
}

const Registration* Registrar::Find(const std::string& device_id, SteadyTime now) const {
  auto it = registrations_.find(device_id);
  if (it == registrations_.end() || now >= it->second.expires_at) return nullptr;
  return &it->second;
}

void Registrar::Touch(const std::string& device_id, const sip::Peer& from) {
  auto it = registrations_.find(device_id);
  if (it != registrations_.end()) it->second.peer = from;
}

std::vector<std::string> Registrar::DropConnection(uint64_t connection) {
  std::vector<std::string> out;
  for (auto it = registrations_.begin(); it != registrations_.end();) {
    if (it->second.peer.reliable() && it->second.peer.connection == connection) {
      out.push_back(it->first);
      it = registrations_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

void Registrar::Expire(SteadyTime now) {
  std::erase_if(registrations_, [&](const auto& e) { return now >= e.second.expires_at; });
}

}  // namespace xiaoan::devices::gb
