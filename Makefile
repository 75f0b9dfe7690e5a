# XiaoAn (校安): the two commands a newcomer needs are `make run` and `make test`.
BUILD     ?= build
JOBS      ?= $(shell nproc)
CMAKE_GEN := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")
PORT      ?= 8080

.PHONY: all bootstrap bootstrap-cpp configure server build web run test test-cpp test-web test-e2e bench fuzz sanitize clean

all: build web

bootstrap:
	@scripts/bootstrap

bootstrap-cpp:
	@scripts/bootstrap --cpp

configure: bootstrap
	@cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release -DXIAOAN_BENCH=OFF >/dev/null

# The server alone (what `make run` needs).
server: configure
	@cmake --build $(BUILD) -j $(JOBS) --target xiaoan

# Everything: the server and the test programs.
build: configure
	@cmake --build $(BUILD) -j $(JOBS)

web: bootstrap
	@cd web && npm run --silent build

# Starts the server on SQLite with the Henan divisions and the demo schools and accounts.
run: server web
	@mkdir -p var
	@./$(BUILD)/xiaoan serve --db var/xiaoan.db --port $(PORT) --demo --web web/dist

test: build web test-cpp test-web test-e2e

test-cpp:
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) --timeout 300

test-web:
	@cd web && npm test --silent

test-e2e:
	@cd web && XIAOAN_BIN=$(CURDIR)/$(BUILD)/xiaoan npm run --silent e2e

bench: bootstrap-cpp
	@cmake -S . -B build-bench $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build-bench -j $(JOBS)
	@bench/run-all build-bench

# AddressSanitizer + UndefinedBehaviorSanitizer build running the C++ test suite.
sanitize: bootstrap-cpp
	@cmake -S . -B build-asan $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DXIAOAN_SANITIZE=ON -DXIAOAN_BENCH=OFF >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/.lsan-suppressions UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan --output-on-failure -j $(JOBS) --timeout 600

# libFuzzer targets: request parsing, JSON decoding, CSV import. FUZZ_SECONDS per target. Built
# with g++ and LLVM's libFuzzer runtime (clang 14 cannot compile std::expected; fuzz/README.md).
FUZZ_SECONDS ?= 60
fuzz: bootstrap-cpp
	@cmake -S . -B build-fuzz $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=g++ -DXIAOAN_FUZZ=ON >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target fuzz_targets
	@fuzz/run build-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) build-bench build-asan build-fuzz web/dist
