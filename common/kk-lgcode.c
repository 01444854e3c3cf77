/* kk-lgcode.c — see kk-lgcode.h */
#include "kk-lgcode.h"

#include <stdlib.h>
#include <string.h>

static const KkLgCode lg_codes[] = {
#include "common/data/lg-codes.inc"
};

static const KkLgWard lg_wards[] = {
#include "common/data/lg-wards.inc"
};

const KkLgCode *kk_lgcode_all(gsize *n_out)
{
  *n_out = G_N_ELEMENTS(lg_codes);
  return lg_codes;
}

const KkLgWard *kk_lgcode_wards(gsize *n_out)
{
  *n_out = G_N_ELEMENTS(lg_wards);
  return lg_wards;
}

static int cmp_code(const void *key, const void *entry)
{
  return strcmp(key, ((const KkLgCode *)entry)->lg_code);
}

const KkLgCode *kk_lgcode_by_code(const char *code)
{
  if (code == NULL)
    return NULL;
  /* the list runs in code order (test_load_lgcode checks it): binary
   * search, 11 comparisons instead of up to 1,788 */
  return bsearch(code, lg_codes, G_N_ELEMENTS(lg_codes), sizeof lg_codes[0], cmp_code);
}

gboolean kk_lgcode_check_digit_ok(const char *code)
{
  if (code == NULL || strlen(code) != 6)
    return FALSE;
  int sum = 0;
  for (int i = 0; i < 6; i++)
    if (!g_ascii_isdigit(code[i]))
      return FALSE;
  for (int i = 0; i < 5; i++)
    sum += (code[i] - '0') * (6 - i);
  return (11 - sum % 11) % 10 == code[5] - '0';
}

/* Returns the prefecture entry whose name starts `name`, or NULL. */
static const KkLgCode *leading_prefecture(const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS(lg_codes); i++)
    if (strcmp(lg_codes[i].kind, "prefecture") == 0 && g_str_has_prefix(name, lg_codes[i].name))
      return &lg_codes[i];
  return NULL;
}

const KkLgCode *kk_lgcode_lookup(const char *municipality, const char *prefecture,
                                 gboolean *ambiguous)
{
  if (ambiguous)
    *ambiguous = FALSE;
  if (municipality == NULL)
    return NULL;
  g_autofree char *name = g_strstrip(g_strdup(municipality));
  const char *pref = (prefecture && *prefecture) ? prefecture : NULL;
  const char *bare = name;
  const KkLgCode *lead = leading_prefecture(name);
  if (lead != NULL) {
    if (strcmp(name, lead->name) == 0)
      return (pref == NULL || strcmp(pref, lead->name) == 0) ? lead : NULL;
    if (pref != NULL && strcmp(pref, lead->name) != 0)
      return NULL; /* 福岡県小郡市 in 熊本県: contradictory */
    pref = lead->name;
    bare = name + strlen(lead->name);
  }
  if (*bare == '\0')
    return NULL;
  const KkLgCode *found = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS(lg_codes); i++) {
    const KkLgCode *c = &lg_codes[i];
    if (strcmp(c->kind, "prefecture") == 0 || strcmp(c->name, bare) != 0)
      continue;
    if (pref != NULL && strcmp(c->prefecture, pref) != 0)
      continue;
    if (found != NULL) {
      if (ambiguous)
        *ambiguous = TRUE; /* 府中市 without a prefecture */
      return NULL;
    }
    found = c;
  }
  return found;
}
