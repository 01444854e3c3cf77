/*
 * kk-lgcode.h — 全国地方公共団体コード (lg_code) of the 47 prefectures and
 * 1,741 municipalities, and of the 175 wards of the 20 designated cities,
 * compiled in from common/data/lg-codes.inc and lg-wards.inc (see
 * common/data/SOURCE.md for where the lists come from).  Finding these
 * names in a document's text is common/kk-gazetteer.h.
 */
#ifndef KK_LGCODE_H
#define KK_LGCODE_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *lg_code;    /* 6 digits, last one the JIS X 0402 check digit */
  const char *kind;       /* "prefecture" | "municipality" | "special-ward" */
  const char *prefecture; /* 福岡県 */
  const char *name;       /* 小郡市 (for a prefecture: its own name) */
  const char *reading;    /* おごおりし */
} KkLgCode;

/* A ward (行政区) of a designated city: not a municipality of its own. */
typedef struct {
  const char *lg_code;    /* the ward's own code (011011) */
  const char *city_code;  /* its city's (011002) */
  const char *prefecture; /* 北海道 */
  const char *city;       /* 札幌市 */
  const char *name;       /* 中央区 */
  const char *reading;    /* ちゅうおうく */
} KkLgWard;

/* All entries, prefectures and municipalities; *n_out receives the count. */
const KkLgCode *kk_lgcode_all(gsize *n_out);

/* All wards of designated cities; *n_out receives the count. */
const KkLgWard *kk_lgcode_wards(gsize *n_out);

/* The entry (prefecture or municipality) whose lg_code is `code`, or NULL. */
const KkLgCode *kk_lgcode_by_code(const char *code);

/* TRUE when `code` is 6 ASCII digits whose last is the JIS X 0402 check
 * digit of the first five: (11 - (Σ d_i·w_i, w = 6,5,4,3,2) mod 11) mod 10. */
gboolean kk_lgcode_check_digit_ok(const char *code);

/* Finds the municipality named `municipality` (e.g. 小郡市; a leading
 * prefecture name as in 福岡県小郡市 is accepted) in `prefecture` (may be
 * NULL or empty: then the name must be unique across Japan).  A name that is
 * itself a prefecture (福岡県) finds the prefecture.  Returns NULL when not
 * found or ambiguous; `ambiguous` (may be NULL) tells which. */
const KkLgCode *kk_lgcode_lookup(const char *municipality, const char *prefecture,
                                 gboolean *ambiguous);

G_END_DECLS

#endif
