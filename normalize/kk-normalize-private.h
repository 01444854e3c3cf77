/*
 * kk-normalize-private.h — what the files of normalize/ share among
 * themselves (not for other stages: use normalize.h).
 */
#ifndef KK_NORMALIZE_PRIVATE_H
#define KK_NORMALIZE_PRIVATE_H

#include "normalize.h"

G_BEGIN_DECLS

/* One Japanese era of the modern calendar, as ICU knows it. */
typedef struct {
  gunichar name[2];       /* the two-character name: 令, 和 */
  char name_utf8[16];     /* "令和" */
  gunichar letter;        /* 'R': initial of the romanized name */
  gint start_year;        /* Gregorian year of 元年 */
} KkEra;

/* The eras from the one in force when Japan adopted the Gregorian calendar
 * (1873, Meiji) to ICU's current era, oldest first.  Built once per process
 * from ICU; NULL with *n_eras = 0 if ICU fails (then no era is recognised). */
const KkEra *kk_era_table(guint *n_eras);

/* The era whose name starts at t[0] (needs n >= 2) or whose letter is t[0]
 * (when `letters`); NULL if none. */
const KkEra *kk_era_match_name(const gunichar *t, gsize n);
const KkEra *kk_era_match_letter(gunichar c);

/* Annotates code points t[0..n) (normalized text) into `spans` (appended). */
void kk_annotate_ucs4(const gunichar *t, gsize n, GArray *spans);

/* Decoded code points of the last kk_normalizer_run(). */
const gunichar *kk_normalizer_ucs4(KkNormalizer *n, gsize *len);

G_END_DECLS

#endif
