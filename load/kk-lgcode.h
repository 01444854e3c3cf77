/*
 * kk-lgcode.h — 全国地方公共団体コード (lg_code) of the 47 prefectures and
 * 1,741 municipalities, compiled in from load/data/lg-codes.inc (see
 * load/data/SOURCE.md for where the list comes from).
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

/* All entries, prefectures and municipalities; *n_out receives the count. */
const KkLgCode *kk_lgcode_all(gsize *n_out);

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

/* The municipality a text names first, for documents whose records do not
 * say (or say something unknown): the earliest "<prefecture><name>"
 * (熊本県荒尾市) in `text`, else the earliest municipality name of three or
 * more characters that is unique across Japan; at one position the longest
 * name wins (北広島市 over 広島市).  NULL when none occurs. */
const KkLgCode *kk_lgcode_find_in_text(const char *text);

G_END_DECLS

#endif
