// Shared helpers for unit tests live in test_support.hpp; this file keeps the target non-empty.
