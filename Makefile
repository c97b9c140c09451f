# sws - Single Window Service point of service.
#
#   make run     install what is missing, build, start the demo office
#   make test    install what is missing, build, run every test
#   make check   the tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make valgrind  the CUnit suites under valgrind
#   make lint    banned functions, values formatted into SQL, raw %s in HTML
#   make fuzz    libFuzzer targets for every parser of outside input
#   make bench   benchmarks (figures printed, never failing)
#
# Sources are found by wildcard: add a .c file to core/, cases/, ... and it is
# built; add tests/test_NAME.c defining `suite_NAME` and it is run.

CC ?= gcc
BUILD ?= build
OPT ?= -O2 -g
PKGS := sqlite3 libsodium jansson libutf8proc libqrencode cairo pangocairo \
        libmicrohttpd libcurl zlib libpq
EXTRA_CFLAGS ?=
EXTRA_LDFLAGS ?=

WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wno-format-nonliteral -Werror
CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(OPT) -I. -I$(BUILD)/gen \
          $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(EXTRA_CFLAGS)
LDLIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
TEST_LDLIBS := -lcunit

LIB_DIRS := core schema cases receipts sync pos pos/web
LIB_SRC := $(filter-out pos/main.c,$(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)))
GEN_SRC := $(BUILD)/gen/schema_sql.c $(BUILD)/gen/default_areas.c \
           $(BUILD)/gen/default_areas_mn.c $(BUILD)/gen/default_grievance.c
# Built-in reference data: data/NAME.json becomes const char
# cases_default_NAME_json[] (NAME with '-' as '_').
DATA_JSON := $(filter-out data/grievance.json,$(wildcard data/*.json))
GEN_SRC += $(patsubst data/%.json,$(BUILD)/gen/data_%.c,$(DATA_JSON))
LIB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC)) \
           $(patsubst $(BUILD)/gen/%.c,$(BUILD)/obj/gen/%.o,$(GEN_SRC))
TEST_SRC := $(wildcard tests/test_*.c) tests/main.c tests/support.c \
            tests/web_client.c
TEST_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(TEST_SRC))
# the suites each file defines (CU_SuiteInfo suite_NAME), in file order
SUITES := $(shell sed -n 's/^CU_SuiteInfo suite_\([a-z0-9_]*\) .*/\1/p' \
            $(wildcard tests/test_*.c))
OFFICE_SQL := $(sort $(wildcard schema/office/*.sql))
CENTRAL_SQL := $(sort $(wildcard schema/central/*.sql))
CENTRAL_PG_SQL := $(sort $(wildcard schema/central-pg/*.sql))

SWS := sws
ifneq ($(BUILD),build)
SWS := $(BUILD)/sws
endif

.PHONY: all deps test run check valgrind lint fuzz bench clean e2e unit docs pot \
        po-check \
        tools

all: $(SWS)

# Message catalogues of the web UI: po/LANG.po compiled into
# $(BUILD)/locale/LANG/LC_MESSAGES/sws.mo, where the binary finds them (see
# pos/web/i18n.c; installed as $(prefix)/share/locale/LANG/LC_MESSAGES).
PO := $(wildcard po/*.po)
MO := $(patsubst po/%.po,$(BUILD)/locale/%/LC_MESSAGES/sws.mo,$(PO))

$(BUILD)/locale/%/LC_MESSAGES/sws.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# Extract the UI's strings again (po/sws.pot) and merge them into each .po:
# the pages' texts (_, N_, web_ntr) and the error messages officers read
# (the format of sws_err_set and sws_err_translate, translated when the
# message is made: core/err.h, docs/decisions.md). POT_SRC lists the files
# whose messages reach the web UIs; a message in another file stays
# English. make po-check (tests/e2e/languages.sh) fails while a text of
# these files has no Khmer or Mongolian translation.
POT_SRC := pos/web/*.c cases/*.c core/text.c core/form.c core/clock.c \
           sync/central.c sync/office.c \
           sync/central_account.c sync/central_grievance.c \
           sync/central_scope.c
POT_FLAGS := --from-code=UTF-8 --language=C --keyword=_:2 --keyword=N_ \
	    --keyword=web_ntr:2,3 --keyword=sws_err_set:3 \
	    --flag=sws_err_set:3:c-format --keyword=sws_err_translate \
	    --flag=sws_err_translate:1:c-format --add-comments=TRANSLATORS \
	    --no-location --package-name=sws
pot:
	xgettext $(POT_FLAGS) -o po/sws.pot $(POT_SRC)
	for p in $(PO); do msgmerge --quiet --update --backup=none $$p po/sws.pot; done

# Fails unless each .po translates every text the sources have now (not
# fuzzy, not missing), whether or not po/sws.pot was extracted again.
po-check:
	@t=$$(mktemp) && xgettext $(POT_FLAGS) -o $$t $(POT_SRC) && \
	r=0 && for p in $(PO); do msgcmp $$p $$t || r=1; \
	msgfmt --check -o /dev/null $$p || r=1; done; rm -f $$t; exit $$r

deps:
	@scripts/deps.sh

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

$(BUILD)/gen/default_areas.c: data/areas-kh.csv $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed -r $@ cases_default_areas_csv $<

$(BUILD)/gen/default_areas_mn.c: data/areas-mn.csv $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed -r $@ cases_default_areas_mn_csv $<

$(BUILD)/gen/default_grievance.c: data/grievance.json $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed -r $@ cases_default_grievance_json $<

$(BUILD)/gen/data_%.c: data/%.json $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed -r $@ cases_default_$(subst -,_,$*)_json $<

$(BUILD)/gen/schema_sql.c: $(OFFICE_SQL) $(CENTRAL_SQL) $(CENTRAL_PG_SQL) \
                           $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@.office schema_office_steps $(OFFICE_SQL)
	$(BUILD)/tools/embed $@.central schema_central_steps $(CENTRAL_SQL)
	$(BUILD)/tools/embed $@.pg schema_central_pg_steps $(CENTRAL_PG_SQL)
	cat $@.office $@.central $@.pg > $@
	rm -f $@.office $@.central $@.pg

$(BUILD)/gen/suites.h: $(wildcard tests/test_*.c)
	@mkdir -p $(dir $@)
	@printf '%s\n' $(foreach s,$(SUITES),"SUITE($(s))") > $@.tmp
	@mv $@.tmp $@

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj/tests/main.o: $(BUILD)/gen/suites.h

$(BUILD)/libsws.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(SWS): $(BUILD)/obj/pos/main.o $(BUILD)/libsws.a | $(MO)
	$(CC) $(OPT) $(EXTRA_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/test_sws: $(TEST_OBJ) $(BUILD)/libsws.a | $(MO)
	$(CC) $(OPT) $(EXTRA_LDFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LDLIBS)

# Tools of the end-to-end tests: a fault-injecting TCP proxy and a holder
# of stalled connections (both standalone), and a one-request client
# signing as an office (on libsws).
TEST_TOOLS := $(BUILD)/faultproxy $(BUILD)/holdconns $(BUILD)/sendreq
tools: $(TEST_TOOLS)

$(BUILD)/faultproxy: tests/tools/faultproxy.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(EXTRA_LDFLAGS) -o $@ $<

$(BUILD)/holdconns: tests/tools/holdconns.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(EXTRA_LDFLAGS) -o $@ $<

$(BUILD)/sendreq: $(BUILD)/obj/tests/tools/sendreq.o $(BUILD)/libsws.a
	$(CC) $(OPT) $(EXTRA_LDFLAGS) -o $@ $^ $(LDLIBS)

# The whole test run: CUnit suites and end-to-end scripts, one final line
# "N passed, N failed".
test: deps
	@$(MAKE) --no-print-directory $(SWS) $(BUILD)/test_sws $(TEST_TOOLS)
	@SWS=$(abspath $(SWS)) TEST_BIN=$(abspath $(BUILD)/test_sws) \
	    SWS_TOOLS=$(abspath $(BUILD)) tests/run.sh

unit: $(BUILD)/test_sws
	$(BUILD)/test_sws

# make run COUNTRY=mn: a Mongolian demo office (docs/user-guide.md)
COUNTRY ?= kh
run: deps
	@$(MAKE) --no-print-directory $(SWS)
	@COUNTRY=$(COUNTRY) scripts/demo.sh

SAN := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
       -fno-omit-frame-pointer
check: deps
	@$(MAKE) --no-print-directory BUILD=build/san OPT="$(SAN)" \
	    EXTRA_LDFLAGS="$(SAN)" test

valgrind: deps
	@$(MAKE) --no-print-directory BUILD=build/vg OPT="-O0 -g" \
	    build/vg/test_sws
	SWS_PW_FAST=1 valgrind --error-exitcode=1 --leak-check=full \
	    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	    --suppressions=tests/valgrind.supp build/vg/test_sws

lint:
	@scripts/lint.sh

FUZZ_SECONDS ?= 30
fuzz: deps
	@scripts/fuzz.sh $(FUZZ_SECONDS)

bench: deps
	@$(MAKE) --no-print-directory $(SWS) $(BUILD)/bench_sws $(BUILD)/faultproxy
	@scripts/bench.sh

BENCH_SRC := $(wildcard bench/*.c)
$(BUILD)/bench_sws: $(patsubst %.c,$(BUILD)/obj/%.o,$(BENCH_SRC)) $(BUILD)/libsws.a
	$(CC) $(OPT) $(EXTRA_LDFLAGS) -o $@ $^ $(LDLIBS)

# The command reference is generated from the commands' own help texts.
docs: $(SWS)
	./$(SWS) help --markdown > docs/commands.md
	./$(SWS) help --states > docs/state-machines.md

clean:
	rm -rf build sws

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
