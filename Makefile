# wvsim. The two commands a newcomer needs are `make run` and `make test` (see README.md).
#
#   make deps       install the Debian packages wvsim builds with (apt-get as root, else prints it)
#   make run        build, then explore every built-in scenario and print the verdict table
#   make test       build, then run every CTest suite (labels: unit, property, seeds, explore,
#                   example, install, fuzz-regression, clusterfuzzlite, hostile)
#   make props-long the property suites with PROPS_CASES (200000) cases each and a fresh seed
#   make bench      build, then measure the speed and memory targets (bench/figures.cc) and
#                   the time to bug of every strategy and the fuzzers (bench/time_to_bug.cc)
#   make format-check  every tracked C++ file matches .clang-format (clang-format-14)
#   make sanitize   ASan+UBSan build of every test with clang (and the kernel's self-check), then
#                   run them
#   make fuzz       a libFuzzer campaign: FUZZ_TARGET (sim_schedule_fuzzer), FUZZ_SECONDS (60),
#                   FUZZ_JOBS (2); crashes arrive as .schedule files in out/fuzz/schedules/
#   make fuzz-merge minimise the campaign's corpus into the checked-in one (fuzz/corpus/)
#
# Variables: BUILD_DIR (build), SANITIZE_DIR (build-sanitize), WERROR (OFF; CI sets ON),
# JOBS (2), CMAKE_ARGS (extra configure arguments).

BUILD_DIR ?= build
SANITIZE_DIR ?= build-sanitize
WERROR ?= OFF
JOBS ?= 2
CMAKE_ARGS ?=
PACKAGES := cmake ninja-build g++ clang-14 libclang-rt-14-dev libabsl-dev librapidcheck-dev \
            libgtest-dev libbenchmark-dev clang-format-14

CONFIGURE = cmake -S . -G Ninja -DWVSIM_WERROR=$(WERROR) $(CMAKE_ARGS)

FUZZ_DIR ?= build-fuzz
FUZZ_TARGET ?= sim_schedule_fuzzer
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 2

.PHONY: deps build run test format-check props-long bench sanitize fuzz-build fuzz fuzz-merge clean

deps:
	@tools/install-deps.sh $(PACKAGES)

build: deps
	@$(CONFIGURE) -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release > $(BUILD_DIR).configure.log 2>&1 \
	  || { cat $(BUILD_DIR).configure.log; exit 1; }
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(BUILD_DIR)/bin/wvsim explore --all --strategy portfolio --check-expected

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

# Every tracked C++ file formatted as .clang-format says (CI runs it; `clang-format-14 -i` fixes).
format-check: deps
	git ls-files '*.cc' '*.h' | xargs clang-format-14 --dry-run -Werror

# The property suites with many more cases and a fresh seed (printed), for nightly jobs.
PROPS_CASES ?= 200000
props-long: build
	RC_PARAMS="max_success=$(PROPS_CASES)" WVSIM_PROPS_OUT=out/props-failures \
	  $(BUILD_DIR)/bin/wvsim_props_test --gtest_filter='Promises.*:StateMachines.*'

# Then the time-to-bug table (bench/time_to_bug.cc), which runs the schedule fuzzers of a fuzz
# build: about half an hour on 2 cores once built. Both tables, the machine and the method text of
# bench/performance.md.in become docs/performance.md (bench/write_performance.sh). Fails when a
# target of either is not met or the file could not be written.
SCHEDULE_FUZZERS := sim_schedule_fuzzer wv2_schedule_fuzzer android_schedule_fuzzer
BENCH_OUT = $(BUILD_DIR)/bench-tables
bench: build
	$(MAKE) fuzz-build FUZZ_TARGET="$(SCHEDULE_FUZZERS)"
	@mkdir -p $(BENCH_OUT) && rm -f $(BENCH_OUT)/figures.md $(BENCH_OUT)/time_to_bug.md \
	  $(BENCH_OUT)/classic_suite.md
	load="$$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"; status=0; \
	  $(BUILD_DIR)/bin/wvsim_figures --markdown $(BENCH_OUT)/figures.md || status=1; \
	  $(BUILD_DIR)/bin/wvsim_time_to_bug --fuzzers $(FUZZ_DIR)/bin --jobs $(JOBS) \
	    --markdown $(BENCH_OUT)/time_to_bug.md || status=1; \
	  $(BUILD_DIR)/bin/wvsim_classic_suite --markdown $(BENCH_OUT)/classic_suite.md || status=1; \
	  sh bench/write_performance.sh docs/performance.md $(BENCH_OUT)/figures.md \
	    $(BENCH_OUT)/time_to_bug.md $(BUILD_DIR) $(FUZZ_DIR) "$$load" \
	    $(BENCH_OUT)/classic_suite.md || status=1; \
	  exit $$status

sanitize: deps
	@$(CONFIGURE) -B $(SANITIZE_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++-14 -DWVSIM_BUILD_BENCH=OFF -DWVSIM_SELF_CHECK=ON \
	  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  > $(SANITIZE_DIR).configure.log 2>&1 || { cat $(SANITIZE_DIR).configure.log; exit 1; }
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(SANITIZE_DIR) --output-on-failure -j $(JOBS)

fuzz-build: deps
	@$(CONFIGURE) -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
	  -DWVSIM_BUILD_BENCH=OFF -DWVSIM_LIBFUZZER=ON \
	  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=function" \
	  > $(FUZZ_DIR).configure.log 2>&1 || { cat $(FUZZ_DIR).configure.log; exit 1; }
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target $(FUZZ_TARGET)

# Fails when the campaign leaves a crash, leak, timeout or out-of-memory input (or libFuzzer fails).
fuzz: fuzz-build
	tools/fuzz-campaign.sh $(FUZZ_DIR)/bin/$(FUZZ_TARGET) $(FUZZ_TARGET) $(FUZZ_SECONDS) $(FUZZ_JOBS)

fuzz-merge: fuzz-build
	$(FUZZ_DIR)/bin/$(FUZZ_TARGET) -merge=1 fuzz/corpus/$(FUZZ_TARGET) out/fuzz/corpus/$(FUZZ_TARGET)

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) $(FUZZ_DIR) $(BUILD_DIR).configure.log \
	  $(SANITIZE_DIR).configure.log $(FUZZ_DIR).configure.log
