/*
 * kk-annotate.c — finding values in normalized text (SPEC.md "normalize",
 * the table of kinds).
 *
 * One left-to-right pass over the code points.  At a position that can start
 * a value (an ASCII digit, a kanji numeral, an era name or letter, a sign)
 * three scanners are tried in order, and the first that matches consumes its
 * text and appends its span:
 *   era        令和4年度, R3.7月, 平成18(2006)年, R4~R6年度, 令和元年5月1日
 *   gregorian  2022年度, 2023年10月18日, 2023/10/18, 2022~2024年度
 *   number     1億5,000万円, △12.8, 87.0%, 81件, 二十五
 * A digit run that none accepts (a code like 1-1, a time 13:30, a number too
 * big for 64 bits) is skipped whole, so no span ever starts inside it.
 *
 * Kanji numerals are parsed here by a small table-driven parser rather than
 * ICU's RuleBasedNumberFormat (spellout, ja): RBNF parsing tries every rule
 * for every call (tens of microseconds), accepts only canonical spellings
 * (not 百五 next to 1億5,000万 or 二〇二五) and knows nothing of 円 or units;
 * this pass must run over every line of every page at tens of MB/s.  The unit
 * tests check this parser against ICU's spellout formatter.
 *
 * Arithmetic is exact (KkDecimal, 64-bit, overflow checked): a value that
 * does not fit is not annotated.
 */
#include "kk-normalize-private.h"

#include <string.h>

/* ---- exact decimals -------------------------------------------------------- */

static const gint64 pow10_table[19] = {
  1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
  100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
  1000000000000LL, 10000000000000LL, 100000000000000LL,
  1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
  1000000000000000000LL,
};

/* d *= 10^k, using up decimals first (1.5 * 10^8 = 150000000, scale 0). */
static gboolean dec_mul_pow10(KkDecimal *d, gint k)
{
  if (k <= 0)
    return TRUE;
  if (d->scale >= k) {
    d->scale -= k;
    return TRUE;
  }
  k -= d->scale;
  d->scale = 0;
  if (k > 18)
    return d->mantissa == 0;
  return !__builtin_mul_overflow(d->mantissa, pow10_table[k], &d->mantissa);
}

/* a += b, exactly. */
/* Whether d (not negative) is below 10^p: what one place of a positional
 * numeral may hold below a multiplier of 10^p ("1千1000" is not 2000). */
static gboolean dec_below_pow10(KkDecimal d, gint p)
{
  if (p < 0 || p + d.scale > 18)
    return p >= 0; /* 10^(p+scale) beyond 64 bits: every mantissa is below */
  return d.mantissa < pow10_table[p + d.scale];
}

static gboolean dec_add(KkDecimal *a, KkDecimal b)
{
  while (a->scale < b.scale) {
    if (__builtin_mul_overflow(a->mantissa, 10, &a->mantissa))
      return FALSE;
    a->scale++;
  }
  while (b.scale < a->scale) {
    if (__builtin_mul_overflow(b.mantissa, 10, &b.mantissa))
      return FALSE;
    b.scale++;
  }
  return !__builtin_add_overflow(a->mantissa, b.mantissa, &a->mantissa);
}

/* The decimal rounded to an integer (half away from zero). */
static gint64 dec_round(KkDecimal d)
{
  if (d.scale <= 0 || d.scale > 18)
    return d.mantissa;
  gint64 p = pow10_table[d.scale];
  gint64 q = d.mantissa / p, r = d.mantissa % p;
  if (r < 0)
    r = -r;
  if (r >= p - r) /* 2r >= p, without overflow */
    q += d.mantissa < 0 ? -1 : 1;
  return q;
}

double kk_decimal_to_double(KkDecimal d)
{
  if (d.scale <= 0 || d.scale > 18)
    return (double)d.mantissa;
  return (double)d.mantissa / (double)pow10_table[d.scale];
}

/* ---- characters -------------------------------------------------------------- */

static inline gboolean is_digit(gunichar c)
{
  return c >= '0' && c <= '9';
}

static inline gboolean is_ascii_alpha(gunichar c)
{
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static inline gboolean is_ascii_alnum(gunichar c)
{
  return is_digit(c) || is_ascii_alpha(c);
}

/* Han or kana: what makes a lone kanji numeral part of a word. */
static inline gboolean is_word_char(gunichar c)
{
  return (c >= 0x3041 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF)
      || (c >= 0x3400 && c <= 0x4DBF) || c == 0x3005 || (c >= 0x20000 && c <= 0x3FFFF)
      || (c >= 0xF900 && c <= 0xFAFF) || is_ascii_alnum(c);
}

/* 0..9 for a kanji digit, else -1.  〇 and the formal forms (daiji) that
 * older deeds and ledgers print: 壱 壹 弐 弍 貳 参 參 肆 伍 柒 捌 玖.  陸 (6)
 * and 漆 (7) are left out on purpose: they are everyday words (大陸, 漆器)
 * and a digit run would swallow the next numeral (大陸一周). */
static inline gint kanji_digit(gunichar c)
{
  switch (c) {
  case 0x3007: case 0x96F6: return 0;   /* 〇 零 */
  case 0x4E00: case 0x58F1: case 0x58F9: return 1; /* 一 壱 壹 */
  case 0x4E8C: case 0x5F10: case 0x5F0D: case 0x8CB3: return 2; /* 二 弐 弍 貳 */
  case 0x4E09: case 0x53C2: case 0x53C3: return 3; /* 三 参 參 */
  case 0x56DB: case 0x8086: return 4;   /* 四 肆 */
  case 0x4E94: case 0x4F0D: return 5;   /* 五 伍 */
  case 0x516D: return 6;
  case 0x4E03: case 0x67D2: return 7;   /* 七 柒 */
  case 0x516B: case 0x634C: return 8;   /* 八 捌 */
  case 0x4E5D: case 0x7396: return 9;   /* 九 玖 */
  default: return -1;
  }
}

/* Power of ten of 十 百 千 (and 拾 什 佰 陌 阡 仟), else 0.  A lone one
 * beside other Han (什器, 拾う) is a word, not a number (is_word_char). */
static inline gint small_mult(gunichar c)
{
  switch (c) {
  case 0x5341: case 0x62FE: case 0x4EC0: return 1; /* 十 拾 什 */
  case 0x767E: case 0x4F70: case 0x964C: return 2; /* 百 佰 陌 */
  case 0x5343: case 0x9621: case 0x4EDF: return 3; /* 千 阡 仟 */
  default: return 0;
  }
}

/* The old one-character tens: 廿 (卄) = 二十, 卅 (丗) = 三十, 卌 = 四十, 皕 = 二百.
 * Sets the coefficient and the power of ten, or returns FALSE. */
static inline gboolean compound_numeral(gunichar c, gint *coef, gint *pow)
{
  switch (c) {
  case 0x5EFF: case 0x5344: *coef = 2; *pow = 1; return TRUE; /* 廿 卄 */
  case 0x5345: case 0x4E17: *coef = 3; *pow = 1; return TRUE; /* 卅 丗 */
  case 0x534C: *coef = 4; *pow = 1; return TRUE; /* 卌 */
  case 0x7695: *coef = 2; *pow = 2; return TRUE; /* 皕 */
  default: return FALSE;
  }
}

/* Power of ten of 万 億 兆 (and 萬), else 0. */
static inline gint big_mult(gunichar c)
{
  switch (c) {
  case 0x4E07: case 0x842C: return 4;   /* 万 萬 */
  case 0x5104: return 8;                /* 億 */
  case 0x5146: return 12;               /* 兆 */
  default: return 0;
  }
}

static inline gboolean is_kanji_numeral(gunichar c)
{
  gint coef, pow;
  return kanji_digit(c) >= 0 || small_mult(c) > 0 || compound_numeral(c, &coef, &pow);
}

#define CH_NEN 0x5E74    /* 年 */
#define CH_DO 0x5EA6     /* 度 */
#define CH_TSUKI 0x6708  /* 月 */
#define CH_HI 0x65E5     /* 日 */
#define CH_EN 0x5186     /* 円 */
#define CH_GAN 0x5143    /* 元 */

/* Separators of a range: ~ 〜 - ‐ – — ― から. Returns its length or 0. */
static gsize range_sep(const gunichar *t, gsize n, gsize i)
{
  if (i >= n)
    return 0;
  gunichar c = t[i];
  if (c == '~' || c == 0x301C || c == '-' || c == 0x2010 || c == 0x2013 || c == 0x2014
      || c == 0x2015 || c == 0x2212)
    return 1;
  if (c == 0x304B && i + 1 < n && t[i + 1] == 0x3089) /* から */
    return 2;
  return 0;
}

/* ---- units ------------------------------------------------------------------- */

typedef struct {
  const char *utf8;     /* the unit as printed in "unit" */
  gboolean after_kanji; /* may follow a lone kanji numeral (一人, 三回) */
  gunichar cp[6];
  gsize len;
} Unit;

/* Longest first where one is a prefix of another (時間 before 時). */
#define UNIT(s, k) { s, k, { 0 }, 0 }
static Unit units[] = {
  UNIT("ポイント", FALSE), UNIT("パーセント", FALSE), UNIT("行政区", FALSE), UNIT("自治会", FALSE),
  UNIT("小学校", FALSE), UNIT("中学校", FALSE), UNIT("クラス", FALSE), UNIT("ページ", FALSE),
  UNIT("事業所", FALSE), UNIT("手続き", FALSE), UNIT("時間", TRUE), UNIT("業務", FALSE), UNIT("手続", FALSE),
  UNIT("地点", FALSE), UNIT("機関", FALSE), UNIT("か国", TRUE), UNIT("ヶ国", TRUE), UNIT("カ国", TRUE), UNIT("地区", FALSE), UNIT("品目", FALSE), UNIT("か所", TRUE), UNIT("ヶ所", TRUE),
  UNIT("カ所", TRUE), UNIT("ケ所", TRUE), UNIT("箇所", TRUE), UNIT("世帯", TRUE), UNIT("団体", FALSE),
  UNIT("事業", FALSE), UNIT("施設", FALSE), UNIT("日間", TRUE), UNIT("か月", TRUE), UNIT("ヶ月", TRUE),
  UNIT("カ月", TRUE), UNIT("ケ月", TRUE), UNIT("週間", TRUE), UNIT("年間", TRUE), UNIT("か年", TRUE),
  UNIT("ヶ年", TRUE), UNIT("ヵ月", TRUE), UNIT("ヵ所", TRUE), UNIT("ヵ年", TRUE), UNIT("カ年", TRUE), UNIT("店舗", FALSE), UNIT("項目", FALSE), UNIT("種類", FALSE), UNIT("路線", FALSE),
  UNIT("校区", FALSE), UNIT("学級", FALSE), UNIT("講座", FALSE), UNIT("事例", FALSE), UNIT("団地", FALSE),
  UNIT("件", TRUE), UNIT("人", TRUE), UNIT("部", FALSE), UNIT("回", TRUE), UNIT("社", FALSE),
  UNIT("品", FALSE), UNIT("校", FALSE), UNIT("園", FALSE), UNIT("台", FALSE), UNIT("戸", FALSE),
  UNIT("名", TRUE), UNIT("本", FALSE), UNIT("冊", FALSE), UNIT("枚", FALSE), UNIT("個", FALSE),
  UNIT("日", FALSE), UNIT("分", FALSE), UNIT("秒", FALSE), UNIT("年", TRUE), UNIT("倍", TRUE),
  UNIT("歳", TRUE), UNIT("才", FALSE), UNIT("棟", FALSE), UNIT("室", FALSE), UNIT("区", FALSE),
  UNIT("便", FALSE), UNIT("組", FALSE), UNIT("店", FALSE), UNIT("者", FALSE), UNIT("課", FALSE),
  UNIT("頁", FALSE), UNIT("床", FALSE), UNIT("頭", FALSE), UNIT("km2", FALSE), UNIT("km", FALSE),
  UNIT("m2", FALSE), UNIT("m3", FALSE), UNIT("ha", FALSE), UNIT("kg", FALSE), UNIT("kWh", FALSE),
  UNIT("kW", FALSE), UNIT("MW", FALSE), UNIT("pt", FALSE), UNIT("m", FALSE), UNIT("t", FALSE),
  UNIT("L", FALSE),
};

static gpointer decode_units(gpointer unused)
{
  for (gsize u = 0; u < G_N_ELEMENTS(units); u++) {
    const char *p = units[u].utf8;
    gsize k = 0;
    while (*p && k < G_N_ELEMENTS(units[u].cp)) {
      units[u].cp[k++] = g_utf8_get_char(p);
      p = g_utf8_next_char(p);
    }
    units[u].len = k;
  }
  return NULL;
}

/* The unit at t[i], or NULL.  An ASCII unit must not run into more letters
 * ("5min" is not 5 m). */
static const Unit *match_unit(const gunichar *t, gsize n, gsize i)
{
  static GOnce once = G_ONCE_INIT;
  g_once(&once, decode_units, NULL);
  if (i >= n)
    return NULL;
  for (gsize u = 0; u < G_N_ELEMENTS(units); u++) {
    const Unit *un = &units[u];
    if (un->cp[0] != t[i] || i + un->len > n)
      continue;
    gsize k = 1;
    while (k < un->len && t[i + k] == un->cp[k])
      k++;
    if (k < un->len)
      continue;
    if (un->cp[0] < 0x80 && i + k < n && is_ascii_alnum(t[i + k]))
      continue;
    return un;
  }
  return NULL;
}

/* ---- the scan state ---------------------------------------------------------- */

typedef struct {
  const gunichar *t;
  gsize n;
  GArray *spans;
  const KkEra *era;  /* the last era named in the text: 令和3年度、4年度 */
} Scan;

static void push(Scan *s, KkSpan sp)
{
  g_array_append_val(s->spans, sp);
}

static void push_year(Scan *s, KkSpanKind kind, gsize start, gsize end, gint year, gint year_to)
{
  KkSpan sp = { .start = (guint32)start, .end = (guint32)end, .kind = kind, .year = year, .year_to = year_to };
  push(s, sp);
}

static void push_date(Scan *s, gsize start, gsize end, gint y, gint m, gint d)
{
  KkSpan sp = { .start = (guint32)start, .end = (guint32)end, .kind = KK_SPAN_DATE, .year = y, .month = m, .day = d };
  push(s, sp);
}

static gboolean at(const Scan *s, gsize i, gunichar c)
{
  return i < s->n && s->t[i] == c;
}

/* ---- numbers ----------------------------------------------------------------- */

/* ASCII digits with optional thousands separators (1,234 — the first group
 * of at most 3 digits, then groups of exactly 3) and a decimal fraction.
 * FALSE if there is no digit or more than 18 significant digits. */
static gboolean scan_arabic(const Scan *s, gsize i, KkDecimal *out, gsize *end)
{
  const gunichar *t = s->t;
  gsize n = s->n, j = i;
  gint64 m = 0;
  gint digits = 0;
  while (j < n && is_digit(t[j])) {
    if (m == 0 && t[j] == '0') { /* leading zeros add nothing */
      j++;
      digits = digits ? digits : 0;
      continue;
    }
    if (++digits > 18)
      return FALSE;
    m = m * 10 + (t[j] - '0');
    j++;
  }
  if (j == i)
    return FALSE;
  if (j - i <= 3) {
    while (j + 3 < n && t[j] == ',' && is_digit(t[j + 1]) && is_digit(t[j + 2]) && is_digit(t[j + 3])
           && !(j + 4 < n && is_digit(t[j + 4]))) {
      for (gsize k = 1; k <= 3; k++) {
        if (m != 0 || t[j + k] != '0')
          if (++digits > 18)
            return FALSE;
        m = m * 10 + (t[j + k] - '0');
      }
      j += 4;
    }
  }
  gint scale = 0;
  if (j + 1 < n && t[j] == '.' && is_digit(t[j + 1])) {
    j++;
    while (j < n && is_digit(t[j])) {
      if (++digits > 18 || scale >= 18)
        return FALSE;
      m = m * 10 + (t[j] - '0');
      scale++;
      j++;
    }
  }
  out->mantissa = m;
  out->scale = scale;
  *end = j;
  return TRUE;
}

/* What the number scanner saw, for deciding whether a kanji run is a number. */
typedef struct {
  gboolean arabic;      /* any ASCII digit */
  gint kanji_digits;    /* 〇..九 壱 … */
  gint mults;           /* 十 百 千 万 億 兆 */
} NumInfo;

/* A run of kanji digits: one digit, or two or more read digit by digit
 * (二〇二五 = 2025; a run starting with 〇 is a placeholder like 〇〇課). */
static gboolean scan_kanji_digits(const Scan *s, gsize i, KkDecimal *out, gsize *end, NumInfo *info)
{
  gsize j = i;
  gint64 m = 0;
  while (j < s->n && kanji_digit(s->t[j]) >= 0) {
    if (j - i >= 18)
      return FALSE;
    m = m * 10 + kanji_digit(s->t[j]);
    j++;
  }
  if (j == i || (j - i >= 2 && s->t[i] == 0x3007))
    return FALSE;
  info->kanji_digits += (gint)(j - i);
  out->mantissa = m;
  out->scale = 0;
  *end = j;
  return TRUE;
}

/* After a multiplier at i: a run of 〇 that older typesetting writes for an
 * empty place (二千〇二十三, 百〇七, 一万〇五百) when a nonzero numeral
 * follows.  Returns the index after the run (i when there is none) and
 * counts the zeros as kanji digits. */
static gsize skip_place_zeros(const Scan *s, gsize i, NumInfo *info)
{
  gsize z = i;
  gint coef, pow;
  while (z < s->n && s->t[z] == 0x3007)
    z++;
  if (z == i || z >= s->n
      || !(kanji_digit(s->t[z]) > 0 || small_mult(s->t[z]) > 0 || compound_numeral(s->t[z], &coef, &pow)))
    return i;
  info->kanji_digits += (gint)(z - i);
  return z;
}

/* A section below 万: terms "coefficient? (十|百|千)" in falling order and a
 * final coefficient ("二千二十五", "526千", "5千3百", "百五", "1,234"); the
 * old one-character tens 廿 卅 卌 皕 are terms of their own (廿一 = 21), and
 * 〇 may hold an empty place after a term (千〇十 = 1010). */
static gboolean scan_section(const Scan *s, gsize i, KkDecimal *out, gsize *end, NumInfo *info)
{
  KkDecimal sec = { 0, 0 };
  gint last = 4;
  gboolean any = FALSE;
  gsize j = i;
  for (;;) {
    KkDecimal coef = { 1, 0 };
    gboolean has_coef = FALSE;
    gsize k = any ? skip_place_zeros(s, j, info) : j;
    gint cc, cp;
    if (k < s->n && compound_numeral(s->t[k], &cc, &cp)) {
      KkDecimal term = { cc, 0 };
      if (cp >= last)
        break;
      if (!dec_mul_pow10(&term, cp) || !dec_add(&sec, term))
        return FALSE;
      last = cp;
      info->mults++;
      info->kanji_digits++;
      any = TRUE;
      j = k + 1;
      continue;
    }
    if (k < s->n && is_digit(s->t[k])) {
      if (!scan_arabic(s, k, &coef, &k))
        return FALSE;
      has_coef = TRUE;
      info->arabic = TRUE;
    } else if (k < s->n && kanji_digit(s->t[k]) >= 0) {
      NumInfo tmp = *info;
      if (!scan_kanji_digits(s, k, &coef, &k, &tmp))
        break;
      *info = tmp;
      has_coef = TRUE;
    }
    gint p = k < s->n ? small_mult(s->t[k]) : 0;
    if (p > 0 && p < last) {
      if (!dec_mul_pow10(&coef, p) || !dec_add(&sec, coef))
        return FALSE;
      last = p;
      info->mults++;
      any = TRUE;
      j = k + 1;
      continue;
    }
    if (has_coef && !(any && !dec_below_pow10(coef, last))) {
      /* the units place: below the last multiplier, or it is a number of
       * its own ("1千1000" is 1千 and 1000) */
      if (!dec_add(&sec, coef))
        return FALSE;
      any = TRUE;
      j = k;
    }
    break;
  }
  if (!any)
    return FALSE;
  *out = sec;
  *end = j;
  return TRUE;
}

/* A whole number: sections joined by 万 億 兆 in falling order
 * ("1億5,000万", "一億五千万", "185億", "十万"). */
static gboolean scan_number_core(const Scan *s, gsize i, KkDecimal *out, gsize *end, NumInfo *info)
{
  KkDecimal total = { 0, 0 };
  gint last = 16;
  gsize j = i;
  gboolean any = FALSE;
  memset(info, 0, sizeof *info);
  for (;;) {
    KkDecimal sec;
    gsize k;
    NumInfo before = *info;
    if (!scan_section(s, j, &sec, &k, info)) {
      *info = before;
      if (!any)
        return FALSE;
      break;
    }
    gint p = k < s->n ? big_mult(s->t[k]) : 0;
    if (any && !dec_below_pow10(sec, last - MAX(p, 0))) {
      /* a section must fit below the multiplier before it ("1万10千" is
       * 1万 and 10千, not 20000) */
      *info = before;
      break;
    }
    if (p > 0 && p < last) {
      if (!dec_mul_pow10(&sec, p) || !dec_add(&total, sec))
        return FALSE;
      last = p;
      info->mults++;
      any = TRUE;
      j = skip_place_zeros(s, k + 1, info);
      continue;
    }
    if (p > 0 && any) { /* "5万1億": the 1 belongs to the 億 after it */
      *info = before;
      break;
    }
    if (!dec_add(&total, sec))
      return FALSE;
    any = TRUE;
    j = k;
    break;
  }
  *out = total;
  *end = j;
  return TRUE;
}

/* A small integer (1..max) in ASCII digits (at most `max_digits`) or kanji
 * numerals: months, days, era years. */
static gboolean scan_small(const Scan *s, gsize i, gint max, gint max_digits, gint *v, gsize *end)
{
  if (i >= s->n)
    return FALSE;
  if (is_digit(s->t[i])) {
    gsize j = i;
    gint x = 0;
    while (j < s->n && is_digit(s->t[j])) {
      if ((gint)(j - i) >= max_digits)
        return FALSE;
      x = x * 10 + (s->t[j] - '0');
      j++;
    }
    if (x < 1 || x > max)
      return FALSE;
    *v = x;
    *end = j;
    return TRUE;
  }
  if (!is_kanji_numeral(s->t[i]))
    return FALSE;
  KkDecimal d;
  NumInfo info = { 0 };
  gsize j;
  if (!scan_section(s, i, &d, &j, &info) || info.arabic || d.scale != 0 || d.mantissa < 1 || d.mantissa > max)
    return FALSE;
  *v = (gint)d.mantissa;
  *end = j;
  return TRUE;
}

/* ---- dates and years ---------------------------------------------------------- */

static gboolean valid_ymd(gint y, gint m, gint d)
{
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1
      && d <= g_date_get_days_in_month((GDateMonth)m, (GDateYear)y);
}

/* After "YYYY年" (year already known) at i: "M月" and "D日" make a date;
 * 晦日 (misoka) and 末日 name the month's last day; 元日 right after 年 is
 * the year's first day (平成元年元日 = 1989-01-01).  Otherwise a year.
 * Pushes the span from `start`; returns its end. */
static gsize finish_nen(Scan *s, gsize start, gsize i, gint year)
{
  gint m, d;
  gsize j, k;
  if (at(s, i, CH_GAN) && at(s, i + 1, CH_HI) && valid_ymd(year, 1, 1)) { /* 元日: New Year's Day */
    push_date(s, start, i + 2, year, 1, 1);
    return i + 2;
  }
  if (scan_small(s, i, 12, 2, &m, &j) && at(s, j, CH_TSUKI)) {
    j++;
    if ((at(s, j, 0x6666) || at(s, j, 0x672B)) && at(s, j + 1, CH_HI) && valid_ymd(year, m, 1)) { /* 晦 末 */
      push_date(s, start, j + 2, year, m, g_date_get_days_in_month((GDateMonth)m, (GDateYear)year));
      return j + 2;
    }
    if (scan_small(s, j, 31, 2, &d, &k) && at(s, k, CH_HI)) {
      if (valid_ymd(year, m, d)) {
        push_date(s, start, k + 1, year, m, d);
        return k + 1;
      }
    } else {
      push_date(s, start, j, year, m, 0);
      return j;
    }
  }
  push_year(s, KK_SPAN_YEAR, start, i, year, 0);
  return i;
}

/* Dotted, slashed, dashed or dot-separated (・) month/day after a year at i
 * ("R3.7月", "R4.3", "2023/10/18", "2023-10-18", "令和3-7-18", "令和3・7・18").
 * `gregorian`: the year was written in four digits.  `need_day`: only a
 * full year-month-day will do (a lower-case "r2.1.1").  A dash or ・ makes a
 * date only with its day ("R4-6" is no month), and so does a dot after a
 * Gregorian year ("2022.5" is a number).  Pushes a date and returns its end,
 * or 0. */
static gsize finish_numeric_date(Scan *s, gsize start, gsize i, gint year, gboolean gregorian,
                                 gboolean need_day)
{
  if (i + 1 >= s->n)
    return 0;
  gunichar sep = s->t[i];
  gboolean dash = sep == '-' || sep == 0x30FB; /* - ・ */
  if (sep != '.' && sep != '/' && !dash)
    return 0;
  gint m, d;
  gsize j, k;
  if (!is_digit(s->t[i + 1]) || !scan_small(s, i + 1, 12, 2, &m, &j))
    return 0;
  if (at(s, j, CH_TSUKI)) {
    if (need_day || (dash && !(gregorian && sep == '-')))
      return 0;
    push_date(s, start, j + 1, year, m, 0);
    return j + 1;
  }
  if (at(s, j, sep) && j + 1 < s->n && is_digit(s->t[j + 1])) {
    if (scan_small(s, j + 1, 31, 2, &d, &k) && !(k < s->n && (is_digit(s->t[k]) || s->t[k] == '.'))
        && valid_ymd(year, m, d)) {
      push_date(s, start, k, year, m, d);
      return k;
    }
    return 0;
  }
  if (j < s->n && (is_ascii_alnum(s->t[j]) || s->t[j] == '.' || s->t[j] == ','))
    return 0;
  if (need_day || dash || (gregorian && sep == '.'))
    return 0; /* a Gregorian "2022.5" or "2022-4" is a number, not a month */
  push_date(s, start, j, year, m, 0);
  return j;
}

/* "(YYYY)" at i: the Gregorian year written beside an era year. */
static gboolean paren_year(const Scan *s, gsize i, gint *year, gsize *end)
{
  if (i + 1 < s->n && s->t[i] == ' ' && s->t[i + 1] == '(')
    i++; /* "R6 (2024)" */
  if (i + 5 >= s->n || s->t[i] != '(' || s->t[i + 5] != ')')
    return FALSE;
  gint y = 0;
  for (gsize k = 1; k <= 4; k++) {
    if (!is_digit(s->t[i + k]))
      return FALSE;
    y = y * 10 + (s->t[i + k] - '0');
  }
  *year = y;
  *end = i + 6;
  return TRUE;
}

/* An era year at i: era name or letter (lower case too when `lower_ok`),
 * then digits, kanji numerals or 元, then an optional "(YYYY)".  Sets *year
 * (Gregorian) and *end.  Years past an era's end (平成32年度, written by
 * plans drafted before 2019) count on from the era's start, as ICU's lenient
 * Japanese calendar does: 平成32 = 2020. */
static gboolean scan_era_year(Scan *s, gsize i, gboolean lower_ok, const KkEra **era_out, gint *year,
                              gsize *end)
{
  const gunichar *t = s->t;
  const KkEra *era = kk_era_match_name(t + i, s->n - i);
  gsize j = i + 2;
  if (era == NULL) {
    if (t[i] >= 0x80 || (i > 0 && is_ascii_alnum(t[i - 1])))
      return FALSE;
    era = kk_era_match_letter(lower_ok ? (gunichar)g_ascii_toupper((gchar)t[i]) : t[i]);
    j = i + 1;
    if (era == NULL || j >= s->n || !(is_digit(t[j]) || t[j] == CH_GAN))
      return FALSE;
  }
  gint y;
  if (at(s, j, CH_GAN)) {
    y = 1;
    j++;
  } else if (!scan_small(s, j, 99, 2, &y, &j)) {
    return FALSE;
  }
  if (j < s->n && is_digit(t[j]))
    return FALSE;
  gint greg = era->start_year + y - 1, written;
  gsize k;
  if (paren_year(s, j, &written, &k)) {
    greg = written; /* the year the document wrote out wins */
    j = k;
  }
  *era_out = era;
  *year = greg;
  *end = j;
  return TRUE;
}

/* After a first fiscal year (its 年度 consumed, or bare) at i: a range
 * separator, a second year (era year, or a bare number of the same era, or a
 * Gregorian year when `gregorian`), 年度, optional まで.  Sets *to, *end. */
static gboolean scan_range_tail(Scan *s, gsize i, const KkEra *era, gboolean gregorian,
                                gboolean bare_ok, gint from, gint *to, gsize *end)
{
  gsize sep = range_sep(s->t, s->n, i);
  if (sep == 0)
    return FALSE;
  gsize j = i + sep;
  gint y;
  const KkEra *era2;
  gboolean explicit_era = FALSE;
  if (j < s->n && (kk_era_match_name(s->t + j, s->n - j) || (s->t[j] < 0x80 && kk_era_match_letter(s->t[j])))) {
    if (!scan_era_year(s, j, FALSE, &era2, &y, &j))
      return FALSE;
    explicit_era = TRUE;
  } else if (gregorian) {
    if (j + 4 > s->n)
      return FALSE;
    y = 0;
    for (gsize k = 0; k < 4; k++) {
      if (!is_digit(s->t[j + k]))
        return FALSE;
      y = y * 10 + (s->t[j + k] - '0');
    }
    j += 4;
    if (j < s->n && is_digit(s->t[j]))
      return FALSE;
  } else if (era != NULL) {
    gint ey;
    if (!scan_small(s, j, 99, 2, &ey, &j) || (j < s->n && is_digit(s->t[j])))
      return FALSE;
    y = era->start_year + ey - 1;
    gint written;
    gsize k;
    if (paren_year(s, j, &written, &k)) {
      y = written;
      j = k;
    }
  } else {
    return FALSE;
  }
  if (y < from)
    return FALSE; /* "R6-R3" is a difference column, not a range */
  if (at(s, j, CH_NEN) && at(s, j + 1, CH_DO))
    j += 2;
  else if (!(bare_ok && explicit_era && !(j < s->n && (s->t[j] == CH_NEN || is_ascii_alnum(s->t[j])))))
    return FALSE; /* "R4~R6" is a range of bare era years, "R4~6" is not */
  if (at(s, j, 0x307E) && at(s, j + 1, 0x3067)) /* まで */
    j += 2;
  *to = y;
  *end = j;
  return TRUE;
}

/* After a year (Gregorian, already converted) ending at j: 年度 (+ range),
 * 年 (+ month, day), dotted dates, or a bare-first range.  Returns the end of
 * what was pushed, or 0 when nothing follows that makes it a year. */
static gsize finish_year(Scan *s, gsize start, gsize j, const KkEra *era, gint year, gboolean gregorian)
{
  gint to;
  gsize k;
  if (at(s, j, CH_NEN) && at(s, j + 1, CH_DO)) {
    j += 2;
    if (scan_range_tail(s, j, era, gregorian, FALSE, year, &to, &k)) {
      push_year(s, KK_SPAN_FISCAL_YEAR_RANGE, start, k, year, to);
      return k;
    }
    push_year(s, KK_SPAN_FISCAL_YEAR, start, j, year, 0);
    return j;
  }
  if (at(s, j, CH_NEN)) {
    if (at(s, j + 1, 0x9593)) /* 年間: a duration */
      return 0;
    return finish_nen(s, start, j + 1, year);
  }
  if ((k = finish_numeric_date(s, start, j, year, gregorian, FALSE)) != 0)
    return k;
  if (scan_range_tail(s, j, era, gregorian, !gregorian, year, &to, &k)) {
    push_year(s, KK_SPAN_FISCAL_YEAR_RANGE, start, k, year, to);
    return k;
  }
  return 0;
}

/* 令和4年度, R6, 平成18(2006)年, 令和2年8月21日, R3.7月, R4~R6年度 … */
static gsize try_era(Scan *s, gsize i)
{
  const KkEra *era;
  gint year;
  gsize j;
  gboolean lower = s->t[i] < 0x80 && g_ascii_islower((gchar)s->t[i]);
  if (!scan_era_year(s, i, lower, &era, &year, &j))
    return 0;
  /* "r2.1.1": a lower-case era letter makes a date only in full; "r2" alone
   * is as likely a code or a revision as a year. */
  if (lower)
    return finish_numeric_date(s, i, j, year, FALSE, TRUE);
  s->era = era;
  gsize k = finish_year(s, i, j, era, year, FALSE);
  if (k != 0)
    return k;
  /* A bare era year: "R6", "R3実績", "令和4".  Without 年 these name fiscal
   * years in plans (table headers R7 R8 R9, schedule rows R3実績 R6計画),
   * so they are annotated as fiscal_year. */
  if (j < s->n && is_ascii_alpha(s->t[j]))
    return 0;
  push_year(s, KK_SPAN_FISCAL_YEAR, i, j, year, 0);
  return j;
}

/* 2022年度, 2023年10月18日, 2023/10/18, 2006(平成18)年, 2022~2024年度. */
static gsize try_gregorian(Scan *s, gsize i)
{
  const gunichar *t = s->t;
  if (i + 4 > s->n || (i > 0 && (is_ascii_alnum(t[i - 1]) || t[i - 1] == '.' || t[i - 1] == ',')))
    return 0;
  gint y = 0;
  for (gsize k = 0; k < 4; k++) {
    if (!is_digit(t[i + k]))
      return 0;
    y = y * 10 + (t[i + k] - '0');
  }
  gsize j = i + 4;
  if (j < s->n && (is_digit(t[j]) || t[j] == ','))
    return 0;
  if (y < 1868 || y > 2199)
    return 0;
  /* "2006(平成18)年": the era in parentheses only confirms. */
  if (at(s, j, '(')) {
    const KkEra *era;
    gint ey;
    gsize k;
    if (j + 1 < s->n && scan_era_year(s, j + 1, FALSE, &era, &ey, &k) && at(s, k, ')'))
      j = k + 1;
    else
      return 0;
  }
  return finish_year(s, i, j, NULL, y, TRUE);
}

/* Skips a token of digits, '.', ',', '-', ':', '/' (a code, a time, a
 * number too long): returns its end. */
static gsize skip_token(const Scan *s, gsize i)
{
  gsize j = i;
  while (j < s->n && (is_digit(s->t[j]) || ((s->t[j] == '.' || s->t[j] == ',' || s->t[j] == '-'
                                              || s->t[j] == ':' || s->t[j] == '/')
                                             && j + 1 < s->n && is_digit(s->t[j + 1]))))
    j++;
  return j > i ? j : i + 1;
}

/* A sign at i: △ ▲ マイナス − - +.  Returns its length (a following single
 * space included for △ ▲) and sets *neg, or 0. */
static gsize scan_sign(const Scan *s, gsize i, gboolean *neg)
{
  const gunichar *t = s->t;
  gunichar c = t[i];
  gsize len = 0;
  *neg = TRUE;
  if (c == 0x25B3 || c == 0x25B2) {     /* △ ▲ */
    len = 1;
    if (at(s, 1 + i, ' '))
      len = 2;
  } else if (c == 0x30DE && i + 3 < s->n && t[i + 1] == 0x30A4 && t[i + 2] == 0x30CA && t[i + 3] == 0x30B9) {
    len = 4;                             /* マイナス */
  } else if (c == '-' || c == 0x2212 || c == '+') {
    if (i > 0 && (is_ascii_alnum(t[i - 1]) || t[i - 1] == '-' || t[i - 1] == '.'))
      return 0;
    *neg = c != '+';
    len = 1;
  } else {
    return 0;
  }
  gsize j = i + len;
  if (j >= s->n || !(is_digit(t[j]) || (c == 0x30DE && is_kanji_numeral(t[j]))))
    return 0;
  return len;
}

/* 1億5,000万円, △12.8, 87.0%, 81件, 二十五, 526千円, 4年度 (era from context). */
static gsize try_number(Scan *s, gsize i)
{
  const gunichar *t = s->t;
  gsize n = s->n;
  gboolean neg = FALSE;
  gsize num = i + scan_sign(s, i, &neg);
  if (num == i)
    neg = FALSE;
  if (num >= n)
    return 0;
  gunichar first = t[num];
  if (is_digit(first) && num > 0 && (is_ascii_alpha(t[num - 1])
                                     || ((t[num - 1] == '-' || t[num - 1] == ':' || t[num - 1] == '/') && num > 1 && is_ascii_alnum(t[num - 2]))
                                     || (t[num - 1] == '.' && num > 1 && is_digit(t[num - 2]))))
    return skip_token(s, num); /* inside a word or code: A4, COVID-19, 1-1 */
  if (!is_digit(first) && !is_kanji_numeral(first))
    return 0;

  KkDecimal v;
  gsize j;
  NumInfo info;
  if (!scan_number_core(s, num, &v, &j, &info)) {
    if (is_digit(first))
      return skip_token(s, num);
    gsize k = num; /* a kanji run too long to be a number: skip it whole */
    while (k < n && (is_kanji_numeral(t[k]) || big_mult(t[k]) > 0))
      k++;
    return k > num + 1 ? k : 0;
  }
  gboolean kanji_only = !info.arabic;

  /* Codes, times, fractions, versions: 1-1, 13:30, 1/2, 1.2.3. */
  if (info.arabic && j + 1 < n && (t[j] == '-' || t[j] == ':' || t[j] == '/' || t[j] == '.') && is_digit(t[j + 1]))
    return skip_token(s, num);

  /* Month and day without a year are not values: skip "8月21日". */
  if (at(s, j, CH_TSUKI) && v.scale == 0 && num == i) {
    gsize k = j + 1, e;
    gint d;
    if (scan_small(s, k, 31, 2, &d, &e) && at(s, e, CH_HI))
      return e + 1;
    return k;
  }
  /* "4~6年度" after 令和3年度 in the same text: the same era. */
  if (s->era != NULL && num == i && info.arabic && v.scale == 0 && v.mantissa >= 1 && v.mantissa <= 99
      && range_sep(t, n, j) > 0) {
    gint year = s->era->start_year + (gint)v.mantissa - 1, to;
    gsize k;
    if (scan_range_tail(s, j, s->era, FALSE, FALSE, year, &to, &k)) {
      push_year(s, KK_SPAN_FISCAL_YEAR_RANGE, i, k, year, to);
      return k;
    }
  }
  /* "4年度" after 令和3年度 in the same text: the same era. */
  if (at(s, j, CH_NEN) && at(s, j + 1, CH_DO) && num == i && v.scale == 0 && v.mantissa >= 1 && v.mantissa <= 99) {
    if (s->era == NULL)
      return j + 2;
    gint year = s->era->start_year + (gint)v.mantissa - 1, to;
    gsize k;
    if (scan_range_tail(s, j + 2, s->era, FALSE, FALSE, year, &to, &k)) {
      push_year(s, KK_SPAN_FISCAL_YEAR_RANGE, i, k, year, to);
      return k;
    }
    push_year(s, KK_SPAN_FISCAL_YEAR, i, j + 2, year, 0);
    return j + 2;
  }

  /* "二〇二五年" / "二〇二二年度": a Gregorian year in kanji. */
  if (kanji_only && num == i && at(s, j, CH_NEN) && v.scale == 0 && v.mantissa >= 1868 && v.mantissa <= 2199) {
    gsize k = finish_year(s, i, j, NULL, (gint)v.mantissa, TRUE);
    if (k != 0)
      return k;
  }

  KkSpan sp = { .start = (guint32)i, .kind = KK_SPAN_NUMBER };
  gsize end = j;
  const Unit *unit = NULL;
  /* A cell line wrapped between a number and its 円 or % ("決算比180万" /
   * "円削減"): the value goes on over the break.  Other units do not, since
   * a line starting with 人 or 件 is as often a new word (人口, 件数). */
  if (at(s, j, '\n') && (at(s, j + 1, CH_EN) || at(s, j + 1, '%')) && !(kanji_only && j - num == 1))
    j++;
  else if (at(s, j, ' ') && at(s, j + 1, '%') && info.arabic)
    j++; /* "87.0 %" */
  if (at(s, j, CH_EN)) {
    /* "千円", "百万円" with no digit: a unit label (単位：千円), not 1000 yen. */
    if (kanji_only && info.kanji_digits == 0)
      return j + 1;
    sp.kind = KK_SPAN_AMOUNT;
    end = j + 1;
  } else if (at(s, j, '%')) {
    sp.kind = KK_SPAN_PERCENT;
    end = j + 1;
  } else if ((unit = match_unit(t, n, j)) != NULL) {
    if (unit->cp[0] == 0x30D1) { /* パーセント */
      sp.kind = KK_SPAN_PERCENT;
    } else {
      sp.kind = KK_SPAN_QUANTITY;
      sp.unit = unit->utf8;
    }
    end = j + unit->len;
  } else if (info.arabic && j < n && is_ascii_alpha(t[j])) {
    return skip_token(s, num); /* 5G, 3D */
  }

  if (kanji_only) {
    gsize len = j - num;
    gboolean isolated = (num > i || num == 0 || !is_word_char(t[num - 1])) && (j >= n || !is_word_char(t[j]));
    /* 第六次: an ordinal, unless a unit makes it a word (第三者) */
    isolated = isolated || (num == i && num > 0 && t[num - 1] == 0x7B2C && sp.kind == KK_SPAN_NUMBER);
    if (len == 1 && !isolated && (t[num] == 0x3007 /* 〇: a bullet or placeholder */
                                  || !((unit != NULL && unit->after_kanji) || sp.kind == KK_SPAN_AMOUNT
                                       || sp.kind == KK_SPAN_PERCENT)))
      return 0; /* 一般, 三井, 十分, 〇普通建設, 〇人: a word, not a number */
  }

  if (neg)
    v.mantissa = -v.mantissa;
  if (sp.kind == KK_SPAN_AMOUNT) {
    v.mantissa = dec_round(v);
    v.scale = 0;
  }
  sp.value = v;
  sp.end = (guint32)end;
  push(s, sp);
  return end;
}

/* Can a value start at t[i]? (cheap filter before the scanners) */
static inline gboolean may_start(gunichar c)
{
  if (c < 0x80)
    return is_digit(c) || c == '-' || c == '+' || (c >= 'A' && c <= 'Z') || c == 'm' || c == 't' || c == 's'
        || c == 'h' || c == 'r';
  return is_kanji_numeral(c) || c == 0x25B3 || c == 0x25B2 || c == 0x2212 || c == 0x30DE
      || (c >= 0x4E00 && c <= 0x9FFF); /* era names */
}

void kk_annotate_ucs4(const gunichar *t, gsize n, GArray *spans)
{
  Scan s = { .t = t, .n = n, .spans = spans, .era = NULL };
  gsize i = 0;
  while (i < n) {
    gunichar c = t[i];
    if (!may_start(c)) {
      i++;
      continue;
    }
    gsize end = 0;
    if (c >= 0x80 ? kk_era_match_name(t + i, n - i) != NULL : is_ascii_alpha(c))
      end = try_era(&s, i);
    if (end == 0 && is_digit(c))
      end = try_gregorian(&s, i);
    if (end == 0)
      end = try_number(&s, i);
    if (end > i) {
      i = end;
      continue;
    }
    /* Never start inside an ASCII word or digit run we could not use. */
    if (is_ascii_alpha(c)) {
      while (i < n && is_ascii_alnum(t[i]))
        i++;
      continue;
    }
    i++;
  }
}

/* ---- public wrappers ----------------------------------------------------------- */

GArray *kk_annotate_text(const char *normalized, gssize len)
{
  GArray *spans = g_array_new(FALSE, FALSE, sizeof(KkSpan));
  if (normalized == NULL)
    return spans;
  gsize ulen = len < 0 ? strlen(normalized) : (gsize)len;
  if (!g_utf8_validate_len(normalized, ulen, NULL))
    return spans;
  glong n = 0;
  gunichar *t = g_utf8_to_ucs4_fast(normalized, (glong)ulen, &n);
  kk_annotate_ucs4(t, (gsize)n, spans);
  g_free(t);
  return spans;
}

void kk_normalizer_annotate(KkNormalizer *n, GArray *spans)
{
  gsize len;
  const gunichar *t = kk_normalizer_ucs4(n, &len);
  g_array_set_size(spans, 0);
  kk_annotate_ucs4(t, len, spans);
}
