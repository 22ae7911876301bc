# wvsim. The two commands a newcomer needs are `make run` and `make test` (see README.md).
#
#   make deps       install the Debian packages wvsim builds with (apt-get as root, else prints it)
#   make run        build, then explore every built-in scenario and print the verdict table
#   make test       build, then run every CTest suite (labels: unit, seeds, explore)
#   make bench      build, then measure the speed and memory targets (bench/figures.cc)
#   make sanitize   ASan+UBSan build of every test with clang, then run them
#
# Variables: BUILD_DIR (build), SANITIZE_DIR (build-sanitize), WERROR (OFF; CI sets ON),
# JOBS (2), CMAKE_ARGS (extra configure arguments).

BUILD_DIR ?= build
SANITIZE_DIR ?= build-sanitize
WERROR ?= OFF
JOBS ?= 2
CMAKE_ARGS ?=
PACKAGES := cmake ninja-build g++ clang-14 libclang-rt-14-dev libabsl-dev librapidcheck-dev \
            libgtest-dev libbenchmark-dev

CONFIGURE = cmake -S . -G Ninja -DWVSIM_WERROR=$(WERROR) $(CMAKE_ARGS)

.PHONY: deps build run test bench sanitize clean

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

bench: build
	$(BUILD_DIR)/bin/wvsim_figures

sanitize: deps
	@$(CONFIGURE) -B $(SANITIZE_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++-14 -DWVSIM_BUILD_BENCH=OFF \
	  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  > $(SANITIZE_DIR).configure.log 2>&1 || { cat $(SANITIZE_DIR).configure.log; exit 1; }
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(SANITIZE_DIR) --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) $(BUILD_DIR).configure.log $(SANITIZE_DIR).configure.log
