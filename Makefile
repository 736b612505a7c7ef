# SPDX-License-Identifier: MIT
# rpmvet: plain Makefile, pkg-config for every dependency, objects under build/.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
POLICYDIR ?= $(PREFIX)/share/rpmvet/policies
DESTDIR ?=
CC ?= cc
WERROR ?= 1
BUILD ?= build
BIN ?= rpmvet
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

PKGS_LIB := libcurl rpm gpgme jansson yaml-0.1 sqlite3 createrepo_c libsolvext libsolv libxml-2.0
PKGS_CLI := jansson libxml-2.0
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wvla -Wno-format-nonliteral
ifeq ($(WERROR),1)
WARN += -Werror
endif
OPT ?= -O2 -g
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(OPT) -pthread -MMD -MP
LIB_CFLAGS = $(BASE_CFLAGS) -Ilib/include -Ilib -I$(BUILD)/gen $(shell pkg-config --cflags $(PKGS_LIB))
CLI_CFLAGS = $(BASE_CFLAGS) -Ilib/include $(shell pkg-config --cflags $(PKGS_CLI))
# createrepo_c's .pc file has an empty -L that would swallow the next flag
LIBS = $(subst -L -l,-l,$(shell pkg-config --libs $(PKGS_LIB))) -pthread
CLI_LIBS = $(shell pkg-config --libs $(PKGS_CLI))
TEST_LIBS = $(shell pkg-config --libs cmocka)

LIB_SRC := $(wildcard lib/*.c)
CLI_SRC := $(wildcard cli/*.c)
TEST_SRC := $(wildcard lib/tests/test-*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:%.c=$(BUILD)/%)

.PHONY: all check unit e2e fixtures san install clean deps demo bench bench-license headertest
all: $(BIN)

$(BUILD)/librpmvet.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

# the built-in default policy is policies/default.yaml, as C bytes
$(BUILD)/gen/default-policy.inc: policies/default.yaml
	@mkdir -p $(@D)
	od -An -v -tx1 $< | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g' > $@.tmp && mv $@.tmp $@
$(BUILD)/lib/policy.o: $(BUILD)/gen/default-policy.inc

$(BUILD)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/cli/%.o: cli/%.c
	@mkdir -p $(@D)
	$(CC) $(CLI_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BIN): $(CLI_OBJ) $(BUILD)/librpmvet.a
	$(CC) $(LDFLAGS) $(OPT) -o $@ $(CLI_OBJ) $(BUILD)/librpmvet.a $(LIBS) $(CLI_LIBS)

$(BUILD)/lib/tests/%: lib/tests/%.c $(BUILD)/librpmvet.a
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/librpmvet.a $(LIBS) $(TEST_LIBS)

# The test build: the same program with its test hooks compiled in (the crash
# points of an admission, RPMVET_CRASH_AT; a fixed event clock and actor,
# RPMVET_TEST_NOW and RPMVET_TEST_ACTOR); the release binary has none.
HOOK_SRC := lib/repo-admit.c lib/store.c cli/cmd-repo.c
HOOK_OBJ := $(HOOK_SRC:%.c=$(BUILD)/test/%.o)
TEST_RPMVET := $(BUILD)/test/rpmvet

$(BUILD)/test/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) $(CFLAGS) -DRV_TEST_HOOKS -c -o $@ $<

$(BUILD)/test/cli/%.o: cli/%.c
	@mkdir -p $(@D)
	$(CC) $(CLI_CFLAGS) $(CFLAGS) -DRV_TEST_HOOKS -c -o $@ $<

$(TEST_RPMVET): $(HOOK_OBJ) $(filter-out $(HOOK_SRC:%.c=$(BUILD)/%.o),$(CLI_OBJ) $(LIB_OBJ))
	$(CC) $(LDFLAGS) $(OPT) -o $@ $^ $(LIBS) $(CLI_LIBS)

# the public header compiles on its own, pedantic
headertest:
	@mkdir -p $(BUILD)
	printf '#include "rpmvet.h"\nint main(void){return 0;}\n' > $(BUILD)/headertest.c
	$(CC) -std=c99 -pedantic -Wall -Wextra -Werror -Ilib/include -o $(BUILD)/headertest $(BUILD)/headertest.c
	@# options defaults name their fields: a field added or removed cannot shift the others
	@if grep -nE '^#define RV_[A-Z_]+_OPTIONS_INIT[[:space:]]+\{[[:space:]]*[^.[:space:]}]' lib/include/rpmvet.h; then \
		echo 'lib/include/rpmvet.h: *_OPTIONS_INIT must use designated initialisers' >&2; exit 1; fi

FIXTURES := testdata/build/.complete
fixtures: $(FIXTURES)
$(FIXTURES): testdata/mkfixtures.sh $(wildcard testdata/specs/*)
	testdata/mkfixtures.sh testdata/build

unit: $(TEST_BIN) fixtures
	RPMVET_FIXTURES=$(CURDIR)/testdata/build prove -j$(JOBS) -e '' $(TEST_BIN)

# End-to-end tests spend much of their time waiting (gpg, rpmbuild, busy
# timeouts, locks): twice as many as the CPUs, the longest started first.
E2E_JOBS ?= $(shell echo $$(( $(JOBS) * 2 )))
E2E_FIRST := $(wildcard cli/tests/t0540-*.t cli/tests/t0400-*.t cli/tests/t0550-*.t \
	cli/tests/t0200-*.t cli/tests/t0510-*.t cli/tests/t0300-*.t)
E2E_TESTS := $(E2E_FIRST) $(filter-out $(E2E_FIRST),$(sort $(wildcard cli/tests/*.t)))
e2e: $(BIN) $(TEST_RPMVET) fixtures
	RPMVET=$(CURDIR)/$(BIN) RPMVET_TEST=$(CURDIR)/$(TEST_RPMVET) RPMVET_FIXTURES=$(CURDIR)/testdata/build prove -j$(E2E_JOBS) $(E2E_TESTS)

check: headertest unit e2e

san: export UBSAN_OPTIONS = print_stacktrace=1:halt_on_error=1
san:
	$(MAKE) BUILD=build-san BIN=build-san/rpmvet OPT='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer' \
		LDFLAGS='-fsanitize=address,undefined' check

demo: rpmvet fixtures
	sh testdata/demo.sh

bench: rpmvet
	bash bench/verify.sh

bench-license: rpmvet
	bash bench/license.sh

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(POLICYDIR)
	install -m 755 rpmvet $(DESTDIR)$(BINDIR)/rpmvet
	install -m 644 rpmvet.1 $(DESTDIR)$(MANDIR)/man1/rpmvet.1
	install -m 644 policies/default.yaml policies/fedora.yaml $(DESTDIR)$(POLICYDIR)/

clean:
	rm -rf build build-san rpmvet

# Build and test dependencies from Debian 12.  Fedora names: gcc make pkgconf-pkg-config
# rpm-devel rpm-build rpm-sign gpgme-devel gnupg2 libsolv-devel libcurl-devel
# sqlite-devel sqlite createrepo_c createrepo_c-devel libyaml-devel jansson-devel
# libxml2-devel libcmocka-devel jq libxml2 perl-Test-Harness procps-ng dnf python3 openssl
DEBIAN_DEPS := build-essential pkg-config librpm-dev rpm libgpgme-dev gnupg \
	libsolv-dev libsolvext-dev libcurl4-openssl-dev libsqlite3-dev sqlite3 \
	createrepo-c libcreaterepo-c-dev libyaml-dev libjansson-dev libxml2-dev \
	libcmocka-dev perl jq libxml2-utils bsdutils procps dnf python3 openssl
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# The export tests' JSON-schema validator (ajv-cli, ajv-formats, pinned in
# testdata/node/package-lock.json) goes under $(BUILD)/node.  Debian's npm
# only when no npm is found: it conflicts with a Node.js that ships its own.
# npm is told to trust the system's CA bundle, as apt and curl do (Debian's
# Node.js otherwise uses only its own); where the registry cannot be reached
# the tests that need ajv skip, saying so.
deps:
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEBIAN_DEPS) \
		$$(command -v npm >/dev/null || echo nodejs npm)
	mkdir -p $(BUILD)/node && cp testdata/node/package.json testdata/node/package-lock.json $(BUILD)/node/
	npm ci --prefix $(BUILD)/node --no-audit --no-fund --loglevel error \
		$$([ -f /etc/ssl/certs/ca-certificates.crt ] && echo --cafile /etc/ssl/certs/ca-certificates.crt) || \
		echo "make deps: warning: npm could not install ajv-cli (is the npm registry reachable?):" \
			"the export tests will skip their schema validation" >&2

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(HOOK_OBJ:.o=.d)
