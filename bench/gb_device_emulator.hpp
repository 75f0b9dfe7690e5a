// Emulated GB/T 28181 devices for gb_keepalive_bench: real SIP clients over UDP on loopback, as an
// IPC or alarm box talks to its platform. Each device registers (REGISTER, 401, REGISTER with an
// MD5 digest computed here with OpenSSL EVP, 200), answers the platform's requests (the catalog
// query after registration) with 200, and then sends a MANSCDP Keepalive MESSAGE at a fixed rate,
// the devices taking turns so that the load is spread evenly. Unanswered requests are retransmitted
// as RFC 3261 §17.1.2 asks (T1 = 500 ms doubling to T2 = 4 s, given up after Timer F = 32 s).
// The devices share `sockets` UDP sockets (each its own local port, like devices behind a NAT).
// One thread (the caller's) runs everything.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace xiaoan::bench {

struct EmulatorOptions {
  uint16_t server_port = 0;  // the platform's SIP UDP port on 127.0.0.1
  std::string server_id;     // the platform's 20-digit id; the realm is its first 10 digits
  std::string password;      // every device's digest password
  std::vector<std::string> device_ids;
  int sockets = 1000;
  int register_window = 200;  // registrations in flight at once
  // Keepalive steps run one after the other: `rate` keepalives per second over all devices for
  // `seconds`. A step with stop_below > 0 ends the run early when fewer than that share of its
  // keepalives were answered (the saturation search).
  struct Step {
    double rate = 0;
    double seconds = 0;
    double stop_below = 0;
  };
  std::vector<Step> steps;
  double drain_seconds = 3;  // after the last step: time for the last answers
};

struct Percentiles {
  int64_t n = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
};

struct RegistrationResult {
  int64_t devices = 0, registered = 0, failed = 0;
  int64_t retransmissions = 0, challenges = 0;
  double seconds = 0;
  Percentiles latency;  // first REGISTER sent until the 200
};

struct StepResult {
  double rate = 0, seconds = 0;    // as asked
  double measured_seconds = 0;     // as run
  int64_t sent = 0, answered = 0;  // keepalive transactions started in the step, and answered with 200
  int64_t retransmissions = 0, timeouts = 0, unanswered_at_end = 0;
  int64_t overlapped = 0;  // a device's next keepalive was due while its previous one was still unanswered
  int64_t other_status = 0;
  Percentiles rtt;  // first send until the 200
};

struct EmulatorResult {
  RegistrationResult registration;
  std::vector<StepResult> steps;
  int64_t requests_answered = 0;  // the platform's requests (catalog queries) answered with 200
  int64_t malformed = 0;          // datagrams that were not SIP
  double cpu_seconds = 0;         // this process's user + system time over the whole run
};

// Progress: "registered" once every device has registered (or given up), "step <i>" when step i
// starts, "end" after the last step (the drain begins), "done" at the end.
using ProgressFn = std::function<void(const std::string& what)>;

// Runs registration then the steps. Throws std::runtime_error when a socket cannot be opened.
[[nodiscard]] EmulatorResult RunDevices(const EmulatorOptions& options, const ProgressFn& progress);

}  // namespace xiaoan::bench
