/*
 * kk-gazetteer.h — which local government a document is about, from the
 * names of places in its own text.
 *
 * The names are those of common/kk-lgcode.h: the 47 prefectures, the 1,741
 * municipalities (with Tokyo's 23 special wards), the 175 wards of the 20
 * designated cities (as 札幌市中央区 and as 中央区 alone) and, on the title,
 * cover and PDF metadata only, their readings in kana (広報おといねっぷ,
 * いけだまち).  One rule serves every document, whatever its layout:
 *
 *  - Each mention weighs by where it stands: the title most, then the PDF's
 *    metadata, the cover (page 1), the body; a cell of a data table (a list
 *    of 住居地, a budget line naming a partner town) says nothing about who
 *    wrote the document and only counts as context.  A prefecture written
 *    right before a municipality (北海道音威子府村) qualifies it and is not a
 *    mention of the prefecture itself.
 *  - The municipality named with the most weight is the document's when it
 *    weighs at least KK_GZ_MIN_WEIGHT and twice any other municipality (or
 *    its own prefecture's title mentions).  A name several municipalities
 *    share (府中市: 東京都 and 広島県; 池田町: four prefectures; 中央区: Tokyo
 *    and five designated cities) is resolved by context: mentions qualified
 *    by a prefecture, the prefectures the document names, the prefectures of
 *    the other municipalities it names (its neighbours), the designated city
 *    it names; when that does not decide by a factor of two, nothing is
 *    chosen and the reason says why.
 *  - A ward of a designated city named on the title or metadata gives the
 *    city as municipality, with the ward (the rest of a city's cover often
 *    holds the city hall's address, 札幌市中央区北1条西2丁目).
 *  - When no municipality qualifies, a prefecture named with enough weight
 *    on the title, cover or metadata is the document's own (愛知県 …計画); so is the prefecture of the places
 *    a document names when it calls itself a prefecture (本県, 県内 on its
 *    cover) and two thirds of those places lie in one prefecture.
 *
 * Feed a scan the texts of one document (any order, any number), then
 * resolve.  Memory is bounded by the number of distinct names found, not by
 * the length of the document.
 */
#ifndef KK_GAZETTEER_H
#define KK_GAZETTEER_H

#include <glib.h>

#include "common/kk-lgcode.h"

G_BEGIN_DECLS

/* Where a text stands in its document: how much naming a place there says
 * about the document itself. */
typedef enum {
  KK_GZ_TITLE, /* the document's title (cover's largest type) */
  KK_GZ_META,  /* the PDF's metadata: title, author, subject */
  KK_GZ_COVER, /* other text of the cover (page 1) */
  KK_GZ_BODY,  /* running text of the other pages */
  KK_GZ_DATA,  /* a cell of a data table: context only */
  KK_GZ_RULE,  /* what a pattern file's rule read: a family's override */
  KK_GZ_N_WHERE
} KkGzWhere;

/* The least weight of mentions that makes a municipality the document's:
 * one mention on the cover, or three in the body. */
#define KK_GZ_MIN_WEIGHT 3.0

typedef enum {
  KK_GZ_NONE,         /* names no local government as its own */
  KK_GZ_MUNICIPALITY, /* a municipality (or a Tokyo special ward) */
  KK_GZ_PREFECTURE,   /* the prefecture itself */
  KK_GZ_AMBIGUOUS,    /* candidates, and nothing in the document to choose by */
} KkGzVerdict;

typedef struct {
  KkGzVerdict verdict;
  /* MUNICIPALITY: the municipality; PREFECTURE: the prefecture; else NULL */
  const KkLgCode *place;
  /* the prefecture of `place`; AMBIGUOUS: the one every candidate lies in,
   * if they share one; else NULL */
  const KkLgCode *prefecture;
  /* MUNICIPALITY of a designated city: the ward the document is about, or
   * NULL */
  const KkLgWard *ward;
  /* one line saying how it was decided or why not (for parse --explain) */
  char *why;
} KkGzResult;

typedef struct KkGazetteerScan KkGazetteerScan;

/* A new, empty scan of one document.  The name index behind it is made
 * from the compiled-in lists at build time (common/data/mkgazetteer.c):
 * const tables, nothing built at run time. */
KkGazetteerScan *kk_gazetteer_scan_new(void);

/* Frees the scan; NULL is a no-op. */
void kk_gazetteer_scan_free(KkGazetteerScan *scan);

/* Records the place names in `text` (UTF-8, normalized: NFKC, whitespace is
 * ignored) as standing `where`.  Invalid UTF-8 ends the text there.  Texts
 * longer than 1 MiB are read up to that length. */
void kk_gazetteer_scan_text(KkGazetteerScan *scan, const char *text, KkGzWhere where);

/* Decides (see the top of this file) and fills `out`, which the caller
 * clears with kk_gz_result_clear().  The scan is not changed. */
void kk_gazetteer_resolve(const KkGazetteerScan *scan, KkGzResult *out);

/* Frees what a result holds and zeroes it. */
void kk_gz_result_clear(KkGzResult *result);

/* The municipality a user names for documents that never name theirs
 * (`ingest --municipality`): `text` is its lg_code (392049) or its name,
 * led by its prefecture when the name alone is not unique (南国市,
 * 大阪府池田市).  Tokyo's special wards count; a prefecture or a ward of a
 * designated city does not.  NULL with a KK_ERROR_USAGE error saying why. */
const KkLgCode *kk_gazetteer_given_place(const char *text, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(KkGazetteerScan, kk_gazetteer_scan_free)

G_END_DECLS

#endif
