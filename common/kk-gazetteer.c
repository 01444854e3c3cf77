/* kk-gazetteer.c — see kk-gazetteer.h */
#include "common/kk-gazetteer.h"
#include "common/kk-error.h"

#include "common/data/gz-hash.h"

#include <string.h>

#define N_PREF 47
#define MAX_TEXT (1024u * 1024u)
/* Readings shorter than this are common words (みどり, あさひ, つくば). */
#define MIN_READING 4

/* How much a mention says about the document, by where it stands. */
static const double where_weight[KK_GZ_N_WHERE] = { 20, 10, 5, 1, 0, 100 };

/* ------------------------------------------------------------- the index */

/* The index is built at build time (common/data/mkgazetteer.c writes
 * build/gen/kk-gazetteer-index.inc from the compiled-in lists): const
 * tables in .rodata, nothing to build, hash or allocate at run time. */

/* A place a name may mean, by its indices in the compiled-in lists. */
typedef struct {
  guint16 code;  /* prefecture, municipality, or a ward's city: in kk_lgcode_all() */
  guint16 ward;  /* a designated city's ward in kk_lgcode_wards(), or GZ_NO_WARD */
  guint8 pref;   /* index of its prefecture in gz_prefs */
} Place;

#define GZ_NO_WARD 0xffff

/* A name (or reading) and every place it may mean: places
 * gz_refs[first .. first + n_places), in the order the lists give them. */
typedef struct {
  guint32 key;           /* offset of its NUL-terminated key in gz_keys */
  guint16 first;
  guint16 n_places;
  guint8 is_pref;        /* a prefecture's name */
  guint8 unique;         /* every place is one municipality (a ward: its city) */
  guint8 one_pref;       /* every place lies in one prefecture */
} Name;

#include "build/gen/kk-gazetteer-index.inc"

/* Place i (0 <= i < n->n_places) of name `n`, in the order added. */
static const Place *place_of(const Name *n, guint i)
{
  return &gz_places[gz_refs[n->first + i]];
}

/* The key of name `n` (札幌市中央区, おといねっぷ). */
static const char *name_key(const Name *n)
{
  return gz_keys + n->key;
}

/* The municipality (or prefecture) of place `p`: a ward's city. */
static const KkLgCode *place_code(const Place *p)
{
  gsize n;
  return kk_lgcode_all(&n) + p->code;
}

/* The ward of place `p`, or NULL. */
static const KkLgWard *place_ward(const Place *p)
{
  gsize n;
  return p->ward == GZ_NO_WARD ? NULL : kk_lgcode_wards(&n) + p->ward;
}

/* Prefecture k (0 <= k < N_PREF), in list order. */
static const KkLgCode *pref_code(int k)
{
  gsize n;
  return kk_lgcode_all(&n) + gz_prefs[k];
}

/* The name whose key is `key` in table `names` with open-addressing
 * `slots` (n_slots a power of two, never full), or NULL. */
static const Name *lookup(const Name *names, const guint16 *slots, guint32 n_slots, const char *key)
{
  for (guint32 s = kk_gz_hash(key) & (n_slots - 1);; s = (s + 1) & (n_slots - 1)) {
    if (slots[s] == 0)
      return NULL;
    const Name *n = &names[slots[s] - 1];
    if (strcmp(name_key(n), key) == 0)
      return n;
  }
}

/* The name (kanji: 札幌市, 中央区, 北海道) whose key is `key`, or NULL. */
static const Name *lookup_name(const char *key)
{
  return lookup(gz_name_names, gz_name_slots, G_N_ELEMENTS(gz_name_slots), key);
}

/* The reading (hiragana: おといねっぷ) whose key is `key`, or NULL. */
static const Name *lookup_reading(const char *key)
{
  return lookup(gz_reading_names, gz_reading_slots, G_N_ELEMENTS(gz_reading_slots), key);
}

/* ------------------------------------------------------------- the scan */

/* What the document said of one name. */
typedef struct {
  const Name *name;
  double voice;       /* Σ weights of the mentions where it stands for itself */
  double cover_voice; /* the part from title, metadata, cover, rule */
  double title_voice; /* the part from title, metadata, rule */
  guint ctx;          /* every mention, data and qualifiers too */
  double *qual;       /* per place of the name: weight of the mentions a
                       * prefecture before it restricted to that place */
} Tally;

struct KkGazetteerScan {
  GHashTable *tally;  /* const Name* -> Tally* */
  guint self_ref[4];  /* the document calls itself a 県, 都, 府, 道 */
  /* scratch of scan_text: the text without whitespace, its code points and
   * the byte offset of each (plus the end) */
  GString *sq;
  GArray *cps, *off;
};

static void tally_free(gpointer data)
{
  Tally *t = data;
  g_free(t->qual);
  g_free(t);
}

KkGazetteerScan *kk_gazetteer_scan_new(void)
{
  KkGazetteerScan *s = g_new0(KkGazetteerScan, 1);
  gsize nc = 0, nw = 0;
  kk_lgcode_all(&nc);
  kk_lgcode_wards(&nw);
  g_assert(nc == GZ_N_CODES && nw == GZ_N_WARDS); /* the index is of these lists */
  s->tally = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, tally_free);
  s->sq = g_string_new(NULL);
  s->cps = g_array_new(FALSE, FALSE, sizeof(gunichar));
  s->off = g_array_new(FALSE, FALSE, sizeof(guint32));
  return s;
}

void kk_gazetteer_scan_free(KkGazetteerScan *s)
{
  if (s == NULL)
    return;
  g_hash_table_unref(s->tally);
  g_string_free(s->sq, TRUE);
  g_array_unref(s->cps);
  g_array_unref(s->off);
  g_free(s);
}

/* Counts one mention of `n` standing `where`; `qualifier` when it is a
 * prefecture written right before a municipality; `qual_pref` (or -1) the
 * prefecture written right before it. */
static void record(KkGazetteerScan *s, const Name *n, KkGzWhere where, gboolean qualifier, int qual_pref)
{
  Tally *t = g_hash_table_lookup(s->tally, n);
  if (t == NULL) {
    t = g_new0(Tally, 1);
    t->name = n;
    g_hash_table_insert(s->tally, (gpointer)n, t);
  }
  t->ctx++;
  if (qualifier)
    return;
  double w = where_weight[where];
  t->voice += w;
  if (where != KK_GZ_BODY && where != KK_GZ_DATA)
    t->cover_voice += w;
  if (where == KK_GZ_TITLE || where == KK_GZ_META || where == KK_GZ_RULE)
    t->title_voice += w;
  if (qual_pref < 0 || n->unique)
    return;
  if (t->qual == NULL)
    t->qual = g_new0(double, n->n_places);
  for (guint i = 0; i < n->n_places; i++)
    if (place_of(n, i)->pref == qual_pref)
      t->qual[i] += MAX(w, 1);
}

static gboolean is_suffix(gunichar c)
{
  return c == 0x5E02 /* 市 */ || c == 0x753A /* 町 */ || c == 0x6751 /* 村 */ || c == 0x533A /* 区 */ ||
         c == 0x90FD /* 都 */ || c == 0x9053 /* 道 */ || c == 0x5E9C /* 府 */ || c == 0x770C /* 県 */;
}

static gboolean is_kana(gunichar c)
{
  return (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30F6) || c == 0x30FC;
}

/* The key of code points [a, b) of the squeezed text, in `buf`; FALSE if it
 * does not fit. */
static gboolean key_of(const KkGazetteerScan *s, int a, int b, char *buf, gsize size)
{
  guint32 b0 = g_array_index(s->off, guint32, a), b1 = g_array_index(s->off, guint32, b);
  if (b1 - b0 >= size)
    return FALSE;
  memcpy(buf, s->sq->str + b0, b1 - b0);
  buf[b1 - b0] = '\0';
  return TRUE;
}

typedef struct {
  int start, end;
  const Name *name;
} Match;

/* The names in the squeezed text, longest at each end position, a name
 * inside a longer one dropped (札幌市 inside 札幌市中央区). */
static GArray *find_names(const KkGazetteerScan *s)
{
  GArray *ms = g_array_new(FALSE, FALSE, sizeof(Match));
  const gunichar *cp = (const gunichar *)s->cps->data;
  int n = (int)s->cps->len;
  char key[128];
  for (int j = 0; j < n; j++) {
    if (!is_suffix(cp[j]))
      continue;
    for (int len = MIN(GZ_MAX_NAME, j + 1); len >= 2; len--) {
      if (!key_of(s, j + 1 - len, j + 1, key, sizeof key))
        continue;
      const Name *nm = lookup_name(key);
      if (nm == NULL)
        continue;
      Match m = { j + 1 - len, j + 1, nm };
      while (ms->len > 0 && g_array_index(ms, Match, ms->len - 1).start >= m.start)
        g_array_set_size(ms, ms->len - 1);
      g_array_append_val(ms, m);
      break;
    }
  }
  return ms;
}

/* Readings in kana (title, cover, metadata, rules only): a run of kana that
 * begins with a reading, followed by the end of the run or a particle. */
static void find_readings(KkGazetteerScan *s, KkGzWhere where)
{
  static const char particles[] = "のはがをにでとへやも";
  const gunichar *cp = (const gunichar *)s->cps->data;
  int n = (int)s->cps->len;
  char key[256];
  for (int i = 0; i < n; i++) {
    if (!is_kana(cp[i]) || (i > 0 && is_kana(cp[i - 1])))
      continue;
    int run = i;
    while (run < n && is_kana(cp[run]))
      run++;
    for (int len = MIN(GZ_MAX_READING, run - i); len >= MIN_READING; len--) {
      if (i + len < run) {
        gunichar after = cp[i + len] >= 0x30A1 && cp[i + len] <= 0x30F6 ? cp[i + len] - 0x60 : cp[i + len];
        char ab[8] = { 0 };
        g_unichar_to_utf8(after, ab);
        if (strstr(particles, ab) == NULL)
          continue;
      }
      /* katakana as hiragana */
      GString *k = g_string_new(NULL);
      for (int c = i; c < i + len; c++)
        g_string_append_unichar(k, cp[c] >= 0x30A1 && cp[c] <= 0x30F6 ? cp[c] - 0x60 : cp[c]);
      gboolean fits = k->len < sizeof key;
      if (fits)
        memcpy(key, k->str, k->len + 1);
      g_string_free(k, TRUE);
      const Name *nm = fits ? lookup_reading(key) : NULL;
      if (nm != NULL) {
        record(s, nm, where, FALSE, -1);
        break;
      }
    }
    i = run - 1;
  }
}

/* TRUE if code point `cp` of the squeezed text lies inside the name of a
 * prefecture among `ms` (the 本県 of 熊本県, the 県内 of 熊本県内). */
static gboolean inside_prefecture(const GArray *ms, int cp)
{
  for (guint i = 0; i < ms->len; i++) {
    const Match *m = &g_array_index(ms, Match, i);
    if (m->name->is_pref && cp >= m->start && cp < m->end)
      return TRUE;
  }
  return FALSE;
}

/* TRUE if `word` occurs in the squeezed text outside prefecture names. */
static gboolean has_word(const KkGazetteerScan *s, const GArray *ms, const char *word)
{
  const char *t = s->sq->str;
  const guint32 *off = (const guint32 *)s->off->data;
  for (const char *at = strstr(t, word); at != NULL; at = strstr(at + 1, word)) {
    /* the code point at byte `at`: off is increasing */
    guint32 b = (guint32)(at - t), lo = 0, hi = s->cps->len;
    while (lo < hi) {
      guint32 mid = (lo + hi) / 2;
      if (off[mid] < b)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (!inside_prefecture(ms, (int)lo))
      return TRUE;
  }
  return FALSE;
}

/* Counts the words by which a prefecture speaks of itself: 本県 and 当県
 * anywhere; 県内, 県民 (都内, 府民, 道内 …) on the title, cover, metadata;
 * never inside a prefecture's name (熊本県). */
static void find_self_references(KkGazetteerScan *s, const GArray *ms, KkGzWhere where)
{
  static const char *const anywhere[] = { "本県", "当県" };
  static const char *const cover[4][2] = {
    { "県内", "県民" }, { "都内", "都民" }, { "府内", "府民" }, { "道内", "道民" },
  };
  for (guint i = 0; i < G_N_ELEMENTS(anywhere); i++)
    if (has_word(s, ms, anywhere[i]))
      s->self_ref[0]++;
  if (where == KK_GZ_BODY || where == KK_GZ_DATA)
    return;
  for (int k = 0; k < 4; k++)
    if (has_word(s, ms, cover[k][0]) || has_word(s, ms, cover[k][1]))
      s->self_ref[k]++;
}

void kk_gazetteer_scan_text(KkGazetteerScan *s, const char *text, KkGzWhere where)
{
  if (s == NULL || text == NULL || (int)where < 0 || where >= KK_GZ_N_WHERE)
    return;
  gsize len = strnlen(text, MAX_TEXT);
  /* the text without whitespace: at most len code points */
  g_string_set_size(s->sq, len);
  g_array_set_size(s->cps, len);
  g_array_set_size(s->off, len + 1);
  gunichar *cps = (gunichar *)s->cps->data;
  guint32 *off = (guint32 *)s->off->data;
  char *sq = s->sq->str;
  guint32 n = 0, bytes = 0;
  const char *p = text, *end = text + len;
  while (p < end) {
    gunichar c = g_utf8_get_char_validated(p, end - p);
    if (c == (gunichar)-1 || c == (gunichar)-2 || c == 0)
      break;
    const char *next = g_utf8_next_char(p);
    if (!g_unichar_isspace(c)) {
      off[n] = bytes;
      cps[n++] = c;
      memcpy(sq + bytes, p, next - p);
      bytes += next - p;
    }
    p = next;
  }
  off[n] = bytes;
  g_string_truncate(s->sq, bytes);
  g_array_set_size(s->cps, n);
  g_array_set_size(s->off, n + 1);

  g_autoptr(GArray) ms = find_names(s);
  for (guint k = 0; k < ms->len; k++) {
    const Match *m = &g_array_index(ms, Match, k);
    const Match *prev = k > 0 ? &g_array_index(ms, Match, k - 1) : NULL;
    const Match *next = k + 1 < ms->len ? &g_array_index(ms, Match, k + 1) : NULL;
    if (m->name->is_pref) {
      /* 北海道音威子府村: the prefecture only says where the village is */
      gboolean qualifier = next != NULL && next->start == m->end && !next->name->is_pref;
      record(s, m->name, where, qualifier, -1);
    } else {
      int qual_pref = -1;
      if (prev != NULL && prev->end == m->start && prev->name->is_pref)
        qual_pref = place_of(prev->name, 0)->pref;
      record(s, m->name, where, FALSE, qual_pref);
    }
  }
  if (where != KK_GZ_BODY && where != KK_GZ_DATA)
    find_readings(s, where);
  find_self_references(s, ms, where);
}

/* ------------------------------------------------------------ deciding */

/* A municipality the document may be about, with what was said of it. */
typedef struct {
  const KkLgCode *code;  /* NULL for a name several municipalities share */
  const Tally *group;    /* that name (code == NULL) */
  double voice;
} Cand;

static int compare_cands(gconstpointer a, gconstpointer b)
{
  const Cand *x = a, *y = b;
  if (x->voice != y->voice)
    return x->voice < y->voice ? 1 : -1;
  /* stable between runs: by name */
  const char *nx = x->code ? x->code->name : name_key(x->group->name);
  const char *ny = y->code ? y->code->name : name_key(y->group->name);
  return strcmp(nx, ny);
}

/* "東京都府中市" for a municipality, "北海道札幌市中央区" for a ward. */
static char *place_label(const Place *p)
{
  const KkLgWard *ward = place_ward(p);
  return g_strconcat(place_code(p)->prefecture, place_code(p)->name, ward ? ward->name : "", NULL);
}

static const char *cand_label(const Cand *c)
{
  return c->code ? c->code->name : name_key(c->group->name);
}

/* TRUE if the name `group` may mean municipality `code`. */
static gboolean group_has(const Tally *group, const KkLgCode *code)
{
  for (guint i = 0; i < group->name->n_places; i++)
    if (place_code(place_of(group->name, i)) == code)
      return TRUE;
  return FALSE;
}

/* Keeps the best and second best of the scores seen; TRUE when `x` is the
 * new best. */
static gboolean top_two(double x, double *b1, double *b2)
{
  if (x > *b1) {
    *b2 = *b1;
    *b1 = x;
    return TRUE;
  }
  if (x > *b2)
    *b2 = x;
  return FALSE;
}

/* A choice is made when the best scores something and twice the next. */
static gboolean decisive(double b1, double b2)
{
  return b1 > 0 && b1 >= 2 * b2;
}

/* The ward of designated city `city` the title or metadata names clearly
 * more than any other of its wards, or NULL.  Not the rest of the cover:
 * a city's document prints the city hall's address there (札幌市中央区北1条). */
static const KkLgWard *ward_of(const KkGazetteerScan *s, const KkLgCode *city)
{
  GHashTable *w = g_hash_table_new(g_direct_hash, g_direct_equal);
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, s->tally);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    const Tally *t = v;
    if (t->title_voice <= 0)
      continue;
    for (guint i = 0; i < t->name->n_places; i++) {
      const Place *p = place_of(t->name, i);
      if (place_ward(p) != NULL && place_code(p) == city) {
        double *acc = g_hash_table_lookup(w, place_ward(p));
        if (acc == NULL) {
          acc = g_new0(double, 1);
          g_hash_table_insert(w, (gpointer)place_ward(p), acc);
        }
        *acc += t->title_voice;
      }
    }
  }
  const KkLgWard *best = NULL;
  double b1 = 0, b2 = 0;
  g_hash_table_iter_init(&it, w);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    if (top_two(*(double *)v, &b1, &b2))
      best = k;
    g_free(v);
  }
  g_hash_table_unref(w);
  return decisive(b1, b2) ? best : NULL;
}

/* Everything resolve() weighs, gathered from the tallies. */
typedef struct {
  GArray *cands;            /* Cand, by voice */
  double pref_cover[N_PREF]; /* named for itself on title, cover, metadata */
  double pref_title[N_PREF];
  double pref_ctx[N_PREF];  /* the prefecture named, and municipalities in it */
  GHashTable *code_ctx;     /* municipality -> mentions (as guint) */
  double total_ctx;
} Evidence;

static void evidence_gather(const KkGazetteerScan *s, Evidence *e)
{
  memset(e, 0, sizeof *e);
  e->cands = g_array_new(FALSE, FALSE, sizeof(Cand));
  e->code_ctx = g_hash_table_new(g_direct_hash, g_direct_equal);
  GHashTable *by_code = g_hash_table_new(g_direct_hash, g_direct_equal);
  GPtrArray *groups = g_ptr_array_new();
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, s->tally);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    const Tally *t = v;
    const Name *n = t->name;
    const Place *p0 = place_of(n, 0);
    if (n->one_pref) {
      e->pref_ctx[p0->pref] += t->ctx;
      e->total_ctx += t->ctx;
    }
    if (n->is_pref) {
      e->pref_cover[p0->pref] += t->cover_voice;
      e->pref_title[p0->pref] += t->title_voice;
      continue;
    }
    if (!n->unique) {
      g_ptr_array_add(groups, (gpointer)t);
      continue;
    }
    guint ctx = GPOINTER_TO_UINT(g_hash_table_lookup(e->code_ctx, place_code(p0))) + t->ctx;
    g_hash_table_insert(e->code_ctx, (gpointer)place_code(p0), GUINT_TO_POINTER(ctx));
    if (t->voice <= 0)
      continue;
    gpointer idx = g_hash_table_lookup(by_code, place_code(p0));
    if (idx == NULL) {
      Cand c = { place_code(p0), NULL, 0 };
      g_array_append_val(e->cands, c);
      idx = GUINT_TO_POINTER(e->cands->len);
      g_hash_table_insert(by_code, (gpointer)place_code(p0), idx);
    }
    Cand *c = &g_array_index(e->cands, Cand, GPOINTER_TO_UINT(idx) - 1);
    c->voice += t->voice;
  }
  /* a shared name goes to the one of its municipalities the document names
   * by a name of its own (中央区 to 札幌市, 池田町 to いけだまち's) */
  guint n_unique = e->cands->len;
  for (guint g = 0; g < groups->len; g++) {
    const Tally *t = g_ptr_array_index(groups, g);
    if (t->voice <= 0)
      continue;
    Cand *only = NULL;
    int hits = 0;
    for (guint c = 0; c < n_unique; c++) {
      Cand *cd = &g_array_index(e->cands, Cand, c);
      if (group_has(t, cd->code)) {
        only = cd;
        hits++;
      }
    }
    if (hits == 1) {
      only->voice += t->voice;
    } else {
      Cand c = { NULL, t, t->voice };
      g_array_append_val(e->cands, c);
    }
  }
  g_array_sort(e->cands, compare_cands);
  g_hash_table_unref(by_code);
  g_ptr_array_unref(groups);
}

/* Chooses among the places of a shared name by the document's context.
 * Returns the place, or NULL (with `why` saying so). */
static const Place *by_context(const Evidence *e, const Tally *group, GString *why)
{
  const Name *n = group->name;
  const Place *best = NULL;
  double b1 = -1, b2 = -1;
  GString *scores = g_string_new(NULL);
  for (guint i = 0; i < n->n_places; i++) {
    const Place *p = place_of(n, i);
    double sc = (group->qual ? 3 * group->qual[i] : 0) + e->pref_ctx[p->pref];
    if (place_ward(p) != NULL)
      sc += 3 * GPOINTER_TO_UINT(g_hash_table_lookup(e->code_ctx, place_code(p)));
    g_autofree char *label = place_label(p);
    g_string_append_printf(scores, "%s%s %g", i ? ", " : "", label, sc);
    if (top_two(sc, &b1, &b2))
      best = p;
  }
  gboolean ok = decisive(b1, b2);
  g_string_append_printf(why, "%s is shared; context (prefecture named, neighbours, qualified mentions): %s%s",
                         name_key(n), scores->str,
                         ok ? "" : " - not decisive, municipality left empty");
  g_string_free(scores, TRUE);
  return ok ? best : NULL;
}

void kk_gazetteer_resolve(const KkGazetteerScan *s, KkGzResult *out)
{
  memset(out, 0, sizeof *out);
  if (s == NULL) {
    out->why = g_strdup("nothing scanned");
    return;
  }
  Evidence e;
  evidence_gather(s, &e);
  GString *why = g_string_new(NULL);
  const Cand *k1 = e.cands->len ? &g_array_index(e.cands, Cand, 0) : NULL;

  if (k1 != NULL && k1->voice >= KK_GZ_MIN_WEIGHT) {
    /* rivals: other municipalities, and the title's mentions of its own
     * or another prefecture (a prefecture's document naming a city) */
    double rival = 0;
    const char *rival_name = NULL;
    const Cand *rival_cand = NULL;
    for (guint i = 1; i < e.cands->len; i++) {
      const Cand *c = &g_array_index(e.cands, Cand, i);
      if (c->code == NULL && k1->code != NULL && group_has(c->group, k1->code))
        continue;
      if (c->code != NULL && k1->code == NULL && group_has(k1->group, c->code))
        continue;
      if (c->voice > rival) {
        rival = c->voice;
        rival_name = cand_label(c);
        rival_cand = c;
      }
    }
    for (int p = 0; p < N_PREF; p++)
      if (e.pref_title[p] > rival) {
        rival = e.pref_title[p];
        rival_name = pref_code(p)->name;
        rival_cand = NULL;
      }
    g_string_append_printf(why, "%s named with weight %g", cand_label(k1), k1->voice);
    if (rival_name)
      g_string_append_printf(why, ", next %s %g", rival_name, rival);
    if (!decisive(k1->voice, rival)) {
      g_string_append(why, ": no municipality named twice as much as any other, municipality left empty");
      out->verdict = KK_GZ_AMBIGUOUS;
      /* two towns of one prefecture (a joint plan): at least the prefecture */
      if (rival_cand != NULL && k1->code != NULL && rival_cand->code != NULL &&
          strcmp(k1->code->prefecture, rival_cand->code->prefecture) == 0)
        out->prefecture = kk_lgcode_lookup(k1->code->prefecture, NULL, NULL);
    } else if (k1->code != NULL) {
      out->verdict = KK_GZ_MUNICIPALITY;
      out->place = k1->code;
      out->ward = ward_of(s, k1->code);
    } else {
      g_string_append(why, "; ");
      const Place *p = by_context(&e, k1->group, why);
      if (p != NULL) {
        out->verdict = KK_GZ_MUNICIPALITY;
        out->place = place_code(p);
        out->ward = place_ward(p) ? place_ward(p) : ward_of(s, place_code(p));
      } else {
        out->verdict = KK_GZ_AMBIGUOUS;
        if (k1->group->name->one_pref)
          out->prefecture = pref_code(place_of(k1->group->name, 0)->pref);
      }
    }
  } else {
    int best = 0;
    double p1 = -1, p2 = -1;
    for (int p = 0; p < N_PREF; p++)
      if (top_two(e.pref_cover[p], &p1, &p2))
        best = p;
    if (k1 != NULL)
      g_string_append_printf(why, "%s named with weight %g only (below %g); ", cand_label(k1), k1->voice,
                             KK_GZ_MIN_WEIGHT);
    if (p1 >= KK_GZ_MIN_WEIGHT && decisive(p1, p2)) {
      out->verdict = KK_GZ_PREFECTURE;
      out->place = pref_code(best);
      g_string_append_printf(why, "no municipality; the prefecture %s named on its title, cover or metadata with weight %g",
                             pref_code(best)->name, e.pref_cover[best]);
    } else {
      /* a prefecture speaking of itself (本県, 県内 on its cover) about
       * places that lie in it */
      int top = -1;
      for (int p = 0; p < N_PREF; p++) {
        const char *nm = pref_code(p)->name;
        int kind = g_str_has_suffix(nm, "県") ? 0 : g_str_has_suffix(nm, "都") ? 1 : g_str_has_suffix(nm, "府") ? 2 : 3;
        if (s->self_ref[kind] > 0 && (top < 0 || e.pref_ctx[p] > e.pref_ctx[top]))
          top = p;
      }
      if (top >= 0 && e.pref_ctx[top] >= KK_GZ_MIN_WEIGHT && 3 * e.pref_ctx[top] >= 2 * e.total_ctx) {
        out->verdict = KK_GZ_PREFECTURE;
        out->place = pref_code(top);
        g_string_append_printf(why, "no municipality as its own; it speaks of itself as a prefecture (本県, 県内 …) "
                               "and %g of the %g places it names lie in %s",
                               e.pref_ctx[top], e.total_ctx, pref_code(top)->name);
      } else {
        out->verdict = KK_GZ_NONE;
        if (e.total_ctx == 0 && k1 == NULL)
          g_string_append(why, "names no local government");
        else
          g_string_append_printf(why, "names no local government as its own (%g place names, in data tables, "
                                 "before a municipality's name or too few)", e.total_ctx);
      }
    }
  }
  if (out->place != NULL && out->prefecture == NULL) {
    for (int p = 0; p < N_PREF; p++)
      if (strcmp(pref_code(p)->name, out->place->prefecture) == 0)
        out->prefecture = pref_code(p);
  }
  g_array_unref(e.cands);
  g_hash_table_unref(e.code_ctx);
  out->why = g_string_free(why, FALSE);
}

void kk_gz_result_clear(KkGzResult *r)
{
  if (r == NULL)
    return;
  g_free(r->why);
  memset(r, 0, sizeof *r);
}

const KkLgCode *kk_gazetteer_given_place(const char *text, GError **error)
{
  if (text == NULL || *text == '\0' || !g_utf8_validate(text, -1, NULL)) {
    g_set_error(error, KK_ERROR, KK_ERROR_USAGE, "--municipality needs a municipality's name or lg_code");
    return NULL;
  }
  gboolean code = strlen(text) == 6;
  for (const char *q = text; code && *q; q++)
    code = g_ascii_isdigit(*q);
  gboolean ambiguous = FALSE;
  const KkLgCode *place = code ? kk_lgcode_by_code(text) : kk_lgcode_lookup(text, NULL, &ambiguous);
  if (place == NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_USAGE,
                ambiguous ? "--municipality %s: several municipalities have this name: lead it with the "
                            "prefecture (大阪府池田市) or give the lg_code"
                          : "--municipality %s: no local government of that %s in the list",
                text, code ? "lg_code" : "name");
    return NULL;
  }
  if (strcmp(place->kind, "prefecture") == 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_USAGE, "--municipality %s: %s is a prefecture, not a municipality",
                text, place->name);
    return NULL;
  }
  return place;
}
