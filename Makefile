# keikaku — one binary, staged commands.  See README.md.
#
#   make            build bin/keikaku (optimised)
#   make deps       install the Debian packages the build and tests need
#   make test       deps + sanitizer build + unit and end-to-end tests
#   make run        deps + build + ingest corpus/ into keikaku.db + comparison
#   make bench      speed and peak memory next to pdftotext -layout
#   make accuracy   precision/recall/F1 of parse against the corpus gold files
#   make corpus     regenerate corpus PDFs (needs LibreOffice, LuaLaTeX; not for tests)

SHELL := /bin/bash
CC ?= cc
CXX ?= c++
# poppler: Poppler's core, whose output-device interface extract/pdf-core.cc
# uses to read text and vector paths in one pass (libpoppler-private-dev)
# gmodule-2.0: the OCR engine is a module opened on the first page that
# needs it (extract/ocr.c); tesseract, lept, poppler-glib, cairo: that
# module, keikaku-ocr.so (extract/ocr-engine.c, and render-module.c, which
# renders with Poppler GLib for OCR and review's crops), so that the
# libraries they pull in (cairo, pixman, X11, fontconfig; curl, gnutls ...)
# are not loaded by every keikaku process
PKGS := glib-2.0 gio-2.0 gmodule-2.0 json-glib-1.0 poppler icu-uc icu-i18n libpcre2-8 sqlite3 nettle
OCR_PKGS := glib-2.0 json-glib-1.0 poppler-glib cairo tesseract lept

# Debian 12 packages for building and testing (python3: test helpers run by
# /usr/bin/python3, standard library only; poppler-utils: pdftotext for
# bench and tests; qpdf: joining PDFs for the scale bench; time: peak RSS;
# chromium: the headless-browser check of `keikaku review`, tests/e2e/review.sh;
# fonts-ipaexfont-gothic: the Japanese font test_extract_classify draws its
# pages in, and the browser shows the review page in).
DEB_PACKAGES := gcc g++ make pkg-config libglib2.0-dev libjson-glib-dev \
  libpoppler-glib-dev libpoppler-private-dev libicu-dev libpcre2-dev libsqlite3-dev \
  libcmocka-dev nettle-dev poppler-utils qpdf sqlite3 time bc clang libclang-rt-14-dev \
  python3 libtesseract-dev libleptonica-dev tesseract-ocr-jpn tesseract-ocr-jpn-vert tesseract-ocr-osd tesseract-ocr-eng \
  chromium parallel fonts-ipaexfont-gothic

STAGES := common extract normalize patterns load
# the OCR engine and the Poppler GLib renderer are not linked in: they are
# the module keikaku-ocr.so
OCR_SRC := extract/ocr-engine.c extract/render-module.c
LIB_SRC := $(filter-out common/main.c $(OCR_SRC),$(foreach d,$(STAGES),$(wildcard $(d)/*.c)))
LIB_CXX_SRC := $(foreach d,$(STAGES),$(wildcard $(d)/*.cc))
TEST_SRC := $(wildcard tests/unit/test_*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)

WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wno-unused-parameter
BASE_CFLAGS = -std=gnu11 $(WARN) -I. $(shell pkg-config --cflags $(PKGS) $(OCR_PKGS) 2>/dev/null) -MMD -MP
BASE_CXXFLAGS = -std=gnu++17 $(WARN) -I. $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -MMD -MP
# -rdynamic: the OCR module calls back into the binary (grids, pages, errors)
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -rdynamic
OCR_LIBS = $(shell pkg-config --libs $(OCR_PKGS) 2>/dev/null) -lm
# bin/keikaku names first the libraries most symbol lookups at start-up
# end in: ld.so looks each of some 12,700 symbols up in the binary's
# libraries in the order of its DT_NEEDED entries (Poppler and SQLite look
# up even their own), 19.6 -> 17.2 M instructions before main() for
# `keikaku --help` (callgrind).  Where two of them define a symbol, they
# keep their order (libm before libc: modf, frexp; ICU's i18n before uc:
# template copies), so every symbol binds where it did (LD_DEBUG=bindings,
# LD_BIND_NOW=1).  -Wl, because g++ moves a plain -lc or -lm to the end.
FIRST_LIBS := -Wl,-lpoppler,-lstdc++,-lm,-lc,-lsqlite3,-lglib-2.0,-licui18n,-licuuc
# a unit test draws its PDFs with cairo (test_extract_classify.c)
TEST_LIBS = $(LIBS) $(shell pkg-config --libs cairo 2>/dev/null)

REL_CFLAGS := -O2 -g
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
ASAN_CFLAGS := -O1 -g $(SAN_FLAGS)

# A new database is a copy of an image made at build time (load/kk-db.c):
# build/gen/mkimage makes one with kk_db_open itself, compiled without an
# image, and writes it as C; every build links that C in.
GEN_SRC := build/gen/kk-schema-image.c
REL_OBJ := $(LIB_SRC:%.c=build/release/%.o) $(LIB_CXX_SRC:%.cc=build/release/%.o) $(GEN_SRC:%.c=build/release/%.o)
ASAN_OBJ := $(LIB_SRC:%.c=build/asan/%.o) $(LIB_CXX_SRC:%.cc=build/asan/%.o) $(GEN_SRC:%.c=build/asan/%.o)
UNIT_BINS := $(TEST_SRC:tests/unit/%.c=build/asan/tests/%)
REPLAY_BINS := $(FUZZ_SRC:tests/fuzz/%.c=build/asan/fuzz/%)
FUZZ_BINS := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_OBJ := $(LIB_SRC:%.c=build/fuzz/%.o) $(LIB_CXX_SRC:%.cc=build/fuzz/%.o) $(GEN_SRC:%.c=build/fuzz/%.o)
FUZZ_SECONDS ?= 60
# longest fuzz input: the JSON harnesses need room for 100k levels of nesting
FUZZ_MAX_LEN ?= 262144
# which harnesses make fuzz runs (default all, one after the other)
FUZZ_TARGETS ?= $(FUZZ_BINS)

.PHONY: all deps test run bench accuracy corpus clean asan fuzz

all: bin/keikaku bin/keikaku-ocr.so

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null || exit 1; \
	fi

MKIMAGE_SRC := load/schema-image/mkimage.c load/kk-db.c common/kk-lgcode.c common/kk-error.c
build/gen/mkimage: $(MKIMAGE_SRC) load/kk-db.h load/kk-schema.sql.h common/kk-lgcode.h common/kk-error.h \
    common/data/lg-codes.inc common/data/lg-wards.inc
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) -std=gnu11 $(WARN) -I. -DKK_DB_NO_IMAGE $(shell pkg-config --cflags glib-2.0 sqlite3) -O1 -o $@ \
	  $(MKIMAGE_SRC) $(shell pkg-config --libs glib-2.0 sqlite3)

$(GEN_SRC): build/gen/mkimage
	@echo "  GEN     $@"
	@build/gen/mkimage $@

# The gazetteer's name index (common/kk-gazetteer.c) is built at build
# time: build/gen/mkgazetteer writes it as const C tables from the
# compiled-in lists, which kk-gazetteer.c includes.
GZ_INDEX := build/gen/kk-gazetteer-index.inc
MKGAZ_SRC := common/data/mkgazetteer.c common/kk-lgcode.c
build/gen/mkgazetteer: $(MKGAZ_SRC) common/kk-lgcode.h common/data/gz-hash.h \
    common/data/lg-codes.inc common/data/lg-wards.inc
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) -std=gnu11 $(WARN) -I. $(shell pkg-config --cflags glib-2.0) -O1 -o $@ \
	  $(MKGAZ_SRC) $(shell pkg-config --libs glib-2.0)

$(GZ_INDEX): build/gen/mkgazetteer
	@echo "  GEN     $@"
	@build/gen/mkgazetteer $@

build/release/common/kk-gazetteer.o build/asan/common/kk-gazetteer.o build/fuzz/common/kk-gazetteer.o: $(GZ_INDEX)

bin/keikaku: $(REL_OBJ) build/release/common/main.o
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	@$(CXX) $(REL_CFLAGS) -o $@ $^ $(FIRST_LIBS) $(LIBS)

bin/keikaku-ocr.so: $(OCR_SRC:%.c=build/release/%.pic.o)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	@$(CC) $(REL_CFLAGS) -shared -o $@ $^ $(OCR_LIBS)

build/release/%.pic.o: %.c
	@mkdir -p $(@D)
	@echo "  CC pic  $<"
	@$(CC) $(BASE_CFLAGS) $(REL_CFLAGS) -fPIC -c -o $@ $<

build/release/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(BASE_CFLAGS) $(REL_CFLAGS) -c -o $@ $<

build/release/%.o: %.cc
	@mkdir -p $(@D)
	@echo "  CXX     $<"
	@$(CXX) $(BASE_CXXFLAGS) $(REL_CFLAGS) -c -o $@ $<

build/asan/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC asan $<"
	@$(CC) $(BASE_CFLAGS) $(ASAN_CFLAGS) -c -o $@ $<

build/asan/%.o: %.cc
	@mkdir -p $(@D)
	@echo "  CXX asan $<"
	@$(CXX) $(BASE_CXXFLAGS) $(ASAN_CFLAGS) -c -o $@ $<

build/asan/keikaku-ocr.so: $(OCR_SRC:%.c=build/asan/%.pic.o)
	@echo "  LINK    $@"
	@$(CC) $(ASAN_CFLAGS) -shared -o $@ $^ $(OCR_LIBS)

build/asan/%.pic.o: %.c
	@mkdir -p $(@D)
	@echo "  CC asan pic $<"
	@$(CC) $(BASE_CFLAGS) $(ASAN_CFLAGS) -fPIC -c -o $@ $<

build/asan/keikaku: $(ASAN_OBJ) build/asan/common/main.o
	@echo "  LINK    $@"
	@$(CXX) $(ASAN_CFLAGS) -o $@ $^ $(LIBS)

build/asan/tests/%: tests/unit/%.c $(ASAN_OBJ)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	@$(CC) $(BASE_CFLAGS) $(ASAN_CFLAGS) -c -o $@.o $<
	@$(CXX) $(ASAN_CFLAGS) -o $@ $@.o $(ASAN_OBJ) $(TEST_LIBS) -lcmocka

# the fuzz harnesses, linked with a replay driver instead of libFuzzer, so
# make test re-runs every saved input under the sanitizers
build/asan/fuzz/%: tests/fuzz/%.c tests/fuzz/replay.c $(ASAN_OBJ)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	@$(CC) $(BASE_CFLAGS) $(ASAN_CFLAGS) -c -o $@.o $<
	@$(CC) $(BASE_CFLAGS) $(ASAN_CFLAGS) -c -o $@.replay.o tests/fuzz/replay.c
	@$(CXX) $(ASAN_CFLAGS) -o $@ $@.o $@.replay.o $(ASAN_OBJ) $(LIBS)

asan: build/asan/keikaku build/asan/keikaku-ocr.so $(UNIT_BINS) $(REPLAY_BINS)

# make fuzz [FUZZ_SECONDS=N] [FUZZ_TARGETS=build/fuzz/fuzz_load]: libFuzzer
# (clang) on every harness (or those named) for N seconds each; new inputs
# are merged (minimised) into tests/fuzz/corpus/<harness>/.
build/fuzz/%.o: %.c
	@mkdir -p $(@D)
	clang $(BASE_CFLAGS) -Wno-missing-field-initializers -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -c -o $@ $<

build/fuzz/%.o: %.cc
	@mkdir -p $(@D)
	clang++ $(BASE_CXXFLAGS) -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -c -o $@ $<

build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ)
	clang $(BASE_CFLAGS) -Wno-missing-field-initializers -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -c -o $@.o $<
	clang++ -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -o $@ $@.o $(FUZZ_OBJ) $(LIBS)

# the fuzz objects are kept between runs (not intermediates to delete)
.SECONDARY: $(FUZZ_OBJ)

fuzz: deps
	@command -v clang >/dev/null || { echo "make fuzz needs clang and libclang-rt-14-dev"; exit 2; }
	$(MAKE) $(FUZZ_TARGETS)
	@set -e; for f in $(FUZZ_TARGETS); do n=$$(basename $$f); \
	  mkdir -p build/fuzz/work/$$n tests/fuzz/corpus/$$n; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS) s"; \
	  ASAN_OPTIONS=detect_leaks=0 $$f -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=build/fuzz/ build/fuzz/work/$$n tests/fuzz/corpus/$$n 2>&1 | tail -n 3; \
	  ASAN_OPTIONS=detect_leaks=0 $$f -merge=1 tests/fuzz/corpus/$$n build/fuzz/work/$$n 2>&1 | tail -n 1; \
	done

test: deps
	$(MAKE) asan
	tests/run-tests.sh build/asan

run: deps
	$(MAKE) all
	tests/run-corpus.sh bin/keikaku keikaku.db

# optional comparisons for make bench (Debian's pdfminer.six and PyMuPDF)
BENCH_PACKAGES := python3-pdfminer python3-fitz

bench: deps
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(BENCH_PACKAGES)" || echo "make bench: $(BENCH_PACKAGES) not installed; comparing with pdftotext only"
	$(MAKE) all
	tests/bench/bench.sh bin/keikaku

accuracy: deps
	$(MAKE) all
	tests/accuracy.sh bin/keikaku

corpus:
	corpus/build.sh

clean:
	rm -rf build bin

-include $(shell find build -name '*.d' 2>/dev/null)
