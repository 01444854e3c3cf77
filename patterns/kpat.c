/* kpat.c — loading and compiling pattern files; see kpat.h and
 * patterns/README.md for the format. */
#include "patterns/kpat.h"
#include "patterns/match-limits.h"
#include "common/kk-error.h"
#include "common/kk-file.h"
#include "common/kk-sha256.h"

#include <glib/gstdio.h>
#include <string.h>

typedef enum { ARG_NONE, ARG_WORD, ARG_NUMBER, ARG_REST } ArgKind;
typedef enum { RE_NONE, RE_OPTIONAL, RE_REQUIRED } ReKind;

/* One allowed directive: where it may stand, what it takes.  `opts` is a
 * space-separated list of the option names it accepts; `args` the words its
 * argument may be (NULL = any). */
typedef struct {
  KpSection section;
  KpDirective dir;
  const char *name;
  ArgKind arg;
  ReKind re;
  const char *opts;
  const char *args;
} DirectiveSpec;

#define ATTRS "item_no title department category skip"
static const DirectiveSpec directives[] = {
  { KP_SEC_TOP, KP_DIR_FAMILY, "family", ARG_WORD, RE_NONE, "", NULL },
  { KP_SEC_TOP, KP_DIR_NAME, "name", ARG_REST, RE_NONE, "", NULL },

  { KP_SEC_RECOGNISE, KP_DIR_SCORE, "score", ARG_NUMBER, RE_REQUIRED, "where pages", NULL },
  { KP_SEC_RECOGNISE, KP_DIR_REQUIRE, "require", ARG_NONE, RE_REQUIRED, "where pages", NULL },
  { KP_SEC_RECOGNISE, KP_DIR_REJECT, "reject", ARG_NONE, RE_REQUIRED, "where pages", NULL },
  { KP_SEC_RECOGNISE, KP_DIR_DECIDE, "decide", ARG_NUMBER, RE_NONE, "", NULL },

  { KP_SEC_DOCUMENT, KP_DIR_TITLE, "title", ARG_NONE, RE_OPTIONAL, "pages from where join", NULL },
  { KP_SEC_DOCUMENT, KP_DIR_MUNICIPALITY, "municipality", ARG_NONE, RE_REQUIRED, "pages where", NULL },
  { KP_SEC_DOCUMENT, KP_DIR_PREFECTURE, "prefecture", ARG_NONE, RE_REQUIRED, "pages where", NULL },
  { KP_SEC_DOCUMENT, KP_DIR_PERIOD, "period", ARG_NONE, RE_REQUIRED, "pages where", NULL },
  { KP_SEC_DOCUMENT, KP_DIR_FISCAL_YEAR, "fiscal-year", ARG_NONE, RE_REQUIRED, "pages where", NULL },
  { KP_SEC_DOCUMENT, KP_DIR_LINES, "lines", ARG_WORD, RE_NONE, "", "by-position as-extracted" },
  { KP_SEC_DOCUMENT, KP_DIR_TABLES, "tables", ARG_WORD, RE_NONE, "", "ruled-only unruled-with-labels-as-text all" },

  { KP_SEC_CATEGORY, KP_DIR_HEADING, "heading", ARG_NONE, RE_REQUIRED, "above min-size level where", NULL },
  { KP_SEC_CATEGORY, KP_DIR_RESET, "reset", ARG_NONE, RE_REQUIRED, "where", NULL },

  { KP_SEC_CARD, KP_DIR_START, "start", ARG_NONE, RE_REQUIRED, "", NULL },
  { KP_SEC_CARD, KP_DIR_LABEL, "label", ARG_NONE, RE_REQUIRED, "as field below", NULL },
  { KP_SEC_CARD, KP_DIR_SCHEDULE, "schedule", ARG_NONE, RE_REQUIRED, "actual field kind", NULL },
  { KP_SEC_CARD, KP_DIR_ITEM_LINE, "item-line", ARG_NONE, RE_REQUIRED, "min-size where", NULL },
  { KP_SEC_CARD, KP_DIR_ITEM_ROW, "item-row", ARG_NONE, RE_REQUIRED, "rows", NULL },
  { KP_SEC_CARD, KP_DIR_TEXT_LABEL, "text-label", ARG_NONE, RE_REQUIRED, "as min-size", NULL },
  { KP_SEC_CARD, KP_DIR_END, "end", ARG_NONE, RE_REQUIRED, "where", NULL },
  { KP_SEC_CARD, KP_DIR_SKIP_LINE, "skip-line", ARG_NONE, RE_REQUIRED, "", NULL },
  { KP_SEC_CARD, KP_DIR_CLEAN, "clean", ARG_NONE, RE_REQUIRED, "as", NULL },
  { KP_SEC_LIST, KP_DIR_CLEAN, "clean", ARG_NONE, RE_REQUIRED, "as", NULL },

  { KP_SEC_LIST, KP_DIR_HEADER, "header", ARG_NONE, RE_REQUIRED, "", NULL },
  { KP_SEC_LIST, KP_DIR_COLUMN, "column", ARG_NONE, RE_REQUIRED, "as field", NULL },
  { KP_SEC_LIST, KP_DIR_SKIP_ROW, "skip-row", ARG_NONE, RE_REQUIRED, "", NULL },
  { KP_SEC_LIST, KP_DIR_SCHEDULE, "schedule", ARG_NONE, RE_REQUIRED, "actual kind", NULL },

  { KP_SEC_ACHIEVEMENTS, KP_DIR_HEADER, "header", ARG_NONE, RE_REQUIRED, "", NULL },
  { KP_SEC_ACHIEVEMENTS, KP_DIR_KEY, "key", ARG_NONE, RE_REQUIRED, "", NULL },
  { KP_SEC_ACHIEVEMENTS, KP_DIR_YEAR, "year", ARG_NONE, RE_REQUIRED, "", NULL },
  { KP_SEC_ACHIEVEMENTS, KP_DIR_COLUMN, "column", ARG_NONE, RE_REQUIRED, "as", NULL },

  { KP_SEC_MEASURES, KP_DIR_ROLE, "role", ARG_WORD, RE_REQUIRED, "default-year beside label", "target baseline actual limit plan" },
  { KP_SEC_MEASURES, KP_DIR_VALUE_ROLE, "value-role", ARG_WORD, RE_REQUIRED, "", "target baseline actual limit plan" },
  { KP_SEC_MEASURES, KP_DIR_TEXT, "text", ARG_NONE, RE_REQUIRED, "in role", NULL },
  { KP_SEC_MEASURES, KP_DIR_FIELD_ROLE, "field-role", ARG_WORD, RE_REQUIRED, "default-year", "target baseline actual limit plan" },
  { KP_SEC_MEASURES, KP_DIR_YEAR, "year", ARG_NONE, RE_REQUIRED, "", NULL },
  { KP_SEC_MEASURES, KP_DIR_LABEL_STRIP, "label-strip", ARG_NONE, RE_REQUIRED, "", NULL },
  { KP_SEC_MEASURES, KP_DIR_SUBJECT, "subject", ARG_NONE, RE_REQUIRED, "", NULL },

  { KP_SEC_BUDGET, KP_DIR_HEADER, "header", ARG_NONE, RE_REQUIRED, "", NULL },
  { KP_SEC_BUDGET, KP_DIR_YEAR, "year", ARG_NONE, RE_REQUIRED, "", NULL },
  { KP_SEC_BUDGET, KP_DIR_COLUMN, "column", ARG_WORD, RE_REQUIRED, "", "total national prefectural bonds other general_fund" },

  { KP_SEC_SERIES, KP_DIR_YEAR, "year", ARG_NONE, RE_REQUIRED, "within", NULL },
  { KP_SEC_SERIES, KP_DIR_TITLE, "title", ARG_NONE, RE_OPTIONAL, "from", NULL },
  { KP_SEC_SERIES, KP_DIR_SKIP_ROW, "skip-row", ARG_NONE, RE_REQUIRED, "", NULL },

  { KP_SEC_MEETING, KP_DIR_LABEL, "label", ARG_NONE, RE_REQUIRED, "as", NULL },

  { KP_SEC_UNITS, KP_DIR_UNIT, "unit", ARG_NONE, RE_REQUIRED, "where", NULL },
};

static const char *const section_names[KP_SEC_N] = {
  "", "recognise", "document", "category", "card", "list", "achievements",
  "measures", "budget", "series", "meeting", "units",
};

/* Allowed values of some options (others take any word). */
static const struct { const char *opt; const char *values; } option_values[] = {
  { "where", "line cell any" },
  { "above", "table" },
  { "from", "largest-font corner" },
  { "default-year", "start end label" },
  { "within", "plan" },
  { "field", "yes no" },
  { "join", "yes no" },
  { "kind", "plan actual" },
  { "below", "yes no" },
  { "role", "target baseline actual limit plan" },
  { "beside", "target baseline actual limit plan" },
};

/* Names of the options as written in files, by KpOption. */
static const char *const option_names[KP_OPT_N] = {
  "above", "as", "actual", "below", "beside", "default-year", "field", "from", "in", "join", "kind", "label", "level",
  "min-size", "pages", "role", "rows", "where", "within",
};

/* The KpOption named `key` (KP_OPT_N if none: the directive table lists
 * only known option names, so a known directive never gets that far). */
static KpOption option_id(const char *key)
{
  for (int i = 0; i < KP_OPT_N; i++)
    if (strcmp(option_names[i], key) == 0)
      return (KpOption)i;
  return KP_OPT_N;
}

const char *kp_section_name(KpSection section)
{
  return (section >= 0 && section < KP_SEC_N) ? section_names[section] : "?";
}

/* TRUE if `word` is one of the space-separated words of `list`. */
static gboolean word_in(const char *word, const char *list)
{
  gsize n = strlen(word);
  const char *p = list;
  while (*p) {
    while (*p == ' ')
      p++;
    const char *e = p;
    while (*e && *e != ' ')
      e++;
    if ((gsize)(e - p) == n && n > 0 && strncmp(p, word, n) == 0)
      return TRUE;
    p = e;
  }
  return FALSE;
}

static void rule_free(gpointer data)
{
  KpRule *r = data;
  if (r == NULL)
    return;
  g_free(r->arg);
  for (int i = 0; i < r->n_opts; i++) {
    g_free(r->opt_val[i]);
  }
  g_free(r->re_src);
  if (r->md)
    pcre2_match_data_free(r->md);
  if (r->re)
    pcre2_code_free(r->re);
  g_free(r);
}

void kp_family_free(KpFamily *family)
{
  if (family == NULL)
    return;
  for (int s = 0; s < KP_SEC_N; s++)
    if (family->section[s])
      g_ptr_array_unref(family->section[s]);
  if (family->rules)
    g_ptr_array_unref(family->rules);
  g_free(family->path);
  g_free(family->id);
  g_free(family->name);
  g_free(family->sha256);
  g_free(family);
}

const char *kp_rule_opt(const KpRule *rule, KpOption key)
{
  for (int i = 0; rule && i < rule->n_opts; i++)
    if (rule->opt_key[i] == key)
      return rule->opt_val[i];
  return NULL;
}

char *kp_rule_where(const KpRule *rule)
{
  return g_strdup_printf("%s:%d", rule->family ? rule->family->path : "?", rule->line);
}

/* Compiles the rule's regex; on failure reports PCRE2's message and the
 * offset (in bytes from the start of the regex) at which it stopped. */
/* TRUE when `src` may turn on caseless matching inside the regex: an
 * option setting such as (?i) or (?x-i:...) anywhere, even one that only
 * looks like it (inside \Q...\E or a class): a no is always right. */
static gboolean inline_caseless(const char *src)
{
  for (const char *p = strstr(src, "(?"); p != NULL; p = strstr(p + 2, "(?")) {
    const char *q = p + 2;
    while (g_ascii_isalpha(*q) || *q == '-' || *q == '^')
      if (*q++ == 'i')
        return TRUE;
  }
  return FALSE;
}

static gboolean compile_rule(KpRule *r, const char *path, guint32 flags, GError **error)
{
  int errcode = 0;
  PCRE2_SIZE erroff = 0;
  r->re = pcre2_compile((PCRE2_SPTR)r->re_src, PCRE2_ZERO_TERMINATED,
                        PCRE2_UTF | PCRE2_UCP | flags, &errcode, &erroff, NULL);
  if (r->re == NULL) {
    PCRE2_UCHAR msg[256];
    if (pcre2_get_error_message(errcode, msg, sizeof msg) < 0)
      g_strlcpy((char *)msg, "unknown PCRE2 error", sizeof msg);
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN,
                "%s:%d: bad regular expression /%s/: %s at offset %zu",
                path, r->line, r->re_src, (const char *)msg, (size_t)erroff);
    return FALSE;
  }
  /* not JIT-compiled here: kp_rule_exec() does it once the rule has
   * been given enough text for it to pay (most rules of most families
   * never see more than a page or two) */
  r->md = pcre2_match_data_create_from_pattern(r->re, NULL);
  if (r->md == NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: out of memory", path, r->line);
    return FALSE;
  }
  if (pcre2_pattern_info(r->re, PCRE2_INFO_MINLENGTH, &r->min_length) != 0)
    r->min_length = 0;
  /* PCRE2's own last-literal test, made before pcre2_match()'s set-up
   * (kp_rule_exec); not for a caseless regex, which another case of the
   * literal matches (PCRE2 does not say whether the literal is caseless) */
  uint32_t last_type = 0, last = 0, all_options = 0;
  r->need_byte = -1;
  if (pcre2_pattern_info(r->re, PCRE2_INFO_LASTCODETYPE, &last_type) == 0 && last_type == 1 &&
      pcre2_pattern_info(r->re, PCRE2_INFO_LASTCODEUNIT, &last) == 0 && last <= 0xff &&
      pcre2_pattern_info(r->re, PCRE2_INFO_ALLOPTIONS, &all_options) == 0 &&
      (all_options & PCRE2_CASELESS) == 0 && !inline_caseless(r->re_src))
    r->need_byte = (int)last;
  int n = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "value");
  if (n > 0)
    r->value_group = n;
  else {
    uint32_t count = 0;
    pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &count);
    r->value_group = count >= 1 ? 1 : 0;
  }
  return TRUE;
}

/* State of one pattern file being read, shared with the files it
 * includes: the family, the section the next rule falls in, and the
 * `define`d regular expressions (NAME -> source). */
typedef struct {
  KpFamily *fam;
  KpSection section;
  GHashTable *defs;
  int depth;
  KkSha256 *sum;     /* SHA-256 of the file and of every file it includes */
} ParseCtx;

/* Replaces every {NAME} (NAME: an upper-case letter, then upper-case
 * letters, digits or '_') in a regex by the `define`d expression, as a
 * non-capturing group.  \p{...}, \x{...} and other escapes with braces are
 * left alone.  FALSE with an error for a NAME never defined. */
static char *expand_defs(ParseCtx *ctx, const char *path, int lineno, const char *re, GError **error)
{
  GString *out = g_string_new(NULL);
  for (const char *q = re; *q; q++) {
    const char *close = *q == '{' ? strchr(q, '}') : NULL;
    gboolean escape = q - re >= 2 && q[-2] == '\\' && g_ascii_isalpha(q[-1]);
    gboolean name = close && close > q + 1 && g_ascii_isupper(q[1]) && !escape;
    for (const char *k = q + 1; name && k < close; k++)
      name = g_ascii_isupper(*k) || g_ascii_isdigit(*k) || *k == '_';
    if (!name) {
      g_string_append_c(out, *q);
      continue;
    }
    g_autofree char *key = g_strndup(q + 1, (gsize)(close - q - 1));
    const char *def = g_hash_table_lookup(ctx->defs, key);
    if (def == NULL) {
      g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: {%s} is not defined (define %s /.../ first)",
                  path, lineno, key, key);
      g_string_free(out, TRUE);
      return NULL;
    }
    g_string_append_printf(out, "(?:%s)", def);
    q = close;
  }
  return g_string_free(out, FALSE);
}

/* Parses one non-blank, non-comment line into a rule (or a top-level
 * setting of `fam`).  `section` is the current section. */
static gboolean parse_rule_line(ParseCtx *ctx, const char *path, int lineno, char *line, GError **error)
{
  KpFamily *fam = ctx->fam;
  KpSection section = ctx->section;
  char *p = line;
  char *word = p;
  while (*p && !g_ascii_isspace(*p))
    p++;
  char *word_end = p;
  while (*p && g_ascii_isspace(*p))
    p++;
  char saved = *word_end;
  *word_end = '\0';

  const DirectiveSpec *spec = NULL;
  gboolean known_elsewhere = FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS(directives); i++) {
    if (strcmp(directives[i].name, word) != 0)
      continue;
    if (directives[i].section == section) {
      spec = &directives[i];
      break;
    }
    known_elsewhere = TRUE;
  }
  if (spec == NULL) {
    if (section == KP_SEC_TOP && known_elsewhere)
      g_set_error(error, KK_ERROR, KK_ERROR_PATTERN,
                  "%s:%d: '%s' must stand inside a [section]", path, lineno, word);
    else
      g_set_error(error, KK_ERROR, KK_ERROR_PATTERN,
                  "%s:%d: unknown directive '%s' in %s%s%s", path, lineno, word,
                  section == KP_SEC_TOP ? "the file header" : "[",
                  section == KP_SEC_TOP ? "" : kp_section_name(section),
                  section == KP_SEC_TOP ? "" : "]");
    return FALSE;
  }
  *word_end = saved;

  KpRule *r = g_new0(KpRule, 1);
  r->section = section;
  r->dir = spec->dir;
  r->directive = spec->name;
  r->line = lineno;
  r->family = fam;
  g_ptr_array_add(fam->rules, r);

  if (spec->arg == ARG_REST) {
    g_strchomp(p);
    if (*p == '\0') {
      g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: '%s' needs a value", path, lineno, spec->name);
      return FALSE;
    }
    r->arg = g_strdup(p);
    return TRUE;
  }

  /* The regex runs from the first '/' to the last '/' of the line. */
  char *re_open = strchr(p, '/');
  char *re_close = re_open ? strrchr(p, '/') : NULL;
  char *head_end = re_open ? re_open : p + strlen(p);
  g_autofree char *head = g_strndup(p, (gsize)(head_end - p));
  g_auto(GStrv) toks = g_strsplit_set(g_strstrip(head), " \t", -1);
  for (int i = 0; toks[i]; i++) {
    const char *t = toks[i];
    if (*t == '\0')
      continue;
    const char *eq = strchr(t, '=');
    if (eq == NULL) {
      if (spec->arg == ARG_NONE || r->arg != NULL) {
        g_set_error(error, KK_ERROR, KK_ERROR_PATTERN,
                    "%s:%d: unexpected '%s' (a regular expression is written /like this/)",
                    path, lineno, t);
        return FALSE;
      }
      if (spec->arg == ARG_NUMBER) {
        char *end = NULL;
        gint64 v = g_ascii_strtoll(t, &end, 10);
        if (end == t || *end != '\0' || v < -100000 || v > 100000) {
          g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: '%s' wants a number, not '%s'",
                      path, lineno, spec->name, t);
          return FALSE;
        }
      }
      if (spec->args && !word_in(t, spec->args)) {
        g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: '%s' is not one of: %s",
                    path, lineno, t, spec->args);
        return FALSE;
      }
      r->arg = g_strdup(t);
      continue;
    }
    g_autofree char *key = g_strndup(t, (gsize)(eq - t));
    const char *val = eq + 1;
    if (!word_in(key, spec->opts)) {
      if (*spec->opts)
        g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: '%s' takes no option '%s' (options: %s)",
                    path, lineno, spec->name, key, spec->opts);
      else
        g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: '%s' takes no options", path, lineno, spec->name);
      return FALSE;
    }
    KpOption opt = option_id(key);
    if (kp_rule_opt(r, opt) != NULL || r->n_opts >= KP_MAX_OPTS) {
      g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: option '%s' given twice", path, lineno, key);
      return FALSE;
    }
    for (gsize k = 0; k < G_N_ELEMENTS(option_values); k++)
      if (strcmp(option_values[k].opt, key) == 0 && !word_in(val, option_values[k].values)) {
        g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: %s=%s: value must be one of: %s",
                    path, lineno, key, val, option_values[k].values);
        return FALSE;
      }
    if (strcmp(key, "as") == 0 && !word_in(val, ATTRS " held_on place attendees")) {
      g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: as=%s: not a record attribute", path, lineno, val);
      return FALSE;
    }
    if (strcmp(key, "pages") == 0 || strcmp(key, "min-size") == 0 || strcmp(key, "level") == 0 ||
        strcmp(key, "rows") == 0) {
      char *end = NULL;
      double v = g_ascii_strtod(val, &end);
      if (end == val || *end != '\0' || v < 0 || v > 100000) {
        g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: %s=%s: not a number", path, lineno, key, val);
        return FALSE;
      }
    }
    r->opt_key[r->n_opts] = opt;
    r->opt_val[r->n_opts] = g_strdup(val);
    r->n_opts++;
  }
  if (r->arg == NULL && (spec->arg == ARG_WORD || spec->arg == ARG_NUMBER)) {
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: '%s' needs %s", path, lineno, spec->name,
                spec->arg == ARG_NUMBER ? "a number" : (spec->args ? spec->args : "a word"));
    return FALSE;
  }

  if (re_open == NULL) {
    if (spec->re == RE_REQUIRED) {
      g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: '%s' needs a regular expression /like this/",
                  path, lineno, spec->name);
      return FALSE;
    }
    return TRUE;
  }
  if (spec->re == RE_NONE) {
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: '%s' takes no regular expression", path, lineno, spec->name);
    return FALSE;
  }
  if (re_close == re_open) {
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: regular expression not closed with '/'", path, lineno);
    return FALSE;
  }
  guint32 flags = 0;
  for (const char *f = re_close + 1; *f; f++) {
    if (g_ascii_isspace(*f))
      continue;
    if (*f == 'i')
      flags |= PCRE2_CASELESS;
    else if (*f == 'x')
      flags |= PCRE2_EXTENDED;
    else {
      g_set_error(error, KK_ERROR, KK_ERROR_PATTERN,
                  "%s:%d: unknown flag '%c' after the regular expression (flags: i x)", path, lineno, *f);
      return FALSE;
    }
  }
  g_autofree char *written = g_strndup(re_open + 1, (gsize)(re_close - re_open - 1));
  r->re_src = expand_defs(ctx, path, lineno, written, error);
  if (r->re_src == NULL)
    return FALSE;
  if (*r->re_src == '\0') {
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: empty regular expression", path, lineno);
    return FALSE;
  }
  return compile_rule(r, path, flags, error);
}

/* Checks what a usable family needs once the whole file is read. */
static gboolean check_family(KpFamily *fam, const char *path, GError **error)
{
  if (fam->id == NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:1: no 'family ID' line", path);
    return FALSE;
  }
  gboolean recognises = FALSE;
  for (guint i = 0; i < fam->section[KP_SEC_RECOGNISE]->len; i++) {
    KpRule *r = g_ptr_array_index(fam->section[KP_SEC_RECOGNISE], i);
    if (r->dir == KP_DIR_SCORE || r->dir == KP_DIR_REQUIRE)
      recognises = TRUE;
  }
  if (!recognises) {
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN,
                "%s: [recognise] needs at least one 'score' or 'require' rule", path);
    return FALSE;
  }
  return TRUE;
}

/* Reads a pattern file or an included fragment, size-bounded. */
static gboolean read_pattern_file(const char *path, char **text, gsize *len, GError **error)
{
  g_autoptr(GError) local = NULL;
  /* a regular file only (a FIFO would block, /dev/zero never ends), its
   * size counted while it is read, not taken from stat */
  if (!kk_read_regular(path, KP_MAX_FILE_BYTES, text, len, &local)) {
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s: cannot read pattern file: %s", path, local->message);
    return FALSE;
  }
  return TRUE;
}

static gboolean parse_text(ParseCtx *ctx, const char *path, const char *text, gsize len, GError **error);

/* `define NAME /re/`: NAME stands for `re` in later regexes as {NAME}. */
static gboolean do_define(ParseCtx *ctx, const char *path, int lineno, char *rest, GError **error)
{
  char *p = rest;
  while (g_ascii_isupper(*p) || g_ascii_isdigit(*p) || *p == '_')
    p++;
  char *open = strchr(p, '/'), *close = open ? strrchr(open, '/') : NULL;
  gboolean blank_between = TRUE;
  for (const char *k = p; open && k < open; k++)
    blank_between = blank_between && g_ascii_isspace(*k);
  if (p == rest || !g_ascii_isupper(*rest) || open == NULL || close == open || !blank_between ||
      *g_strchug(close + 1) != '\0') {
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN,
                "%s:%d: define wants an upper-case NAME and a /regular expression/ (define UNIT /千円|万円/)", path, lineno);
    return FALSE;
  }
  g_autofree char *name = g_strndup(rest, (gsize)(p - rest));
  g_autofree char *src = g_strndup(open + 1, (gsize)(close - open - 1));
  char *expanded = expand_defs(ctx, path, lineno, src, error);
  if (expanded == NULL)
    return FALSE;
  /* compile it alone once, so a broken definition is reported where it is */
  int errcode = 0;
  PCRE2_SIZE erroff = 0;
  pcre2_code *re = pcre2_compile((PCRE2_SPTR)expanded, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &errcode, &erroff, NULL);
  if (re == NULL) {
    PCRE2_UCHAR msg[256];
    if (pcre2_get_error_message(errcode, msg, sizeof msg) < 0)
      g_strlcpy((char *)msg, "unknown PCRE2 error", sizeof msg);
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: bad regular expression in define %s: %s at offset %zu",
                path, lineno, name, (const char *)msg, (size_t)erroff);
    g_free(expanded);
    return FALSE;
  }
  pcre2_code_free(re);
  g_hash_table_replace(ctx->defs, g_steal_pointer(&name), expanded);
  return TRUE;
}

/* `include FILE`: the rules and definitions of FILE (a fragment without
 * `family`, conventionally *.kpinc, beside the including file) as if
 * written here; the section in force after it is the one before it. */
static gboolean do_include(ParseCtx *ctx, const char *path, int lineno, const char *rest, GError **error)
{
  g_autofree char *name = g_strstrip(g_strdup(rest));
  if (*name == '\0' || strchr(name, ' ') || g_path_is_absolute(name) || strstr(name, "..")) {
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN,
                "%s:%d: include wants one file name beside this file (include units.kpinc)", path, lineno);
    return FALSE;
  }
  if (ctx->depth >= KP_MAX_INCLUDE_DEPTH) {
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: includes nested deeper than %d (a cycle?)",
                path, lineno, KP_MAX_INCLUDE_DEPTH);
    return FALSE;
  }
  g_autofree char *dir = g_path_get_dirname(path);
  g_autofree char *full = g_build_filename(dir, name, NULL);
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr(GError) local = NULL;
  if (!read_pattern_file(full, &text, &len, &local)) {
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: include %s: %s", path, lineno, name, local->message);
    return FALSE;
  }
  kk_sha256_update(ctx->sum, name, strlen(name));
  kk_sha256_update(ctx->sum, text, len);
  KpSection saved = ctx->section;
  ctx->depth++;
  gboolean ok = parse_text(ctx, full, text, len, error);
  ctx->depth--;
  ctx->section = saved;
  return ok;
}

/* Reads the lines of one file (the family's or an included one). */
static gboolean parse_text(ParseCtx *ctx, const char *path, const char *text, gsize len, GError **error)
{
  KpFamily *fam = ctx->fam;
  if (len > KP_MAX_FILE_BYTES) {
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s: pattern file larger than %u bytes", path, KP_MAX_FILE_BYTES);
    return FALSE;
  }
  if (!g_utf8_validate(text, (gssize)len, NULL) || memchr(text, '\0', len) != NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s: not UTF-8 text", path);
    return FALSE;
  }
  const char *p = text, *end = text + len;
  int lineno = 0;
  while (p < end) {
    lineno++;
    const char *nl = memchr(p, '\n', (gsize)(end - p));
    const char *stop = nl ? nl : end;
    if ((gsize)(stop - p) > KP_MAX_LINE_BYTES) {
      g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: line longer than %u bytes", path, lineno, KP_MAX_LINE_BYTES);
      return FALSE;
    }
    g_autofree char *line = g_strndup(p, (gsize)(stop - p));
    p = nl ? nl + 1 : end;
    g_strstrip(line);
    if (line[0] == '\0' || line[0] == '#')
      continue;
    if (line[0] == '[') {
      char *close = strchr(line, ']');
      if (close == NULL || close[1] != '\0') {
        g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: a section header is written [name]", path, lineno);
        return FALSE;
      }
      *close = '\0';
      const char *name = g_strstrip(line + 1);
      KpSection found = KP_SEC_TOP;
      for (int s = 1; s < KP_SEC_N; s++)
        if (strcmp(section_names[s], name) == 0 || (s == KP_SEC_RECOGNISE && strcmp(name, "recognize") == 0))
          found = (KpSection)s;
      if (found == KP_SEC_TOP) {
        g_set_error(error, KK_ERROR, KK_ERROR_PATTERN,
                    "%s:%d: unknown section [%s] (sections: recognise document category card list "
                    "achievements measures budget series meeting units)", path, lineno, name);
        return FALSE;
      }
      ctx->section = found;
      continue;
    }
    if (g_str_has_prefix(line, "define") && g_ascii_isspace(line[6])) {
      if (!do_define(ctx, path, lineno, g_strchug(line + 6), error))
        return FALSE;
      continue;
    }
    if (g_str_has_prefix(line, "include") && g_ascii_isspace(line[7])) {
      if (!do_include(ctx, path, lineno, line + 7, error))
        return FALSE;
      continue;
    }
    if (fam->rules->len >= KP_MAX_RULES) {
      g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: more than %u rules", path, lineno, KP_MAX_RULES);
      return FALSE;
    }
    if (!parse_rule_line(ctx, path, lineno, line, error))
      return FALSE;
    KpRule *r = g_ptr_array_index(fam->rules, fam->rules->len - 1);
    if (ctx->section == KP_SEC_TOP) {
      if (ctx->depth > 0) {
        g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: an included file holds no '%s' (only the family's own file does)",
                    path, lineno, r->directive);
        return FALSE;
      }
      char **slot = r->dir == KP_DIR_FAMILY ? &fam->id : &fam->name;
      if (*slot != NULL) {
        g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s:%d: '%s' given twice", path, lineno, r->directive);
        return FALSE;
      }
      *slot = g_strdup(r->arg);
    } else {
      g_ptr_array_add(fam->section[ctx->section], r);
    }
  }
  return TRUE;
}

KpFamily *kp_family_parse(const char *path, const char *text, gsize len, GError **error)
{
  g_autoptr(KpFamily) fam = g_new0(KpFamily, 1);
  fam->path = g_strdup(path);
  fam->rules = g_ptr_array_new_with_free_func(rule_free);
  for (int s = 0; s < KP_SEC_N; s++)
    fam->section[s] = g_ptr_array_new();
  g_autoptr(GHashTable) defs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  KkSha256 sum;
  kk_sha256_init(&sum);
  if (len <= KP_MAX_FILE_BYTES)
    kk_sha256_update(&sum, text, len);
  ParseCtx ctx = { fam, KP_SEC_TOP, defs, 0, &sum };
  if (!parse_text(&ctx, path, text, len, error))
    return NULL;
  /* a file without includes keeps the SHA-256 of its bytes */
  char hex[KK_SHA256_HEX_SIZE];
  kk_sha256_finish_hex(&sum, hex);
  fam->sha256 = g_strdup(hex);
  if (!check_family(fam, path, error))
    return NULL;
  return g_steal_pointer(&fam);
}

KpFamily *kp_family_load(const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  if (!read_pattern_file(path, &text, &len, error))
    return NULL;
  return kp_family_parse(path, text, len, error);
}

/* Runs the regex on the `len` bytes of `subject`; TRUE on a match (match
 * data left in rule->md). */
static gboolean run_match_len(const KpRule *rule, const char *subject, gsize len, uint32_t options)
{
  if (rule == NULL || rule->re == NULL || subject == NULL)
    return FALSE;
  /* the cheapest test first: most cells are shorter than a heading rule */
  if (len < rule->min_length)
    return FALSE;
  int rc = kp_rule_exec(rule, subject, len, 0, options);
  if (rc >= 0)
    ((KpRule *)rule)->hits++; /* a statistic, not the rule's meaning */
  return rc >= 0;
}

/* run_match_len() on a NUL-terminated subject. */
static gboolean run_match(const KpRule *rule, const char *subject, uint32_t options)
{
  return subject != NULL && run_match_len(rule, subject, strlen(subject), options);
}

gboolean kp_rule_test_valid(const KpRule *rule, const char *subject, gsize len)
{
  return run_match_len(rule, subject, len, PCRE2_NO_UTF_CHECK);
}

/* A copy of group `g` of the last match, "" when unset. */
static char *group_copy(const KpRule *rule, const char *subject, int g)
{
  gsize s, e;
  if (!kp_rule_group_span(rule, g, &s, &e))
    return g_strdup("");
  return g_strndup(subject + s, e - s);
}

gboolean kp_rule_match(const KpRule *rule, const char *subject, char **value)
{
  if (!run_match(rule, subject, 0))
    return FALSE;
  if (value)
    *value = group_copy(rule, subject, rule->value_group);
  return TRUE;
}

gboolean kp_rule_match_valid(const KpRule *rule, const char *subject, char **value)
{
  /* the UTF-8 check cost PCRE2 as much as the JIT-compiled match itself */
  if (!run_match(rule, subject, PCRE2_NO_UTF_CHECK))
    return FALSE;
  if (value)
    *value = group_copy(rule, subject, rule->value_group);
  return TRUE;
}

/* Copies the named groups of the last match of `rule` on `subject`. */
static void named_groups(const KpRule *rule, const char *subject, const char *const *names,
                         char **values, int n_names)
{
  for (int i = 0; i < n_names; i++) {
    values[i] = NULL;
    int g = pcre2_substring_number_from_name(rule->re, (PCRE2_SPTR)names[i]);
    gsize s, e;
    if (g > 0 && kp_rule_group_span(rule, g, &s, &e))
      values[i] = g_strndup(subject + s, e - s);
  }
}

gboolean kp_rule_match_named(const KpRule *rule, const char *subject,
                             const char *const *names, char **values, int n_names)
{
  if (!run_match(rule, subject, 0))
    return FALSE;
  named_groups(rule, subject, names, values, n_names);
  return TRUE;
}

gboolean kp_rule_match_named_valid(const KpRule *rule, const char *subject,
                                   const char *const *names, char **values, int n_names)
{
  if (!run_match(rule, subject, PCRE2_NO_UTF_CHECK))
    return FALSE;
  named_groups(rule, subject, names, values, n_names);
  return TRUE;
}

gboolean kp_rule_group_span(const KpRule *rule, int group, gsize *start, gsize *end)
{
  if (rule == NULL || rule->md == NULL || group < 0)
    return FALSE;
  if ((uint32_t)group >= pcre2_get_ovector_count(rule->md))
    return FALSE;
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rule->md);
  if (ov[2 * group] == PCRE2_UNSET || ov[2 * group + 1] < ov[2 * group])
    return FALSE;
  *start = ov[2 * group];
  *end = ov[2 * group + 1];
  return TRUE;
}
