# PDPS: the two commands (README.md) and a few helpers.
#   make run    install what is missing, build what it runs, start PostgreSQL under .local/, migrate,
#               start every service, load the demo data, stream logs until Ctrl-C
#   make test   install, build and run every test (what CI runs)
#   make bench  benchmark against ../shared/rawlimit (not part of test)

BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps configure build test run bench clean test-sanitize

all: build

deps:
	@bash deploy/install-deps.sh

# What `make run` starts: the services, pdpsctl (its health checks) and the demo loader;
# not the test binaries, which only `make test` needs.
RUN_TARGETS = registry referrals workforce pdpsctl pdps-demo

configure: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j$(JOBS)

test: build
	@cd $(BUILD) && ctest -j$(JOBS) --output-on-failure --timeout 900

# Ports: PDPS_PG_PORT and PDPS_<SERVICE>_{GRPC,METRICS}_PORT (docs/operations.md).
run: configure
	@cmake --build $(BUILD) -j$(JOBS) --target $(RUN_TARGETS)
	@bash deploy/local/run.sh $(BUILD)

bench: build
	@bash bench/run.sh $(BUILD)

# The same tests under AddressSanitizer and UndefinedBehaviorSanitizer.
test-sanitize: deps
	@cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DPDPS_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD)-asan -j$(JOBS)
	@cd $(BUILD)-asan && ctest -j$(JOBS) --output-on-failure --timeout 1800

clean:
	rm -rf $(BUILD) $(BUILD)-asan
