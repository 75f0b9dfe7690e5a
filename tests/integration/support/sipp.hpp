// sipp as a test peer for the GB/T 28181 suites: where it is, and running one scenario to its end
// as a child process with its output in a file, bounded in time.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace xiaoan::it {

// The sipp binary on PATH (Debian package sip-tester, installed by scripts/bootstrap); nullopt
// when missing, so that a suite can skip.
[[nodiscard]] std::optional<std::string> FindSipp();

// Runs `args` (args[0] is the program's path) in `cwd` with stdin from /dev/null and stdout and
// stderr to `output`; waits for it to end, killing it after `limit`. Answers its exit code, or -1
// when it was killed or died by a signal.
[[nodiscard]] int RunToEnd(std::vector<std::string> args, const std::filesystem::path& cwd,
                           const std::filesystem::path& output, std::chrono::seconds limit);

// The whole content of `path`; empty when it cannot be read.
[[nodiscard]] std::string ReadWholeFile(const std::filesystem::path& path);

}  // namespace xiaoan::it
