/*
 * kk-era.c — Japanese eras from ICU's Japanese calendar.
 *
 * No hand-kept table of era start years: at first use we open
 * "ja_JP@calendar=japanese", find the era in force on 1873-01-01 (the day
 * Japan adopted the Gregorian calendar, so dates of that era and later are
 * Gregorian dates) and, for it and every later era up to ICU's maximum, read
 * the Gregorian year of 元年 (UCAL_EXTENDED_YEAR with ERA=e, YEAR=1), the
 * Japanese name from the era names of "ja@calendar=japanese" and the
 * one-letter form (M T S H R) as the initial of the romanized name from
 * "en@calendar=japanese" (the strings a date format's UDAT_ERA_NAMES
 * gives, read from ICU's locale data: see open_era_names()).  A new era in a future ICU is picked up for free.
 * Older eras are left out on purpose: their names (文化, 天保, 安政 …) are
 * ordinary words in these documents.
 *
 * The table is built once (g_once) and read-only afterwards, so it is safe
 * to use from any thread; conversions are then table look-ups.
 */
#include "kk-normalize-private.h"

#include <string.h>
#include <unicode/ucal.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>

#define KK_MAX_ERAS 16

static KkEra era_table[KK_MAX_ERAS];
static guint era_count;

/* Era `era`'s name in `names` (from era_names()) as UTF-8 in `utf8`. */
static gboolean era_symbol(UResourceBundle *names, gint32 era, char *utf8, gsize cap)
{
  if (names == NULL)
    return FALSE;
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = 0;
  const UChar *name = ures_getStringByIndex(names, era, &n, &status);
  if (U_FAILURE(status) || n <= 0 || n >= 32)
    return FALSE;
  u_strToUTF8(utf8, (int32_t)cap, NULL, name, n, &status);
  return U_SUCCESS(status) && status != U_STRING_NOT_TERMINATED_WARNING;
}

/* The Japanese calendar's era names of `locale` alone (no fallback):
 * calendar/japanese/eras/wide, or the abbreviated ones where CLDR gives
 * no wide ones (as DateFormatSymbols falls back); NULL when it has
 * neither.  `bundle` receives the locale's bundle, to close after. */
static UResourceBundle *eras_of(const char *locale, UResourceBundle **bundle)
{
  UErrorCode status = U_ZERO_ERROR;
  *bundle = ures_openDirect(NULL, locale, &status);
  UResourceBundle *eras = ures_getByKey(*bundle, "calendar", NULL, &status);
  eras = ures_getByKey(eras, "japanese", eras, &status);
  eras = ures_getByKey(eras, "eras", eras, &status);
  UResourceBundle *names = NULL;
  if (U_SUCCESS(status)) {
    UErrorCode st = U_ZERO_ERROR;
    names = ures_getByKey(eras, "wide", NULL, &st);
    if (st == U_MISSING_RESOURCE_ERROR) {
      st = U_ZERO_ERROR;
      names = ures_getByKey(eras, "abbreviated", names, &st);
    }
    if (U_FAILURE(st)) {
      ures_close(names);
      names = NULL;
    }
  }
  ures_close(eras);
  return names;
}

/* The era names (UDAT_ERA_NAMES) of a date format of
 * "`locale`@calendar=japanese", read from ICU's locale data directly: the
 * locale's own, else root's, whose wide names are the requesting locale's
 * abbreviated ones (an alias) or else its own abbreviated ones.  Opening a
 * date format for them cost 2 M instructions and some 80 page faults per
 * process (number formats, patterns, the time zone); this reads the same
 * strings.  NULL if there are none.  Close `bundles` after. */
static UResourceBundle *open_era_names(const char *locale, UResourceBundle *bundles[2])
{
  UResourceBundle *names = eras_of(locale, &bundles[0]);
  if (names == NULL)
    names = eras_of("root", &bundles[1]);
  return names;
}

static gpointer build_era_table(gpointer unused)
{
  UErrorCode status = U_ZERO_ERROR;
  UCalendar *cal = ucal_open(NULL, 0, "ja_JP@calendar=japanese", UCAL_DEFAULT, &status);
  if (U_FAILURE(status))
    return NULL;
  ucal_setAttribute(cal, UCAL_LENIENT, 1);
  /* The era in force on 1873-01-01: set through the extended (Gregorian)
   * year, which the Japanese calendar shares with the Gregorian one. */
  ucal_clear(cal);
  ucal_set(cal, UCAL_EXTENDED_YEAR, 1873);
  ucal_set(cal, UCAL_MONTH, UCAL_JANUARY);
  ucal_set(cal, UCAL_DATE, 1);
  gint32 first = ucal_get(cal, UCAL_ERA, &status);
  gint32 last = ucal_getLimit(cal, UCAL_ERA, UCAL_MAXIMUM, &status);
  if (U_FAILURE(status) || first < 0 || last < first) {
    ucal_close(cal);
    return NULL;
  }
  UResourceBundle *bundles[4] = { NULL, NULL, NULL, NULL };
  UResourceBundle *ja = open_era_names("ja", bundles);
  UResourceBundle *en = open_era_names("en", bundles + 2);
  for (gint32 era = first; era <= last && era_count < KK_MAX_ERAS; era++) {
    KkEra *e = &era_table[era_count];
    char roman[64];
    status = U_ZERO_ERROR;
    ucal_clear(cal);
    ucal_set(cal, UCAL_ERA, era);
    ucal_set(cal, UCAL_YEAR, 1);
    e->start_year = ucal_get(cal, UCAL_EXTENDED_YEAR, &status);
    if (U_FAILURE(status))
      continue;
    if (!era_symbol(ja, era, e->name_utf8, sizeof e->name_utf8)
        || g_utf8_strlen(e->name_utf8, -1) != 2
        || !era_symbol(en, era, roman, sizeof roman)
        || !g_ascii_isalpha(roman[0]))
      continue;
    e->name[0] = g_utf8_get_char(e->name_utf8);
    e->name[1] = g_utf8_get_char(g_utf8_next_char(e->name_utf8));
    e->letter = (gunichar)g_ascii_toupper(roman[0]);
    era_count++;
  }
  ures_close(ja);
  ures_close(en);
  for (int b = 0; b < 4; b++)
    ures_close(bundles[b]);
  ucal_close(cal);
  return NULL;
}

/* Set (once, after the table is built) for the hot path of
 * kk_era_match_name(), which the annotator calls on every ideograph. */
static gint table_ready;

const KkEra *kk_era_table(guint *n_eras)
{
  static GOnce once = G_ONCE_INIT;
  g_once(&once, build_era_table, NULL);
  g_atomic_int_set(&table_ready, 1);
  *n_eras = era_count;
  return era_count ? era_table : NULL;
}

const KkEra *kk_era_match_name(const gunichar *t, gsize n)
{
  if (n < 2)
    return NULL;
  if (G_UNLIKELY(!g_atomic_int_get(&table_ready))) {
    guint count;
    kk_era_table(&count);
  }
  for (guint i = 0; i < era_count; i++)
    if (era_table[i].name[0] == t[0] && era_table[i].name[1] == t[1])
      return &era_table[i];
  return NULL;
}

const KkEra *kk_era_match_letter(gunichar c)
{
  guint count;
  const KkEra *eras = kk_era_table(&count);
  /* Latest first: should two eras ever share an initial, the recent one is
   * the one a plan means. */
  for (guint i = count; i-- > 0;)
    if (eras[i].letter == c)
      return &eras[i];
  return NULL;
}

gint kk_era_to_gregorian(const char *era, gint era_year)
{
  if (era == NULL || era_year < 1 || era_year > 99)
    return 0;
  const KkEra *e = NULL;
  if (era[0] != '\0' && era[1] == '\0')
    e = kk_era_match_letter((gunichar)g_ascii_toupper(era[0]));
  else if (g_utf8_validate(era, -1, NULL) && g_utf8_strlen(era, -1) == 2) {
    gunichar t[2] = { g_utf8_get_char(era), g_utf8_get_char(g_utf8_next_char(era)) };
    e = kk_era_match_name(t, 2);
  }
  return e ? e->start_year + era_year - 1 : 0;
}

gint kk_fiscal_year_of_date(gint year, gint month)
{
  if (month < 1 || month > 12)
    return 0;
  return month >= 4 ? year : year - 1;
}
