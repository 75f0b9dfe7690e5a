// BOOST_ASSERT handler of the fuzz build (compiled with -DBOOST_ENABLE_ASSERT_HANDLER): aborts on a
// failed assertion like the default one, except for assertions known to be wrong upstream, so
// that a fuzz target is not stopped again and again by a bug that is already fixed elsewhere.
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

struct KnownFalseAssertion {
  std::string_view expr;
  std::string_view file_suffix;
  const char* why;
};

// Beast 1.74 asserts n >= 5 when a final chunk's trailer arrives in pieces ("0\r\n", then "\r",
// then "\n"), though the code after it handles n == 3 and 4 and answers need_more. Removed by
// boostorg/beast#2861 (Boost 1.86). Only builds with assertions enabled are affected.
constexpr KnownFalseAssertion kKnown[] = {
    {"n >= 5", "boost/beast/http/impl/basic_parser.ipp", "boostorg/beast#2861"},
};

bool IsKnown(std::string_view expr, std::string_view file) {
  for (const auto& k : kKnown)
    if (expr == k.expr && file.ends_with(k.file_suffix)) return true;
  return false;
}

}  // namespace

namespace boost {

void assertion_failed(char const* expr, char const* function, char const* file, long line) {
  if (IsKnown(expr, file)) return;
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed.\n", file, line, function, expr);
  std::abort();
}

void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file, long line) {
  if (IsKnown(expr, file)) return;
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed: %s\n", file, line, function, expr, msg);
  std::abort();
}

}  // namespace boost
