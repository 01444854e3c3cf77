/*
 * kk-normalize-text.c — text normalization: NFKC through ICU, CJK radicals,
 * space and line-break repair.  See normalize.h for the contract.
 *
 * Per call: UTF-8 -> UTF-16 (ICU's converter, strict or substituting U+FFFD)
 * -> NFKC (ICU, a normalizer filtered to leave circled numbers and U+3000
 * alone) -> code points, with the radicals table applied -> space repair in
 * place -> UTF-8.  Every buffer belongs to the KkNormalizer and only grows,
 * so a hot loop allocates nothing once warmed up; the ICU normalizer is a
 * process-wide immutable object (thread-safe by ICU's contract).
 */
#include "kk-normalize-private.h"
#include "common/kk-error.h"
#include "radicals-table.h"

#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/uset.h>
#include <unicode/ustring.h>

/* An ideographic space (U+3000) in the input: written on purpose, so space
 * repair never removes it.  A value outside Unicode, turned into ' ' on
 * output. */
#define HARD_SPACE 0x110000u

struct KkNormalizer {
  const UNormalizer2 *nfkc;
  UChar *u16;            /* the input as UTF-16 */
  gsize u16_cap;
  UChar *n16;            /* its NFKC form */
  gsize n16_cap;
  gunichar *cp;          /* the result as code points */
  gsize cp_len, cp_cap;
  char *utf8;            /* the result as UTF-8 */
  gsize utf8_cap;
};

/* ---- the shared ICU normalizer ------------------------------------------ */

static const UNormalizer2 *filtered_nfkc;

/* NFKC, except for characters whose compatibility decomposition loses what
 * they mean in these documents: circled numbers used as item markers (NFKC
 * turns "①100人" into "1100人"), circled katakana/ideograph markers, and the
 * ideographic space, which space repair must tell from an extraction gap. */
static gpointer open_filtered_nfkc(gpointer unused)
{
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
  if (U_FAILURE(status))
    return NULL;
  USet *set = uset_open(0, 0x10FFFF);
  uset_removeRange(set, 0x2460, 0x2473);  /* ① .. ⑳ */
  uset_removeRange(set, 0x24EA, 0x24FF);  /* ⓪, ⓫ .. ⓿ */
  uset_removeRange(set, 0x3000, 0x3000);  /* ideographic space */
  uset_removeRange(set, 0x3251, 0x325F);  /* ㉑ .. ㉟ */
  uset_removeRange(set, 0x3280, 0x32B0);  /* ㊀ .. ㊰ circled ideographs */
  uset_removeRange(set, 0x32B1, 0x32BF);  /* ㊱ .. ㊿ */
  uset_removeRange(set, 0x32D0, 0x32FE);  /* ㋐ .. ㋾ circled katakana */
  uset_freeze(set);
  /* The set must outlive the normalizer, which lives for the process. */
  filtered_nfkc = unorm2_openFiltered(nfkc, set, &status);
  if (U_FAILURE(status))
    filtered_nfkc = NULL;
  return NULL;
}

static const UNormalizer2 *get_nfkc(GError **error)
{
  static GOnce once = G_ONCE_INIT;
  g_once(&once, open_filtered_nfkc, NULL);
  if (filtered_nfkc == NULL)
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "ICU cannot provide NFKC normalization data");
  return filtered_nfkc;
}

KkNormalizer *kk_normalizer_new(GError **error)
{
  const UNormalizer2 *nfkc = get_nfkc(error);
  if (nfkc == NULL)
    return NULL;
  KkNormalizer *n = g_new0(KkNormalizer, 1);
  n->nfkc = nfkc;
  return n;
}

void kk_normalizer_free(KkNormalizer *n)
{
  if (n == NULL)
    return;
  g_free(n->u16);
  g_free(n->n16);
  g_free(n->cp);
  g_free(n->utf8);
  g_free(n);
}

static void free_default(gpointer p)
{
  kk_normalizer_free(p);
}

static GPrivate default_normalizer = G_PRIVATE_INIT(free_default);

KkNormalizer *kk_normalizer_default(GError **error)
{
  KkNormalizer *n = g_private_get(&default_normalizer);
  if (n == NULL) {
    n = kk_normalizer_new(error);
    if (n != NULL)
      g_private_set(&default_normalizer, n);
  }
  return n;
}

const gunichar *kk_normalizer_ucs4(KkNormalizer *n, gsize *len)
{
  *len = n->cp_len;
  return n->cp;
}

/* Grows *buf to hold at least `want` elements of `size` bytes. */
static void reserve(gpointer *buf, gsize *cap, gsize want, gsize size)
{
  if (want <= *cap)
    return;
  gsize c = *cap ? *cap : 256;
  while (c < want)
    c *= 2;
  *buf = g_realloc_n(*buf, c, size);
  *cap = c;
}

/* ---- character classes --------------------------------------------------- */

/* Japanese script, CJK punctuation and the symbols that Japanese text uses as
 * bullets (■ ○ ※ ① …): characters between which a space is an artefact. */
static inline gboolean is_japanese(gunichar c)
{
  if (c < 0x2000)
    return FALSE;
  return (c >= 0x3001 && c <= 0x30FF)      /* CJK punctuation, kana */
      || (c >= 0x4E00 && c <= 0x9FFF)      /* unified ideographs */
      || (c >= 0x3400 && c <= 0x4DBF)      /* extension A */
      || (c >= 0x31F0 && c <= 0x31FF)      /* katakana extensions */
      || (c >= 0xF900 && c <= 0xFAFF)      /* compatibility ideographs */
      || (c >= 0x20000 && c <= 0x3FFFF)    /* extensions B.. */
      || (c >= 0x2E80 && c <= 0x2FDF)      /* radicals */
      || (c >= 0x25A0 && c <= 0x25FF)      /* geometric shapes ■ ○ △ */
      || (c >= 0x2460 && c <= 0x24FF)      /* circled numbers */
      || (c >= 0x3200 && c <= 0x32FF)      /* enclosed CJK */
      || c == 0x203B                       /* ※ */
      || (c >= 0xFF01 && c <= 0xFFEF);     /* what NFKC keeps of the forms */
}

static inline gboolean is_ascii_alnum(gunichar c)
{
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static inline gboolean is_space(gunichar c)
{
  return c == ' ' || c == HARD_SPACE || c == '\t';
}

/* Characters that follow a number as its unit or counter: a space between a
 * line-initial number and one of these is still an extraction gap
 * ("2022 年度"), while before other words it separates an item number from
 * its title ("8 健康診断").  t[j] is the character after the space. */
static gboolean is_unit_start(const gunichar *t, gsize j, gsize n)
{
  gunichar c = t[j];
  gunichar next = j + 1 < n ? t[j + 1] : 0;
  /* か所 ヶ月 カ年 ケ所, ポイント: kana only with what makes them counters
   * (not ケーブル, カード, ポスター). */
  if (c == 0x304B || c == 0x30F6 || c == 0x30AB || c == 0x30B1)
    return next == 0x6240 /* 所 */ || next == 0x6708 /* 月 */ || next == 0x5E74 /* 年 */;
  if (c == 0x30DD)
    return next == 0x30A4; /* ポイ(ント) */
  static const gunichar units[] = {
    0x5E74 /* 年 */, 0x6708 /* 月 */, 0x65E5 /* 日 */, 0x5186 /* 円 */,
    0x5343 /* 千 */, 0x4E07 /* 万 */, 0x5104 /* 億 */, 0x767E /* 百 */,
    0x5146 /* 兆 */, 0x4EF6 /* 件 */, 0x4EBA /* 人 */, 0x56DE /* 回 */,
    0x304B /* か */, 0x30F6 /* ヶ */, 0x30AB /* カ */, 0x30B1 /* ケ */,
    0x7B87 /* 箇 */, 0x6B73 /* 歳 */, 0x6642 /* 時 */, 0x5206 /* 分 */,
    0x79D2 /* 秒 */, 0x500D /* 倍 */, 0x6238 /* 戸 */, 0x500B /* 個 */,
    0x679A /* 枚 */, 0x518A /* 冊 */, 0x9031 /* 週 */, 0x5EA6 /* 度 */,
    0x5272 /* 割 */, 0x5468 /* 周 */, 0x30DD /* ポ */,
  };
  for (gsize i = 0; i < G_N_ELEMENTS(units); i++)
    if (units[i] == c)
      return TRUE;
  return FALSE;
}

/* Circled and negative-circled numbers and katakana: item markers. */
static inline gboolean is_circled(gunichar c)
{
  return (c >= 0x2460 && c <= 0x24FF) || (c >= 0x2776 && c <= 0x2793) || (c >= 0x3251 && c <= 0x32FE);
}

/* A bullet that starts a new item inside a line ("…ポイント 〇寄附金額"): the
 * space before it separates two items and is kept.  〇 counts only when it
 * is not a digit of a kanji number (二〇二五). */
static gboolean is_bullet(const gunichar *t, gsize j, gsize n)
{
  gunichar c = t[j];
  if (c == 0x3007) {
    gunichar next = j + 1 < n ? t[j + 1] : 0;
    return !(next == 0x3007 || next == 0x4E00 || next == 0x4E8C || next == 0x4E09 || next == 0x56DB
             || next == 0x4E94 || next == 0x516D || next == 0x4E03 || next == 0x516B || next == 0x4E5D
             || (next >= '0' && next <= '9'));
  }
  return c == 0x30FB /* ・ */ || c == 0x25CB /* ○ */ || c == 0x25CF /* ● */ || c == 0x25CE /* ◎ */
      || c == 0x25C6 /* ◆ */ || c == 0x25C7 /* ◇ */ || c == 0x25A0 /* ■ */ || c == 0x25A1 /* □ */
      || c == 0x203B /* ※ */ || c == 0x2605 /* ★ */ || c == 0x2606 /* ☆ */ || c == 0x3010 /* 【 */
      || is_circled(c);
}

/* TRUE if t[end-1] closes an item marker that starts its line (after
 * indentation): digits with '.', '-' and parentheses ("8", "1-1", "(3)",
 * "2.1"), or a single letter ("a", "b"). */
static gboolean ends_line_initial_marker(const gunichar *t, gsize end, gsize line_start)
{
  if (end == line_start + 1 && (((t[line_start] | 0x20) >= 'a' && (t[line_start] | 0x20) <= 'z')
                                || is_circled(t[line_start])))
    return TRUE;
  gsize i = end;
  gboolean digit = FALSE;
  while (i > line_start) {
    gunichar c = t[i - 1];
    if (c >= '0' && c <= '9')
      digit = TRUE;
    else if (c != '.' && c != '-' && c != '(' && c != ')')
      break;
    i--;
  }
  return digit && i == line_start;
}

/* Item markers that begin a new entry, not the rest of a wrapped line. */
static gboolean starts_item(const gunichar *t, gsize i, gsize n)
{
  gunichar c = t[i];
  if (c == 0x30FB /* ・ */ || c == 0x203B /* ※ */ || (c >= 0x25A0 && c <= 0x25FF)
      || (c >= 0x2460 && c <= 0x24FF) || (c >= 0x2776 && c <= 0x2793)
      || (c >= 0x3251 && c <= 0x32FE) || c == 0x3007 /* 〇 */ || c == '-' || c == '*'
      || c == 0x3010 /* 【 */ || c == 0x7B2C /* 第 */)
    return TRUE;
  if (c == '(' && i + 1 < n && (is_ascii_alnum(t[i + 1]) || t[i + 1] >= 0x3000))
    return TRUE;
  if (c >= '0' && c <= '9') {
    while (i < n && t[i] >= '0' && t[i] <= '9')
      i++;
    return i < n && (t[i] == '.' || t[i] == ')' || t[i] == ' ');
  }
  return FALSE;
}

/* A number wrapped between two lines inside Japanese text ("約18" / "5億円"):
 * t[0..o) is the previous line (output), t[j..n) the next.  Both sides of
 * the digits must be Japanese, so columns of numbers are never glued. */
static gboolean wrapped_number(const gunichar *t, gsize o, gsize j, gsize n)
{
  if (o == 0 || !(t[o - 1] >= '0' && t[o - 1] <= '9') || !(t[j] >= '0' && t[j] <= '9'))
    return FALSE;
  gsize p = o;
  while (p > 0 && ((t[p - 1] >= '0' && t[p - 1] <= '9') || t[p - 1] == ',' || t[p - 1] == '.'))
    p--;
  gsize q = j;
  while (q < n && ((t[q] >= '0' && t[q] <= '9') || t[q] == ',' || t[q] == '.'))
    q++;
  return p > 0 && q < n && is_japanese(t[p - 1]) && is_japanese(t[q]);
}

static gboolean ends_sentence(gunichar c)
{
  return c == 0x3002 /* 。 */ || c == '!' || c == '?' || c == ':' || c == 0xFF61
      || c == 0x3011 /* 】 */;
}

/* ---- the passes ------------------------------------------------------------ */

/* UTF-16 (NFKC) -> code points, applying the radicals table, CR/LF and the
 * characters we drop.  Returns the number of code points written to out. */
static gsize decode_and_map(const UChar *s, gsize n, gunichar *out)
{
  gsize o = 0;
  for (gsize i = 0; i < n; i++) {
    gunichar c = s[i];
    /* printable ASCII and CJK from U+3001 up to the surrogates: nothing to
     * map (the radicals, U+3000, the dropped and special characters below
     * all lie outside; the assertion keeps the radical table there) */
    G_STATIC_ASSERT(KK_RADICALS_LAST < 0x3000);
    if ((c >= 0x20 && c < 0x7F) || (c > 0x3000 && c < 0xD800)) {
      out[o++] = c;
      continue;
    }
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      i++;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD; /* cannot come from valid UTF-8, but never trust */
    }
    if (c == '\r') {
      if (i + 1 < n && s[i + 1] == '\n')
        continue;
      c = '\n';
    } else if (c == 0x3000) {
      c = HARD_SPACE;
    } else if (c == 0) {
      c = ' '; /* a C string cannot hold it */
    } else if (c >= KK_RADICALS_FIRST && c <= KK_RADICALS_LAST) {
      if (kk_radical_map[c - KK_RADICALS_FIRST] != 0)
        c = kk_radical_map[c - KK_RADICALS_FIRST];
    } else if (c == 0x200B || c == 0x2060 || c == 0xFEFF || c == 0x00AD) {
      continue;
    }
    out[o++] = c;
  }
  return o;
}

/* Space repair in place (see normalize.h); returns the new length. */
static gsize repair_spaces(gunichar *t, gsize n, gboolean join_lines)
{
  gsize o = 0;           /* write index: t[0..o) is final */
  gsize line_start = 0;  /* in output coordinates */
  gsize i = 0;
  while (i < n) {
    gunichar c = t[i];
    if (c == '\n') {
      while (o > line_start && is_space(t[o - 1]))
        o--; /* trim the line's end */
      gsize j = i + 1;
      while (j < n && is_space(t[j]))
        j++;
      if (join_lines && o > line_start && j < n && t[j] != '\n') {
        gunichar a = t[o - 1], b = t[j];
        gboolean ja = is_japanese(a), jb = is_japanese(b);
        if (((ja && (jb || (b >= '0' && b <= '9'))) || (jb && a >= '0' && a <= '9')
             || wrapped_number(t, o, j, n))
            && !ends_sentence(a) && !starts_item(t, j, n)) {
          i = j; /* a wrapped line: continue it */
          continue;
        }
      }
      t[o++] = '\n';
      line_start = o;
      i = j; /* the next line's indentation is trimmed */
      continue;
    }
    if (is_space(c)) {
      gsize j = i;
      gboolean hard = FALSE, tab = FALSE;
      while (j < n && is_space(t[j])) {
        hard |= t[j] == HARD_SPACE;
        tab |= t[j] == '\t';
        j++;
      }
      if (o == line_start) { /* indentation */
        i = j;
        continue;
      }
      if (j < n && t[j] != '\n' && j - i == 1 && !hard && !tab) {
        gunichar a = t[o - 1], b = t[j];
        gboolean ja = is_japanese(a), jb = is_japanese(b);
        gboolean drop = FALSE;
        if (jb && is_bullet(t, j, n))
          drop = FALSE;
        else if (jb && (ja || is_ascii_alnum(a) || a == '%'))
          drop = !(ends_line_initial_marker(t, o, line_start) && !is_unit_start(t, j, n));
        else if (ja && is_ascii_alnum(b))
          drop = TRUE;
        else if (b >= '0' && b <= '9' && kk_era_match_letter(a) != NULL
                 && (o < 2 || !is_ascii_alnum(t[o - 2])))
          drop = TRUE; /* "R 3" -> "R3" */
        if (drop) {
          i = j;
          continue;
        }
      }
      /* Kept as written (a run stays a run), so that normalizing the
       * result again removes nothing more. */
      for (gsize k = i; k < j; k++)
        t[o++] = t[k] == '\t' ? '\t' : ' ';
      i = j;
      continue;
    }
    t[o++] = c;
    i++;
  }
  while (o > line_start && is_space(t[o - 1]))
    o--;
  return o;
}

/* Code points -> UTF-8 in n->utf8 (HARD_SPACE becomes ' '). */
static gsize encode_utf8(KkNormalizer *n)
{
  reserve((gpointer *)&n->utf8, &n->utf8_cap, n->cp_len * 4 + 1, 1);
  char *p = n->utf8;
  for (gsize i = 0; i < n->cp_len; i++) {
    gunichar c = n->cp[i];
    if (c < 0x80) {
      *p++ = (char)c;
    } else if (c == HARD_SPACE) {
      n->cp[i] = ' ';
      *p++ = ' ';
    } else {
      p += g_unichar_to_utf8(c, p);
    }
  }
  *p = '\0';
  return (gsize)(p - n->utf8);
}

const char *kk_normalizer_run(KkNormalizer *n, const char *text, gsize len,
                              KkNormalizeFlags flags, gsize *out_len,
                              guint *replaced, GError **error)
{
  if (replaced)
    *replaced = 0;
  n->cp_len = 0;
  if (len > KK_NORMALIZE_MAX_TEXT) {
    g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "text of %" G_GSIZE_FORMAT " bytes is longer than the %u-byte limit",
                len, KK_NORMALIZE_MAX_TEXT);
    return NULL;
  }
  /* UTF-8 -> UTF-16: never more units than bytes. */
  reserve((gpointer *)&n->u16, &n->u16_cap, len + 1, sizeof(UChar));
  UErrorCode status = U_ZERO_ERROR;
  int32_t n16 = 0;
  /* ASCII (numbers, codes, most table cells) is valid UTF-8 and already
   * NFKC: widen it here and skip ICU's conversion and quick check */
  gsize ascii = 0;
  while (ascii < len && (unsigned char)text[ascii] < 0x80)
    ascii++;
  gboolean all_ascii = ascii == len;
  if (all_ascii) {
    for (gsize i = 0; i < len; i++)
      n->u16[i] = (UChar)(unsigned char)text[i];
    n16 = (int32_t)len;
  } else if (flags & KK_NORMALIZE_REPLACE_INVALID) {
    int32_t subs = 0;
    u_strFromUTF8WithSub(n->u16, (int32_t)n->u16_cap, &n16, text, (int32_t)len, 0xFFFD, &subs, &status);
    if (replaced && U_SUCCESS(status))
      *replaced = (guint)subs;
  } else {
    u_strFromUTF8(n->u16, (int32_t)n->u16_cap, &n16, text, (int32_t)len, &status);
  }
  if (status == U_INVALID_CHAR_FOUND) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "invalid UTF-8");
    return NULL;
  }
  if (U_FAILURE(status)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "UTF-8 conversion: %s", u_errorName(status));
    return NULL;
  }
  /* NFKC, skipped when ICU's quick check says the text already is. */
  const UChar *norm = n->u16;
  int32_t nlen = n16;
  if (!all_ascii && unorm2_spanQuickCheckYes(n->nfkc, n->u16, n16, &status) < n16 && U_SUCCESS(status)) {
    gsize want = (gsize)n16 + (gsize)n16 / 8 + 64; /* NFKC rarely grows text; retried if it does */
    for (int attempt = 0; attempt < 2; attempt++) {
      reserve((gpointer *)&n->n16, &n->n16_cap, want, sizeof(UChar));
      status = U_ZERO_ERROR;
      nlen = unorm2_normalize(n->nfkc, n->u16, n16, n->n16, (int32_t)MIN(n->n16_cap, (gsize)G_MAXINT32), &status);
      if (status != U_BUFFER_OVERFLOW_ERROR)
        break;
      want = (gsize)nlen + 1;
    }
    norm = n->n16;
  }
  if (U_FAILURE(status)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "NFKC: %s", u_errorName(status));
    return NULL;
  }
  reserve((gpointer *)&n->cp, &n->cp_cap, (gsize)nlen + 1, sizeof(gunichar));
  n->cp_len = decode_and_map(norm, (gsize)nlen, n->cp);
  n->cp_len = repair_spaces(n->cp, n->cp_len, (flags & KK_NORMALIZE_JOIN_LINES) != 0);
  *out_len = encode_utf8(n);
  return n->utf8;
}

char *kk_normalize_text(const char *text, gssize len, KkNormalizeFlags flags, GError **error)
{
  KkNormalizer *n = kk_normalizer_default(error);
  if (n == NULL)
    return NULL;
  gsize ulen = len < 0 ? strlen(text) : (gsize)len;
  gsize out_len;
  const char *out = kk_normalizer_run(n, text, ulen, flags, &out_len, NULL, error);
  return out ? g_strndup(out, out_len) : NULL;
}
