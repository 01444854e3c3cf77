/*
 * mkgazetteer.c — build/gen/mkgazetteer OUT: writes the name index of
 * common/kk-gazetteer.c as C tables (the Makefile runs it at build time),
 * so that a process finds the index in .rodata instead of hashing some
 * 5,000 names into fresh memory at its first scan.
 *
 * The index is built here as the gazetteer built it at run time until
 * then (index_build below), from the same compiled-in lists
 * (common/kk-lgcode.c), then written out:
 *  - gz_places[]: every place, the list's municipalities in list order
 *    then its wards, as { code index, ward index or GZ_NO_WARD, prefecture
 *    index in gz_prefs[] };
 *  - gz_prefs[]: the code index of each of the 47 prefectures, list order;
 *  - gz_keys: every key, NUL-terminated, one after the other;
 *  - gz_refs[]: the places of each name, in the order they were added;
 *  - for names and for readings: the names (Name, see kk-gazetteer.c) and
 *    an open-addressing table of their indices + 1 (0: empty slot) by
 *    kk_gz_hash() of the key, linear probing, at most half full.
 */
#include "common/kk-lgcode.h"
#include "common/data/gz-hash.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#define N_PREF 47
/* Readings shorter than this are common words (みどり, あさひ, つくば); the
 * same bound as MIN_READING in common/kk-gazetteer.c (it looks no shorter
 * reading up). */
#define MIN_READING 4

typedef struct Place {
  const KkLgCode *code;  /* prefecture, municipality, or a ward's city */
  const KkLgWard *ward;  /* a designated city's ward, or NULL */
  int pref;              /* index of its prefecture in Index.prefs */
} Place;

/* A name (or reading) and every place it may mean, in the order added. */
typedef struct {
  const char *key;
  GPtrArray *places;     /* const Place* */
  gboolean is_pref;      /* a prefecture's name */
  gboolean unique;       /* every place is one municipality (a ward: its city) */
  gboolean one_pref;     /* every place lies in one prefecture */
} Name;

typedef struct {
  GHashTable *by_name;    /* kanji name -> Name* */
  GHashTable *by_reading; /* hiragana reading -> Name* */
  Place *places;
  GStringChunk *keys;
  const KkLgCode *prefs[N_PREF];
  int max_name, max_reading; /* in code points */
} Index;

/* Adds `place` to the places `key` may mean. */
static void index_add(Index *ix, GHashTable *h, const char *key, const Place *place, int *max_len)
{
  Name *n = g_hash_table_lookup(h, key);
  if (n == NULL) {
    n = g_new0(Name, 1);
    n->key = key;
    n->places = g_ptr_array_new();
    g_ptr_array_add(n->places, (gpointer)place);
    n->unique = n->one_pref = TRUE;
    n->is_pref = place->ward == NULL && strcmp(place->code->kind, "prefecture") == 0;
    g_hash_table_insert(h, (gpointer)n->key, n);
    *max_len = MAX(*max_len, (int)g_utf8_strlen(key, -1));
    return;
  }
  for (guint i = 0; i < n->places->len; i++) {
    const Place *p = g_ptr_array_index(n->places, i);
    if (p == place)
      return;
    if (p->code != place->code)
      n->unique = FALSE;
    if (p->pref != place->pref)
      n->one_pref = FALSE;
  }
  g_ptr_array_add(n->places, (gpointer)place);
}

/* Indexes the reading of a municipality: whole (おといねっぷむら) and
 * without the reading of 市/町/村/区 (おといねっぷ), each when long enough. */
static void index_reading(Index *ix, const Place *place)
{
  static const char *const suffix[][3] = {
    { "市", "し", NULL }, { "町", "ちょう", "まち" }, { "村", "むら", "そん" }, { "区", "く", NULL },
  };
  const char *name = place->code->name, *reading = place->code->reading;
  if (reading == NULL || *reading == '\0')
    return;
  if (g_utf8_strlen(reading, -1) >= MIN_READING)
    index_add(ix, ix->by_reading, reading, place, &ix->max_reading);
  for (guint s = 0; s < G_N_ELEMENTS(suffix); s++) {
    if (!g_str_has_suffix(name, suffix[s][0]))
      continue;
    for (int r = 1; r < 3 && suffix[s][r]; r++) {
      if (!g_str_has_suffix(reading, suffix[s][r]))
        continue;
      gsize len = strlen(reading) - strlen(suffix[s][r]);
      if (g_utf8_strlen(reading, (gssize)len) >= MIN_READING)
        index_add(ix, ix->by_reading, g_string_chunk_insert_len(ix->keys, reading, (gssize)len), place,
                  &ix->max_reading);
    }
  }
}

static Index *index_build(const KkLgCode *codes, gsize nc, const KkLgWard *wards, gsize nw)
{
  Index *ix = g_new0(Index, 1);
  ix->places = g_new0(Place, nc + nw);
  ix->keys = g_string_chunk_new(4096);
  ix->by_name = g_hash_table_new(g_str_hash, g_str_equal);
  ix->by_reading = g_hash_table_new(g_str_hash, g_str_equal);
  int np = 0;
  for (gsize i = 0; i < nc && np < N_PREF; i++)
    if (strcmp(codes[i].kind, "prefecture") == 0)
      ix->prefs[np++] = &codes[i];
  g_assert(np == N_PREF);
  for (gsize i = 0; i < nc + nw; i++) {
    Place *p = &ix->places[i];
    const char *pref_name;
    if (i < nc) {
      p->code = &codes[i];
      pref_name = codes[i].prefecture;
    } else {
      p->ward = &wards[i - nc];
      p->code = kk_lgcode_by_code(p->ward->city_code);
      g_assert(p->code != NULL);
      pref_name = p->ward->prefecture;
    }
    p->pref = -1;
    for (int k = 0; k < N_PREF && p->pref < 0; k++)
      if (strcmp(ix->prefs[k]->name, pref_name) == 0)
        p->pref = k;
    g_assert(p->pref >= 0);
    if (p->ward != NULL) {
      /* 札幌市中央区, and 中央区 alone (which Tokyo's special ward shares) */
      g_autofree char *full = g_strconcat(p->ward->city, p->ward->name, NULL);
      index_add(ix, ix->by_name, g_string_chunk_insert(ix->keys, full), p, &ix->max_name);
      index_add(ix, ix->by_name, p->ward->name, p, &ix->max_name);
    } else {
      index_add(ix, ix->by_name, p->code->name, p, &ix->max_name);
      if (strcmp(p->code->kind, "prefecture") != 0)
        index_reading(ix, p);
    }
  }
  return ix;
}

static int compare_keys(gconstpointer a, gconstpointer b)
{
  return strcmp(((const Name *const *)a)[0]->key, ((const Name *const *)b)[0]->key);
}

/* Appends `s` to `out` as the bytes of a C string literal. */
static void c_string(GString *out, const char *s)
{
  g_string_append_c(out, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_printf(out, "\\%c", *p);
    else if (*p < 0x20 || *p == 0x7f)
      g_string_append_printf(out, "\\%03o", *p);
    else
      g_string_append_c(out, (char)*p);
  }
  g_string_append(out, "\\000\"");
}

/* Writes one table (`prefix`: gz_name or gz_reading): its names, key
 * offsets and refs appended to `keys` and `refs`, and its slots. */
static void write_table(GString *out, GString *keys, gsize *keys_len, GString *refs, guint *n_refs,
                        GHashTable *h, const Index *ix, const char *prefix)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new();
  GHashTableIter it;
  gpointer v;
  g_hash_table_iter_init(&it, h);
  while (g_hash_table_iter_next(&it, NULL, &v))
    g_ptr_array_add(names, v);
  g_ptr_array_sort(names, compare_keys);
  guint n = names->len;
  guint n_slots = 16;
  while (n_slots < 2 * n)
    n_slots *= 2;
  g_assert(n < 65535);
  guint16 *slots = g_new0(guint16, n_slots);
  g_string_append_printf(out, "/* { key, first ref, places, is_pref, unique, one_pref } */\n"
                              "static const Name %s_names[%u] = {\n", prefix, n);
  for (guint i = 0; i < n; i++) {
    const Name *nm = g_ptr_array_index(names, i);
    g_assert(*keys_len < G_MAXUINT32 && *n_refs + nm->places->len < 65536);
    g_string_append_printf(out, "  { %zu, %u, %u, %d, %d, %d },\n", *keys_len, *n_refs, nm->places->len,
                           nm->is_pref, nm->unique, nm->one_pref);
    c_string(keys, nm->key);
    g_string_append_printf(keys, " /* %zu */\n", *keys_len);
    *keys_len += strlen(nm->key) + 1;
    for (guint k = 0; k < nm->places->len; k++) {
      const Place *p = g_ptr_array_index(nm->places, k);
      g_string_append_printf(refs, "%s%td,", *n_refs % 16 ? " " : "\n  ", p - ix->places);
      (*n_refs)++;
    }
    guint32 s = kk_gz_hash(nm->key) & (n_slots - 1);
    while (slots[s] != 0)
      s = (s + 1) & (n_slots - 1);
    slots[s] = (guint16)(i + 1);
  }
  g_string_append_printf(out, "};\n\nstatic const guint16 %s_slots[%u] = {", prefix, n_slots);
  for (guint s = 0; s < n_slots; s++)
    g_string_append_printf(out, "%s%u,", s % 16 ? " " : "\n  ", slots[s]);
  g_string_append(out, "\n};\n\n");
  g_free(slots);
}

int main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: mkgazetteer OUT.inc\n");
    return 2;
  }
  gsize nc = 0, nw = 0;
  const KkLgCode *codes = kk_lgcode_all(&nc);
  const KkLgWard *wards = kk_lgcode_wards(&nw);
  Index *ix = index_build(codes, nc, wards, nw);
  g_assert(nc + nw < 65535);

  GString *out = g_string_new("/* generated by common/data/mkgazetteer.c from common/data/lg-codes.inc and\n"
                              " * lg-wards.inc; do not edit */\n\n");
  g_string_append_printf(out, "#define GZ_N_CODES %zu\n#define GZ_N_WARDS %zu\n#define GZ_MAX_NAME %d\n"
                              "#define GZ_MAX_READING %d\n\n", nc, nw, ix->max_name, ix->max_reading);
  g_string_append(out, "static const guint16 gz_prefs[N_PREF] = {");
  for (int k = 0; k < N_PREF; k++)
    g_string_append_printf(out, "%s%td,", k % 16 ? " " : "\n  ", ix->prefs[k] - codes);
  g_string_append(out, "\n};\n\n/* { code, ward, pref } */\nstatic const Place gz_places[] = {\n");
  for (gsize i = 0; i < nc + nw; i++) {
    const Place *p = &ix->places[i];
    g_string_append_printf(out, "  { %td, %td, %d },\n", p->code - codes,
                           p->ward ? p->ward - wards : (ptrdiff_t)0xffff, p->pref);
  }
  g_string_append(out, "};\n\n");
  GString *keys = g_string_new(NULL), *refs = g_string_new(NULL);
  gsize keys_len = 0;
  guint n_refs = 0;
  write_table(out, keys, &keys_len, refs, &n_refs, ix->by_name, ix, "gz_name");
  write_table(out, keys, &keys_len, refs, &n_refs, ix->by_reading, ix, "gz_reading");
  g_string_append_printf(out, "static const guint16 gz_refs[%u] = {%s\n};\n\n", n_refs, refs->str);
  g_string_append_printf(out, "static const char gz_keys[%zu] =\n%s;\n", keys_len, keys->str);

  g_autofree char *tmp = g_strconcat(argv[1], ".tmp", NULL);
  g_autoptr(GError) error = NULL;
  if (!g_file_set_contents(tmp, out->str, (gssize)out->len, &error) || rename(tmp, argv[1]) != 0) {
    fprintf(stderr, "mkgazetteer: %s: %s\n", argv[1], error ? error->message : g_strerror(errno));
    return 1;
  }
  return 0;
}
