/*
 * kpat.h — pattern files (*.kpat): the declarative description of one
 * document family, loaded and compiled with PCRE2.  The format is described
 * for people in patterns/README.md; the table of sections and directives in
 * kpat.c is its machine-readable form.
 *
 * A file is a list of rules.  Each rule is one line:
 *     DIRECTIVE [ARG] [OPTION=VALUE ...] [/REGEX/FLAGS]
 * grouped under [section] headers.  Every rule keeps its file line, so the
 * engine can say which rule produced what (--explain).
 */
#ifndef KK_KPAT_H
#define KK_KPAT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <glib.h>

G_BEGIN_DECLS

/* Bounds that keep a hostile or mistaken pattern file harmless. */
#define KP_MAX_FILE_BYTES (512u * 1024u)
#define KP_MAX_LINE_BYTES 4096u
#define KP_MAX_RULES 2000u
#define KP_MAX_FILES 200u
#define KP_MAX_OPTS 8
#define KP_MAX_INCLUDE_DEPTH 4

typedef enum {
  KP_SEC_TOP = 0,     /* before any [section]: family, name */
  KP_SEC_RECOGNISE,   /* which documents belong to the family */
  KP_SEC_DOCUMENT,    /* title, municipality, prefecture, plan period */
  KP_SEC_CATEGORY,    /* heading lines that set the current category */
  KP_SEC_CARD,        /* items as label/value cards (ruled tables or text) */
  KP_SEC_LIST,        /* items as rows of list tables */
  KP_SEC_ACHIEVEMENTS,/* achievement-rate tables (item number x fiscal year) */
  KP_SEC_MEASURES,    /* targets and baselines, from tables or field text */
  KP_SEC_BUDGET,      /* budget blocks: total and sources of funds */
  KP_SEC_SERIES,      /* fiscal-outlook tables: row label x fiscal year */
  KP_SEC_MEETING,     /* meeting header tables of minutes */
  KP_SEC_UNITS,       /* headers that give the unit of money in a table */
  KP_SEC_N
} KpSection;

/* Directives: the first word of a rule.  One name may stand in several
 * sections (`label` in [card] and [meeting]); the section tells them apart. */
typedef enum {
  KP_DIR_FAMILY,
  KP_DIR_NAME,
  KP_DIR_INCLUDE,
  KP_DIR_DEFINE,
  KP_DIR_SCORE,
  KP_DIR_REQUIRE,
  KP_DIR_REJECT,
  KP_DIR_DECIDE,
  KP_DIR_TITLE,
  KP_DIR_MUNICIPALITY,
  KP_DIR_PREFECTURE,
  KP_DIR_PERIOD,
  KP_DIR_FISCAL_YEAR,
  KP_DIR_LINES,
  KP_DIR_TABLES,
  KP_DIR_HEADING,
  KP_DIR_RESET,
  KP_DIR_START,
  KP_DIR_LABEL,
  KP_DIR_SCHEDULE,
  KP_DIR_ITEM_LINE,
  KP_DIR_ITEM_ROW,
  KP_DIR_TEXT_LABEL,
  KP_DIR_END,
  KP_DIR_SKIP_LINE,
  KP_DIR_CLEAN,
  KP_DIR_HEADER,
  KP_DIR_COLUMN,
  KP_DIR_SKIP_ROW,
  KP_DIR_KEY,
  KP_DIR_YEAR,
  KP_DIR_ROLE,
  KP_DIR_VALUE_ROLE,
  KP_DIR_TEXT,
  KP_DIR_FIELD_ROLE,
  KP_DIR_LABEL_STRIP,
  KP_DIR_SUBJECT,
  KP_DIR_UNIT,
  KP_DIR_N,
  KP_DIR_ANY = KP_DIR_N  /* for lookups: any directive of the section */
} KpDirective;

/* Options: the KEY=VALUE words of a rule. */
typedef enum {
  KP_OPT_ABOVE,
  KP_OPT_AS,
  KP_OPT_ACTUAL,
  KP_OPT_BELOW,
  KP_OPT_BESIDE,
  KP_OPT_DEFAULT_YEAR,
  KP_OPT_FIELD,
  KP_OPT_FROM,
  KP_OPT_IN,
  KP_OPT_JOIN,
  KP_OPT_KIND,
  KP_OPT_LABEL,
  KP_OPT_LEVEL,
  KP_OPT_MIN_SIZE,
  KP_OPT_PAGES,
  KP_OPT_ROLE,
  KP_OPT_ROWS,
  KP_OPT_WHERE,
  KP_OPT_WITHIN,
  KP_OPT_N
} KpOption;

typedef struct {
  KpSection section;
  KpDirective dir;
  const char *directive;       /* its name (static), for messages */
  char *arg;                   /* the bare word after the directive, or NULL */
  KpOption opt_key[KP_MAX_OPTS];
  char *opt_val[KP_MAX_OPTS];
  int n_opts;
  char *re_src;                /* NULL when the rule has no regex */
  pcre2_code *re;
  pcre2_match_data *md;
  int value_group;             /* group giving "the value": `value`, else 1, else 0 */
  guint32 min_length;          /* PCRE2_INFO_MINLENGTH: no shorter subject
                                  (in characters, so in bytes too) can match */
  int need_byte;               /* PCRE2_INFO_REQUIREDCHAR when case-sensitive:
                                  a byte every match holds, else -1 */
  int line;                    /* line in the file (1-based) */
  struct KpFamily *family;
  guint64 hits;                /* successful matches so far (patterns check:
                                  a rule that never matched) */
  guint64 made;                /* records made by the rule so far (patterns
                                  check: a rule that matched but made none) */
  guint64 scanned;             /* subject bytes given to its regex so far,
                                  until it is JIT-compiled (match-limits.c) */
  gboolean jit_tried;          /* pcre2_jit_compile() was called */
} KpRule;

typedef struct KpFamily {
  char *path;                  /* as given to the loader */
  char *id;                    /* `family` directive: the records' family id */
  char *name;                  /* `name` directive: for people */
  char *sha256;                /* of the file's bytes and those of the files it
                                  includes (a change to a shared rule re-derives) */
  GPtrArray *rules;            /* KpRule*, in file order */
  GPtrArray *section[KP_SEC_N];/* KpRule*, borrowed, per section in order */
} KpFamily;

/* Parses and compiles one pattern file from memory.  `path` names it in
 * errors ("PATH:LINE: ..."), which are KK_ERROR_PATTERN. */
KpFamily *kp_family_parse(const char *path, const char *text, gsize len, GError **error);

/* Reads and parses `path` (size-bounded). */
KpFamily *kp_family_load(const char *path, GError **error);

void kp_family_free(KpFamily *family);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(KpFamily, kp_family_free)

/* The value of option `key` of `rule`, or NULL. */
const char *kp_rule_opt(const KpRule *rule, KpOption key);

/* Matches `rule`'s regex against `subject` (UTF-8).  On a match returns TRUE
 * and, when `value` is non-NULL, the rule's value group as a new string
 * (empty string for an unset group).  Rules without a regex never match. */
gboolean kp_rule_match(const KpRule *rule, const char *subject, char **value);

/* Like kp_rule_match() but returns a named group (NULL if absent/unset). */
gboolean kp_rule_match_named(const KpRule *rule, const char *subject,
                             const char *const *names, char **values, int n_names);

/* kp_rule_match() and kp_rule_match_named() for a subject that is known to
 * be valid UTF-8 (a page's line or cell text as kp_text_init() made it, or
 * its kp_text_squeezed() form): PCRE2 does not check it again.  Anything
 * else must go through the checking functions above. */
gboolean kp_rule_match_valid(const KpRule *rule, const char *subject, char **value);
gboolean kp_rule_match_named_valid(const KpRule *rule, const char *subject,
                                   const char *const *names, char **values, int n_names);

/* kp_rule_match_valid() without a value, on the `len` bytes of `subject`
 * (a caller that tests one text against many rules measures it once). */
gboolean kp_rule_test_valid(const KpRule *rule, const char *subject, gsize len);

/* Byte offsets [start,end) of group `group` of the last successful match of
 * `rule` (valid until the rule is matched again); FALSE if unset. */
gboolean kp_rule_group_span(const KpRule *rule, int group, gsize *start, gsize *end);

/* "FILE:LINE" of a rule, for --explain. */
char *kp_rule_where(const KpRule *rule);

/* Section name as written in files ("card", ...). */
const char *kp_section_name(KpSection section);

G_END_DECLS

#endif
