/*
 * match-limits.h — every pattern-file regex runs under PCRE2 limits.
 *
 * A regex written carelessly (/^(a+)+$/) backtracks exponentially on a line
 * it almost matches.  PCRE2 stops such a match at its match or depth limit
 * and says so; that answer is not "no match" (a rule would silently miss
 * what it was written for), so the first limit hit is kept and the parse
 * fails with it, naming the pattern file and line of the rule.
 */
#ifndef KK_MATCH_LIMITS_H
#define KK_MATCH_LIMITS_H

#include "patterns/kpat.h"

G_BEGIN_DECLS

/* Steps one match may take (PCRE2's match limit: calls of its internal
 * match function, or JIT backtracks); the rules of patterns/families take
 * below 20,000 on the corpus's longest lines. */
#define KP_MATCH_LIMIT 1000000u
/* Nesting of backtracking points one match may reach (depth limit). */
#define KP_DEPTH_LIMIT 10000u
/* Heap one match may use for backtracking, in KiB. */
#define KP_HEAP_LIMIT (16u * 1024u)

/* Subject bytes a rule's regex is given (summed over its matches) before
 * kp_rule_exec() JIT-compiles it. */
#define KP_JIT_AFTER_BYTES 8192u

/* Longest subject (from the offset) that kp_rule_exec() first searches
 * for the byte every match of the rule holds (KpRule.need_byte).  PCRE2's
 * interpreter and JIT make the same search before matching on subjects
 * shorter than its REQ_CU_MAX (5000 in 10.42), so below it the answers,
 * limit hits included, are PCRE2's own. */
#define KP_NEED_BYTE_MAX 1000u

/* pcre2_match() of `rule`'s regex on subject[0..len) from byte `offset`,
 * with `options`, into rule->md, under the limits above.  Returns what
 * pcre2_match returns, except that a limit hit (match, depth, heap, JIT
 * stack, or PCRE2 out of memory) is remembered for kp_match_check() — the first one per thread — and
 * returns PCRE2_ERROR_NOMATCH so the caller goes on safely until it
 * checks; until then every match of the thread returns
 * PCRE2_ERROR_NOMATCH at once (the parse fails anyway). */
int kp_rule_exec(const KpRule *rule, const char *subject, gsize len, gsize offset, guint32 options);

/* FALSE with `error` set (KK_ERROR_LIMIT, "FILE:LINE: ...") when a match of
 * this thread hit a limit since the last kp_match_check() or
 * kp_match_reset(); the remembered error is cleared either way. */
gboolean kp_match_check(GError **error);

/* Forgets a remembered limit error (a new stream begins). */
void kp_match_reset(void);

G_END_DECLS

#endif
