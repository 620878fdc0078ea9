# The human commands. `make run` and `make test` install what is missing
# first (Debian packages with apt-get, web packages with npm ci), so they work
# on a fresh machine.
SHELL := /bin/bash
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
JOBS ?= $(shell nproc)
LISTEN ?= 127.0.0.1:8080
DB ?= sqlite:data/kam.db

DEBIAN_PACKAGES := build-essential cmake ninja-build pkg-config curl ca-certificates \
  libboost-dev libsqlite3-dev libpq-dev libsodium-dev nlohmann-json3-dev libspdlog-dev libfmt-dev \
  libcli11-dev libxlsxwriter-dev libzip-dev libpugixml-dev libgtest-dev libgmock-dev libbenchmark-dev libjemalloc-dev \
  postgresql-15 chromium fonts-wqy-microhei wrk sqlite3 python3-openpyxl python3-icalendar python3-vobject clang-format nodejs npm

.PHONY: all deps deps-debian deps-web build build-server build-web run test test-unit test-asan test-api test-e2e bench fmt clean

all: build

deps: deps-debian deps-web

deps-debian:
	@scripts/install-deps $(DEBIAN_PACKAGES)

# npm ci only when the lock file changed since the last install.
deps-web: web/node_modules/.kam-installed tests/node_modules/.kam-installed
web/node_modules/.kam-installed: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@
tests/node_modules/.kam-installed: tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund
	touch $@

build: build-server build-web

build-server:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j $(JOBS)

build-web: deps-web
	cd web && npm run build

run: deps build
	$(BUILD_DIR)/kam serve --db $(DB) --listen $(LISTEN) --web-root web/dist

test: deps build
	scripts/test-all

bench: deps build
	bench/run.sh
	bench/import.sh
	$(BUILD_DIR)/bench/kam_bench_pipeline
	$(BUILD_DIR)/bench/kam_bench_approvals
	$(BUILD_DIR)/bench/kam_bench_activities

fmt:
	find src bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) web/dist
