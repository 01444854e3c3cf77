/*
 * normalize.h — the normalize stage as a library: clean, comparable text and
 * the values found in it (see ../shared/SPEC.md "normalize" and
 * common/FORMATS.md "pages").
 *
 * One function per job:
 *
 *   kk_normalize_text()          NFKC + CJK radicals + space repair, UTF-8 in/out
 *   kk_annotate_text()           values (spans) in already-normalized text
 *   kk_parse_number()            a cell that is one number  -> KkValue
 *   kk_parse_amount_yen()        a cell that is one amount  -> integer yen
 *   kk_parse_fiscal_year()       令和4年度 / R6 / R3実績 / 2022年度 -> 2022…
 *   kk_era_to_gregorian()        (era name or letter, era year) -> Gregorian year
 *   kk_fiscal_year_of_date()     (year, month) -> the 年度 it falls in
 *   kk_normalize_pages_object()  one pages-stream object, in place
 *
 * The convenience functions above keep their ICU objects and scratch buffers
 * per thread, so they are cheap to call once per table cell.  A hot loop over
 * many lines (the CLI) uses a KkNormalizer directly: kk_normalizer_run()
 * followed by kk_normalizer_annotate() reuses every buffer and decodes the
 * text once.
 *
 * Offsets (KkSpan.start/end) count Unicode code points of the normalized
 * text.  No function here crashes on hostile input: invalid UTF-8 is an error
 * (KK_ERROR_INPUT) or replaced by U+FFFD when asked; numbers of more than 18
 * significant digits, or whose value overflows 64-bit arithmetic (99999999兆),
 * are not annotated and not parsed (never wrapped).
 */
#ifndef KK_NORMALIZE_H
#define KK_NORMALIZE_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ---- values ------------------------------------------------------------ */

/* What a span holds.  The names (kk_span_kind_name) are the "kind" strings
 * of SPEC.md. */
typedef enum {
  KK_SPAN_NUMBER,            /* value: a decimal                      */
  KK_SPAN_AMOUNT,            /* value: integer yen (scale 0)          */
  KK_SPAN_QUANTITY,          /* value: a decimal, unit: "件", "人", … */
  KK_SPAN_PERCENT,           /* value: a decimal (87.0% -> 87.0)      */
  KK_SPAN_DATE,              /* year, month, day (day 0 = "YYYY-MM")  */
  KK_SPAN_YEAR,              /* year: calendar year                   */
  KK_SPAN_FISCAL_YEAR,       /* year: Gregorian year the 年度 begins  */
  KK_SPAN_FISCAL_YEAR_RANGE  /* year .. year_to                       */
} KkSpanKind;

/* An exact decimal: mantissa / 10^scale.  "87.0" is {870, 1} so that it
 * prints back as 87.0; "1,234" is {1234, 0}.  scale is 0..18. */
typedef struct {
  gint64 mantissa;
  gint scale;
} KkDecimal;

/* One value found in normalized text. */
typedef struct {
  guint32 start, end;  /* code points, end exclusive */
  KkSpanKind kind;
  KkDecimal value;     /* NUMBER, AMOUNT, QUANTITY, PERCENT */
  const char *unit;    /* QUANTITY only: a static string, else NULL */
  gint year;           /* DATE, YEAR, FISCAL_YEAR, FISCAL_YEAR_RANGE (from) */
  gint year_to;        /* FISCAL_YEAR_RANGE (to) */
  gint month, day;     /* DATE; day 0 when only the month is known */
} KkSpan;

/* "number", "amount", "quantity", "percent", "date", "year", "fiscal_year",
 * "fiscal_year_range". */
const char *kk_span_kind_name(KkSpanKind kind);

/* The decimal as a double (for callers that want one). */
double kk_decimal_to_double(KkDecimal d);

/* Appends the span as SPEC.md's JSON object, members in the order
 * start, end, kind, value[, unit]; decimals print exactly ("87.0", "-12.8"). */
void kk_span_append_json(GString *out, const KkSpan *span);

/* The same object built with json-glib (for the pages stream). */
JsonObject *kk_span_to_json(const KkSpan *span);

/* ---- text normalization ------------------------------------------------ */

typedef enum {
  KK_NORMALIZE_DEFAULT = 0,
  /* Replace each maximal invalid UTF-8 subsequence by U+FFFD instead of
   * failing with KK_ERROR_INPUT. */
  KK_NORMALIZE_REPLACE_INVALID = 1 << 0,
  /* Join lines that a layout wrapped inside a Japanese sentence: a '\n'
   * between two Japanese characters (or a digit and a Japanese character)
   * is removed unless the first line ends a sentence (。！？：) or the next
   * starts an item (・ ○ ● ◆ ■ □ ※ ① (1) …).  Off by default: cell text
   * keeps its lines for the parse stage. */
  KK_NORMALIZE_JOIN_LINES = 1 << 1,
} KkNormalizeFlags;

/* Longest text the normalizer accepts in one call (bytes); longer text fails
 * with KK_ERROR_LIMIT rather than growing buffers without bound. */
#define KK_NORMALIZE_MAX_TEXT (64u * 1024u * 1024u)

/* Normalizes `text` (`len` bytes, or NUL-terminated if len < 0):
 *  - Unicode NFKC through ICU: full-width digits/Latin -> ASCII, half-width
 *    katakana -> full-width, CJK compatibility ideographs and Kangxi radicals
 *    (⽇ ⼈ ⾏) -> unified ideographs.  Circled and parenthesized numbers
 *    (① ⑵ ㉑) are kept: NFKC would turn "①100人" into "1100人".
 *  - CJK Radicals Supplement (U+2E80..U+2EFF), which NFKC leaves alone ->
 *    their equivalent unified ideographs (Unicode's EquivalentUnifiedIdeograph).
 *  - Spaces: a single space that extraction put between Japanese characters,
 *    or between Japanese and Latin/digits, is removed ("令和 3 年度" ->
 *    "令和3年度", "R 3 実績" -> "R3実績"); spaces between Latin words stay,
 *    as do ideographic spaces U+3000 (written on purpose; they become ' '),
 *    runs of two or more spaces (kept as they are), and the space after a
 *    line-initial item number ("8 健康診断").  Lines are trimmed; CR LF and
 *    CR become LF; zero-width spaces, BOM and soft hyphens are dropped; NUL
 *    becomes ' '.
 * Normalizing the result again changes nothing, except that a lone U+3000
 * written between Japanese characters has become an ordinary space, which a
 * second pass removes (so kk_normalize_pages_object() starts from "raw").
 * Returns a newly allocated UTF-8 string, or NULL with KK_ERROR_INPUT
 * (invalid UTF-8, unless KK_NORMALIZE_REPLACE_INVALID) or KK_ERROR_LIMIT. */
char *kk_normalize_text(const char *text, gssize len, KkNormalizeFlags flags,
                        GError **error);

/* Finds the values in already-normalized UTF-8 text (run kk_normalize_text
 * first: the annotator expects ASCII digits and NFKC forms).  Returns an
 * array of KkSpan in text order, never overlapping; empty if none.  Invalid
 * UTF-8 yields an empty array.
 * Years: an era year with 年 is a calendar year (昭和60年 -> year 1985); with
 * 年度, or written bare as plans do in table headers and schedule rows
 * ("R6", "R3実績", "R6(2024)"), a fiscal year; "R4~R6", "H29(2017)–R8(2026)"
 * and "R4～R6年度" are fiscal-year ranges.  "令和3年度、4年度" takes the era
 * of the earlier year.  Month/day without a year ("8月21日") and times
 * ("13:30") give no span. */
GArray *kk_annotate_text(const char *normalized, gssize len);

/* ---- cell values (for the parse stage) --------------------------------- */

/* A cell's single value, for kk_parse_number(). */
typedef struct {
  KkSpanKind kind;     /* NUMBER, AMOUNT, QUANTITY or PERCENT */
  KkDecimal value;     /* AMOUNT: integer yen */
  const char *unit;    /* QUANTITY: static unit string; AMOUNT: "円";
                          PERCENT: "%"; NUMBER: NULL */
} KkValue;

/* Parses a cell that holds one number, amount, quantity or percent
 * ("1,234", "△12.8", "1億5,000万円", "81件", "87.0%", "二十五"), after
 * normalizing it.  Words around the value are allowed ("約185億", "15億円以内",
 * "前年度比110%"); the first such value in the text wins.  FALSE if the text
 * holds no such value (or it overflows 64 bits). */
gboolean kk_parse_number(const char *text, gssize len, KkValue *out);

/* The first amount in the text as integer yen ("685,903千円" -> 685903000,
 * "1億5,000万円" -> 150000000).  A plain number (no 円) is NOT an amount:
 * scale it by the table's 単位 yourself (kk_parse_number).  FALSE if none. */
gboolean kk_parse_amount_yen(const char *text, gssize len, gint64 *yen);

/* The fiscal year a cell names: the first fiscal year, fiscal-year range
 * (its first year), year or era year in the text: "令和4年度" -> 2022,
 * "R6" -> 2024, "R3実績" -> 2021, "R 5 計画" -> 2023, "H30年度" -> 2018,
 * "2022年度" -> 2022, "令和4(2022)年度" -> 2022.  A bare Gregorian number is
 * not taken.  FALSE if none. */
gboolean kk_parse_fiscal_year(const char *text, gssize len, gint *year);

/* ---- eras --------------------------------------------------------------- */

/* Gregorian year of `era_year` of the era named `era` (UTF-8: "令和", "平成",
 * "昭和", "大正", "明治", or the letter "R", "H", "S", "T", "M").  Era start
 * years come from ICU's Japanese calendar, names from its date symbols.
 * era_year 1 is 元年.  Years past an era's end are counted on (平成32 ->
 * 2020), as documents written before an era change do.  Returns 0 for an
 * unknown era or era_year outside 1..99. */
gint kk_era_to_gregorian(const char *era, gint era_year);

/* The fiscal year (年度, April to March) a date falls in: 2023-03-31 -> 2022,
 * 2023-04-01 -> 2023.  0 if month is outside 1..12. */
gint kk_fiscal_year_of_date(gint year, gint month);

/* ---- pages stream ------------------------------------------------------- */

/* Normalizes one pages-stream object in place (common/FORMATS.md): on a
 * "document" object sets "normalized":true; on a "page" object rewrites the
 * "text" of every line and every table cell, adds "spans" beside it, and
 * keeps the original as "raw" when it differs (an existing "raw" is kept, so
 * normalizing twice changes nothing).  Other objects are left alone.
 * FALSE with KK_ERROR_LIMIT/INTERNAL only on resource or ICU failure. */
gboolean kk_normalize_pages_object(JsonObject *object, GError **error);

/* ---- the reusable normalizer -------------------------------------------- */

/* Scratch buffers for a hot loop; one per thread (not thread-safe). */
typedef struct KkNormalizer KkNormalizer;

/* NULL with KK_ERROR_INTERNAL if ICU cannot provide NFKC data. */
KkNormalizer *kk_normalizer_new(GError **error);
void kk_normalizer_free(KkNormalizer *n);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(KkNormalizer, kk_normalizer_free)

/* The calling thread's own normalizer, made on first use and freed when
 * the thread ends (the convenience functions and parse's page model use
 * it); NULL if ICU failed (error set).  Owned by the thread: never free it. */
KkNormalizer *kk_normalizer_default(GError **error);

/* Normalizes like kk_normalize_text() into the normalizer's own buffer.
 * Returns the UTF-8 result (valid until the next call on `n`) and its byte
 * length in *out_len, or NULL with an error.  If `replaced` is not NULL it
 * receives the number of U+FFFD substitutions made. */
const char *kk_normalizer_run(KkNormalizer *n, const char *text, gsize len,
                              KkNormalizeFlags flags, gsize *out_len,
                              guint *replaced, GError **error);

/* Annotates the text of the last successful kk_normalizer_run() on `n`;
 * appends KkSpan items to `spans` (cleared first). */
void kk_normalizer_annotate(KkNormalizer *n, GArray *spans);

G_END_DECLS

#endif
