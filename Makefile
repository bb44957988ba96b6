# kasparro — build, install, test.
#
#   make            build ./kasparro
#   make run        install missing packages, build, start the private
#                   database, load the sample sources, open the console
#   make check      run every test; ends with "N passed, N failed"
#   make bench      speed and match-quality measurements (not tests)
#   make fuzz       libFuzzer targets (clang) for FUZZ_SECONDS each (not tests)
#   make sample     regenerate share/kasparro/sample (tools/gen-sample.py)
#   make deps       install the Debian packages kasparro needs
#   make install    PREFIX=/usr/local, DESTDIR honoured
#   make image      the container image; make up / down / logs: the compose
#                   stack (docker, else podman; LOCAL_BASE=auto|yes|no)
#   make check-container  build and run the stack for real (tests/container)
#
# SANITIZE=1 builds with ASan+UBSan into build-san/, SANITIZE=thread with
# ThreadSanitizer into build-tsan/ (make check then runs the tests that
# exercise threads, TSAN_TESTS, unless TESTS says otherwise); WERROR=1 adds
# -Werror.

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
DATADIR   ?= $(PREFIX)/share
MANDIR    ?= $(PREFIX)/share/man
PKG_CONFIG ?= pkg-config

PKGS      := ncursesw readline libpq libcjson libcurl libidn2 inih libutf8proc libxxhash libmicrohttpd libcrypto yajl
CFLAGS    ?= -g -O2
WARNINGS  := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter -Wno-format-truncation \
             -Wno-missing-field-initializers # tables leave trailing fields zero (cmd_opt)
ifeq ($(WERROR),1)
WARNINGS  += -Werror
endif

# the tests that exercise threads: the engine and its workers, scheduler,
# loader writer, comparison workers, console worker and host
# (.ci/run: TESTS='$(THREADED_TESTS)')
THREADED_TESTS := unit/ console/ sched/ workers/ db/ingest db/crash db/dedup.sh db/deletes.sh \
	e2e/exit http/resume

ifeq ($(SANITIZE),1)
BUILD     ?= build-san
CFLAGS    += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS   += -fsanitize=address,undefined
else ifeq ($(SANITIZE),thread)
BUILD     ?= build-tsan
CFLAGS    += -O1 -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS   += -fsanitize=thread
TESTS     ?= $(THREADED_TESTS)
else
BUILD     ?= build
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

ALL_CPPFLAGS = -Iinclude -I$(BUILD)/gen -D_GNU_SOURCE \
	-DKASPARRO_DATADIR='"$(DATADIR)/kasparro"' $(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS   = -std=c11 -pthread $(WARNINGS) $(CFLAGS)
ALL_LDLIBS   = $(PKG_LIBS) -lcsv -lm -pthread $(LDLIBS)

LIB_SRCS  := $(sort $(wildcard src/core/*.c src/db/*.c src/etl/*.c src/dedup/*.c \
	src/sched/*.c src/cmd/*.c src/host/*.c src/http/*.c src/tui/*.c src/daemon/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ  := $(BUILD)/src/main.o
LIB       := $(BUILD)/libkasparro.a
CMD_SRCS  := $(sort $(wildcard src/*/cmd-*.c))
CMD_TABLE := $(BUILD)/gen/cmd-table.h
SQL_SRCS  := $(sort $(wildcard share/kasparro/sql/*.sql))
SQL_GEN   := $(BUILD)/gen/migrations.h

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

ifneq ($(SANITIZE),)
PROG      := $(BUILD)/kasparro
else
PROG      := kasparro
endif

.PHONY: all run check unit bench fuzz fuzz-lib sample deps install uninstall clean format lint-man
all: $(PROG)

$(PROG): $(MAIN_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(LIB) $(ALL_LDLIBS)

$(LIB): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.c | $(CMD_TABLE) $(SQL_GEN)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The command table is the list of every `const struct cmd_entry cmd_X_entry`
# in src/*/cmd-X.c: adding a command is adding its file (the generator checks
# the naming convention and fails the build on a slip).
$(CMD_TABLE): $(CMD_SRCS) tools/gen-cmd-table.sh
	@mkdir -p $(dir $@)
	sh tools/gen-cmd-table.sh $(CMD_SRCS) > $@.tmp && mv $@.tmp $@

$(SQL_GEN): $(SQL_SRCS) tools/gen-sql.sh
	@mkdir -p $(dir $@)
	sh tools/gen-sql.sh $(SQL_SRCS) > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP $(LDFLAGS) -o $@ $< $(LIB) $(ALL_LDLIBS) -lcmocka

unit: $(UNIT_BINS)

check: $(PROG) $(UNIT_BINS)
	@KASPARRO_BIN=$(abspath $(PROG)) KASPARRO_BUILD=$(abspath $(BUILD)) \
		KASPARRO_TEST_SLOWDOWN=$(if $(SANITIZE),5,1) sh tests/run.sh $(TESTS)

bench: $(PROG)
	@KASPARRO_BIN=$(abspath $(PROG)) sh bench/run.sh

# The readers of untrusted input under libFuzzer (tests/fuzz/): the CSV
# reader, a JSON page and the mapper, cron expressions, the configuration.
# The library is built again with clang and the fuzzer's instrumentation
# (plus ASan and UBSan) into build-fuzz/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= csv json cron config
FUZZ_BUILD   := build-fuzz
FUZZ_CFLAGS  := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
fuzz: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
	@sh tools/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BUILD) $(FUZZ_TARGETS)

fuzz-lib:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang CFLAGS="$(FUZZ_CFLAGS)" \
		WARNINGS="-Wall -Wno-unused-parameter" $(FUZZ_BUILD)/libkasparro.a

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_file.c tests/fuzz/fuzz.h fuzz-lib
	clang $(ALL_CPPFLAGS) -Itests/fuzz $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
		tests/fuzz/fuzz_file.c $(FUZZ_BUILD)/libkasparro.a $(ALL_LDLIBS)

sample:
	python3 tools/gen-sample.py share/kasparro/sample

deps:
	@sh tools/deps.sh

run: 
	@sh tools/deps.sh --if-missing
	@$(MAKE) --no-print-directory all
	@KASPARRO_CONFIG=$${KASPARRO_CONFIG:-share/kasparro/kasparro.conf} sh tools/run.sh ./$(PROG)

install: $(PROG)
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1" "$(DESTDIR)$(MANDIR)/man5" \
		"$(DESTDIR)$(DATADIR)/kasparro/sql" "$(DESTDIR)$(DATADIR)/kasparro/sample"
	install -m 0755 $(PROG) "$(DESTDIR)$(BINDIR)/kasparro"
	install -m 0644 man/kasparro.1 "$(DESTDIR)$(MANDIR)/man1/kasparro.1"
	install -m 0644 man/kasparro.conf.5 "$(DESTDIR)$(MANDIR)/man5/kasparro.conf.5"
	install -m 0644 share/kasparro/sql/*.sql "$(DESTDIR)$(DATADIR)/kasparro/sql/"
	install -m 0644 share/kasparro/kasparro.conf "$(DESTDIR)$(DATADIR)/kasparro/kasparro.conf"
	sed 's|/usr/local/bin/kasparro|$(BINDIR)/kasparro|' share/kasparro/kasparro.service \
		>"$(DESTDIR)$(DATADIR)/kasparro/kasparro.service"
	cp -R share/kasparro/sample/. "$(DESTDIR)$(DATADIR)/kasparro/sample/"
	install -d "$(DESTDIR)$(DATADIR)/bash-completion/completions"
	install -m 0644 share/bash-completion/kasparro \
		"$(DESTDIR)$(DATADIR)/bash-completion/completions/kasparro"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/kasparro" "$(DESTDIR)$(MANDIR)/man1/kasparro.1" \
		"$(DESTDIR)$(MANDIR)/man5/kasparro.conf.5" \
		"$(DESTDIR)$(DATADIR)/bash-completion/completions/kasparro"
	rm -rf "$(DESTDIR)$(DATADIR)/kasparro"

# Containers: tools/container/stack.sh picks docker or podman and makes the
# base images where no registry serves them.
.PHONY: image up down logs check-container
image up down logs:
	@sh tools/container/stack.sh $@

check-container:
	@TEST_TIMEOUT=$${TEST_TIMEOUT:-1800} $(MAKE) --no-print-directory check TESTS=container/ \
		KASPARRO_CONTAINER_TESTS=1

lint-man:
	mandoc -Tlint -W warning man/kasparro.1 man/kasparro.conf.5

format:
	clang-format -i $$(find src include tests -name '*.[ch]')

clean:
	rm -rf build build-san build-tsan build-fuzz kasparro

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_BINS:=.d)
