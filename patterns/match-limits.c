/* match-limits.c — see match-limits.h */
#include "patterns/match-limits.h"
#include "common/kk-error.h"

#include <string.h>

/* One match context for every rule: it only carries the limits, and PCRE2
 * reads it without changing it, so threads share it. */
static pcre2_match_context *limits_context(void)
{
  static gsize once = 0;
  static pcre2_match_context *ctx;
  if (g_once_init_enter(&once)) {
    ctx = pcre2_match_context_create(NULL);
    if (ctx != NULL) {
      pcre2_set_match_limit(ctx, KP_MATCH_LIMIT);
      pcre2_set_depth_limit(ctx, KP_DEPTH_LIMIT);
      pcre2_set_heap_limit(ctx, KP_HEAP_LIMIT);
    }
    g_once_init_leave(&once, 1);
  }
  return ctx;
}

static void error_free(gpointer data)
{
  if (data != NULL)
    g_error_free(data);
}

/* The first matching error of this thread not yet checked (GError *). */
static GPrivate first_error = G_PRIVATE_INIT(error_free);

/* Remembers why a match of `rule` failed, unless an earlier error is kept. */
static void remember(const KpRule *rule, int rc)
{
  if (g_private_get(&first_error) != NULL)
    return;
  PCRE2_UCHAR msg[256];
  if (pcre2_get_error_message(rc, msg, sizeof msg) < 0)
    g_strlcpy((char *)msg, "unknown PCRE2 error", sizeof msg);
  g_private_set(&first_error,
                g_error_new(KK_ERROR, KK_ERROR_LIMIT,
                            "%s:%d: regular expression /%s/ stopped: %s (it backtracks too much: make it more specific)",
                            rule->family && rule->family->path ? rule->family->path : "?", rule->line,
                            rule->re_src ? rule->re_src : "", (const char *)msg));
}

/* JIT-compiles `rule`'s regex once it has been given KP_JIT_AFTER_BYTES
 * of subject: compiling every rule of every family on load cost ~1.5 ms
 * of CPU per document, for rules most documents run over a few lines
 * only; the interpreter matches those as fast as JIT code would after
 * paying for its compilation.  A rule that scans much text is compiled
 * once and runs JIT from then on (the same matches: JIT and interpreter
 * are one regex language).  JIT unavailable: the interpreter goes on. */
static void jit_when_used(const KpRule *rule, gsize scanned)
{
  KpRule *r = (KpRule *)rule; /* the compiled form, not the rule's meaning */
  if (r->jit_tried)
    return;
  r->scanned += scanned;
  if (r->scanned < KP_JIT_AFTER_BYTES)
    return;
  r->jit_tried = TRUE;
  (void)pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE);
}

int kp_rule_exec(const KpRule *rule, const char *subject, gsize len, gsize offset, guint32 options)
{
  /* once a limit was hit the parse fails at the next check: matching more
   * would only spend up to the limit again on every line */
  if (g_private_get(&first_error) != NULL)
    return PCRE2_ERROR_NOMATCH;
  jit_when_used(rule, len > offset ? len - offset : 0);
  /* a subject without the byte every match holds cannot match: PCRE2
   * tests that itself before matching (see KP_NEED_BYTE_MAX), but only
   * after setting up the match */
  if (rule->need_byte >= 0 && offset < len && len - offset <= KP_NEED_BYTE_MAX &&
      memchr(subject + offset, rule->need_byte, len - offset) == NULL)
    return PCRE2_ERROR_NOMATCH;
  int rc = pcre2_match(rule->re, (PCRE2_SPTR)subject, len, offset, options, rule->md, limits_context());
  if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
      rc == PCRE2_ERROR_JIT_STACKLIMIT || rc == PCRE2_ERROR_NOMEMORY) {
    remember(rule, rc);
    return PCRE2_ERROR_NOMATCH;
  }
  return rc;
}

gboolean kp_match_check(GError **error)
{
  GError *kept = g_private_get(&first_error);
  if (kept == NULL)
    return TRUE;
  g_private_set(&first_error, NULL); /* ownership moves to the caller */
  g_propagate_error(error, kept);
  return FALSE;
}

void kp_match_reset(void)
{
  g_private_replace(&first_error, NULL);
}
