/* test_parse_kpat.c — the pattern-file loader: what it accepts, and that
 * every mistake is reported with file, line and (for regexes) PCRE2's
 * message and offset, never a crash. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "common/kk-error.h"
#include "patterns/kpat.h"
#include "patterns/match-limits.h"

static KpFamily *parse(const char *text, GError **error)
{
  return kp_family_parse("t.kpat", text, strlen(text), error);
}

#define GOOD_HEAD "family demo\nname A demo family\n[recognise]\nscore 10 /^APNo$/\n"

static void test_accepts_a_family(void **state)
{
  g_autoptr(GError) e = NULL;
  g_autoptr(KpFamily) f = parse(GOOD_HEAD "require where=cell /取組名/\n[card]\nstart /^APNo\\.?$/\n"
                                "label as=title /^取組名$/\nschedule actual=実績 /^R\\d+(実績|計画)$/x\n"
                                "[units]\nunit /単位[:：](千円|円)/\n", &e);
  assert_non_null(f);
  assert_string_equal(f->id, "demo");
  assert_string_equal(f->name, "A demo family");
  assert_int_equal(f->section[KP_SEC_CARD]->len, 3);
  KpRule *label = g_ptr_array_index(f->section[KP_SEC_CARD], 1);
  assert_string_equal(kp_rule_opt(label, KP_OPT_AS), "title");
  assert_int_equal(label->line, 8);
  char *v = NULL;
  assert_true(kp_rule_match(label, "取組名", &v));
  assert_string_equal(v, "取組名"); /* no group: the whole match */
  g_free(v);
  KpRule *unit = g_ptr_array_index(f->section[KP_SEC_UNITS], 0);
  assert_true(kp_rule_match(unit, "(単位:千円)", &v));
  assert_string_equal(v, "千円"); /* group 1 */
  g_free(v);
  assert_false(kp_rule_match(unit, "単位なし", NULL));
  assert_non_null(f->sha256);
}

static void test_value_group_by_name(void **state)
{
  g_autoptr(GError) e = NULL;
  g_autoptr(KpFamily) f = parse(GOOD_HEAD "[document]\nmunicipality /(福岡県)(?<value>\\S+市)/\n", &e);
  assert_non_null(f);
  char *v = NULL;
  assert_true(kp_rule_match(g_ptr_array_index(f->section[KP_SEC_DOCUMENT], 0), "発行・福岡県小郡市", &v));
  assert_string_equal(v, "小郡市");
  g_free(v);
}

/* A rule is JIT-compiled only once its regex has been given
 * KP_JIT_AFTER_BYTES of text (match-limits.c), and matches the same
 * before and after (groups included). */
static void test_jit_after_use(void **state)
{
  g_autoptr(GError) e = NULL;
  g_autoptr(KpFamily) f = parse(GOOD_HEAD "[document]\nmunicipality /(福岡県)(?<value>\\S+市)/\n", &e);
  assert_non_null(f);
  KpRule *r = g_ptr_array_index(f->section[KP_SEC_DOCUMENT], 0);
  assert_false(r->jit_tried);
  const char *line = "発行・福岡県小郡市 企画課";
  gsize runs = 0;
  while (!r->jit_tried) {
    char *v = NULL;
    assert_true(kp_rule_match(r, line, &v));
    assert_string_equal(v, "小郡市");
    g_free(v);
    assert_false(kp_rule_match(r, "福岡県の計画", NULL));
    runs++;
    assert_true(runs < KP_JIT_AFTER_BYTES); /* it comes */
  }
  assert_true(r->scanned >= KP_JIT_AFTER_BYTES);
  uint32_t jit = 0;
  size_t jit_size = 0;
  pcre2_config(PCRE2_CONFIG_JIT, &jit);
  pcre2_pattern_info(r->re, PCRE2_INFO_JITSIZE, &jit_size);
  assert_true(jit ? jit_size > 0 : jit_size == 0);
  assert_true(runs * (strlen(line) + strlen("福岡県の計画")) >= KP_JIT_AFTER_BYTES);
  char *v = NULL;
  assert_true(kp_rule_match(r, line, &v));
  assert_string_equal(v, "小郡市");
  g_free(v);
  assert_false(kp_rule_match(r, "福岡県の計画", NULL));
}

/* The error message must contain every one of the given fragments. */
static void expect_error(const char *text, const char *frag1, const char *frag2)
{
  g_autoptr(GError) e = NULL;
  g_autoptr(KpFamily) f = parse(text, &e);
  assert_null(f);
  assert_non_null(e);
  assert_int_equal(e->code, KK_ERROR_PATTERN);
  if (strstr(e->message, frag1) == NULL || (frag2 && strstr(e->message, frag2) == NULL))
    fail_msg("message '%s' lacks '%s' / '%s'", e->message, frag1, frag2 ? frag2 : "");
}

static void test_bad_regex_names_line_message_offset(void **state)
{
  /* PCRE2: "missing closing parenthesis" at the end of the pattern */
  expect_error(GOOD_HEAD "[card]\nstart /^(APNo/\n", "t.kpat:6:", "missing closing parenthesis at offset 6");
  expect_error(GOOD_HEAD "[card]\nlabel /a{2,1}/\n", "t.kpat:6:", "offset");
}

static void test_format_mistakes(void **state)
{
  expect_error("[recognise]\nscore 10 /x/\n", "t.kpat:1:", "family");
  expect_error(GOOD_HEAD "[cards]\n", "t.kpat:5:", "unknown section");
  expect_error(GOOD_HEAD "[card]\nfrobnicate /x/\n", "t.kpat:6:", "unknown directive 'frobnicate'");
  expect_error(GOOD_HEAD "[card]\nlabel /x\n", "t.kpat:6:", "not closed");
  expect_error(GOOD_HEAD "[card]\nlabel colour=red /x/\n", "t.kpat:6:", "no option 'colour'");
  expect_error(GOOD_HEAD "[card]\nlabel as=colour /x/\n", "t.kpat:6:", "as=colour");
  expect_error(GOOD_HEAD "[card]\nlabel\n", "t.kpat:6:", "needs a regular expression");
  expect_error(GOOD_HEAD "[card]\nlabel /x/q\n", "t.kpat:6:", "unknown flag 'q'");
  expect_error(GOOD_HEAD "[card]\nlabel //\n", "t.kpat:6:", "empty regular expression");
  expect_error(GOOD_HEAD "[measures]\nrole winner /x/\n", "t.kpat:6:", "not one of");
  expect_error(GOOD_HEAD "[recognise]\nscore lots /x/\n", "t.kpat:6:", "wants a number");
  expect_error("family a\nfamily b\n[recognise]\nscore 1 /x/\n", "t.kpat:2:", "given twice");
  expect_error("family a\nstart /x/\n", "t.kpat:2:", "inside a [section]");
  expect_error("family a\n[card]\nstart /x/\n", "t.kpat", "[recognise]");
  expect_error(GOOD_HEAD "[card]\nlabel stray /x/\n", "t.kpat:6:", "unexpected 'stray'");
}

/* schedule kind=plan|actual: the kind of a schedule rule, a closed
 * vocabulary, in [card] and [list] (not elsewhere). */
static void test_schedule_kind_option(void **state)
{
  g_autoptr(GError) e = NULL;
  g_autoptr(KpFamily) f = parse(GOOD_HEAD "[card]\nschedule kind=actual /^結果$/\nschedule /^計画$/\n"
                                "[list]\nschedule kind=plan /^予定$/\n", &e);
  if (f == NULL)
    fail_msg("%s", e->message);
  assert_string_equal(kp_rule_opt(g_ptr_array_index(f->section[KP_SEC_CARD], 0), KP_OPT_KIND), "actual");
  assert_null(kp_rule_opt(g_ptr_array_index(f->section[KP_SEC_CARD], 1), KP_OPT_KIND));
  assert_string_equal(kp_rule_opt(g_ptr_array_index(f->section[KP_SEC_LIST], 0), KP_OPT_KIND), "plan");
  expect_error(GOOD_HEAD "[card]\nschedule kind=forecast /^見込$/\n", "t.kpat:6:", "kind=forecast");
  expect_error(GOOD_HEAD "[card]\nlabel kind=actual /^実績$/\n", "t.kpat:6:", "no option 'kind'");
}

static void test_hostile_input(void **state)
{
  expect_error("family a\xff\n", "t.kpat", "UTF-8");
  g_autofree char *big = g_strnfill(KP_MAX_FILE_BYTES + 10, '#');
  g_autoptr(GError) e = NULL;
  assert_null(kp_family_parse("t.kpat", big, strlen(big), &e));
  assert_non_null(strstr(e->message, "larger than"));
  g_autofree char *longline = g_strnfill(KP_MAX_LINE_BYTES + 10, 'x');
  g_autofree char *text = g_strconcat("family a\n", longline, "\n", NULL);
  expect_error(text, "t.kpat:2:", "longer than");
  /* text with a NUL byte inside */
  g_autoptr(GError) e2 = NULL;
  assert_null(kp_family_parse("t.kpat", "family a\0b", 10, &e2));
}

static void test_missing_file(void **state)
{
  g_autoptr(GError) e = NULL;
  assert_null(kp_family_load("/nonexistent/x.kpat", &e));
  assert_int_equal(e->code, KK_ERROR_PATTERN);
  assert_non_null(strstr(e->message, "/nonexistent/x.kpat"));
}

/* define NAME /re/ and {NAME}; include FILE beside the family's file. */
static void test_define_and_include(void **state)
{
  g_autoptr(GError) e = NULL;
  g_autoptr(KpFamily) f = parse(GOOD_HEAD "define MONEY /千円|百万円/\ndefine UNIT /単位[:：]({MONEY})/\n"
                                "[units]\nunit /{UNIT}/\n[card]\nlabel /^\\p{Han}{2}$/\n", &e);
  if (f == NULL)
    fail_msg("%s", e->message);
  KpRule *unit = g_ptr_array_index(f->section[KP_SEC_UNITS], 0);
  char *v = NULL;
  assert_true(kp_rule_match(unit, "(単位:百万円)", &v));
  assert_string_equal(v, "百万円"); /* the definition's group is the rule's group 1 */
  g_free(v);
  assert_string_equal(unit->re_src, "(?:単位[:：]((?:千円|百万円)))");
  /* \p{Han} is an escape, not a definition */
  assert_true(kp_rule_match(g_ptr_array_index(f->section[KP_SEC_CARD], 0), "担当", NULL));
  expect_error(GOOD_HEAD "[units]\nunit /{NOPE}/\n", "t.kpat:6:", "{NOPE} is not defined");
  expect_error(GOOD_HEAD "define lower /x/\n", "t.kpat:5:", "upper-case NAME");
  expect_error(GOOD_HEAD "define BAD /(x/\n", "t.kpat:5:", "define BAD");
  expect_error(GOOD_HEAD "include ../x.kpinc\n", "t.kpat:5:", "beside this file");

  /* include: rules land in the sections the fragment names; the section
   * in force comes back after it; a fragment may not name a family */
  g_autofree char *dir = g_dir_make_tmp("kkpat-XXXXXX", NULL);
  g_autofree char *inc = g_build_filename(dir, "units.kpinc", NULL);
  g_autofree char *fam = g_build_filename(dir, "f.kpat", NULL);
  g_autofree char *bad = g_build_filename(dir, "bad.kpinc", NULL);
  g_autofree char *loop = g_build_filename(dir, "loop.kpinc", NULL);
  assert_true(g_file_set_contents(inc, "define MONEY /千円|円/\n[units]\nunit /単位:({MONEY})/\n", -1, NULL));
  assert_true(g_file_set_contents(bad, "family x\n", -1, NULL));
  assert_true(g_file_set_contents(loop, "include loop.kpinc\n", -1, NULL));
  assert_true(g_file_set_contents(fam, GOOD_HEAD "[card]\ninclude units.kpinc\nlabel /^{MONEY}$/\n", -1, NULL));
  g_autoptr(GError) e2 = NULL;
  g_autoptr(KpFamily) g = kp_family_load(fam, &e2);
  if (g == NULL)
    fail_msg("%s", e2->message);
  assert_int_equal(g->section[KP_SEC_UNITS]->len, 1);
  assert_int_equal(g->section[KP_SEC_CARD]->len, 1); /* back in [card] after the include */
  assert_true(kp_rule_match(g_ptr_array_index(g->section[KP_SEC_CARD], 0), "千円", NULL));
  /* the family's SHA-256 covers what it includes */
  g_autofree char *sha = g_strdup(g->sha256);
  assert_true(g_file_set_contents(inc, "define MONEY /千円|円|万円/\n[units]\nunit /単位:({MONEY})/\n", -1, NULL));
  g_autoptr(KpFamily) g2 = kp_family_load(fam, &e2);
  assert_non_null(g2);
  assert_string_not_equal(sha, g2->sha256);
  g_autofree char *plain = g_compute_checksum_for_string(G_CHECKSUM_SHA256, GOOD_HEAD, -1);
  g_autoptr(KpFamily) g3 = parse(GOOD_HEAD, &e2);
  assert_string_equal(g3->sha256, plain); /* without includes: the file's bytes */
  g_autofree char *dev = g_build_filename(dir, "dev.kpinc", NULL);
  assert_int_equal(symlink("/dev/zero", dev), 0);
  const char *cases[][2] = { { "include bad.kpinc\n", "bad.kpinc:1:" },
                             { "include dev.kpinc\n", "not a regular file" },
                             { "include loop.kpinc\n", "nested deeper" },
                             { "include none.kpinc\n", "f.kpat:5: include none.kpinc: " } };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *text = g_strconcat(GOOD_HEAD, cases[i][0], NULL);
    assert_true(g_file_set_contents(fam, text, -1, NULL));
    g_autoptr(GError) e3 = NULL;
    g_autoptr(KpFamily) h = kp_family_load(fam, &e3);
    assert_null(h);
    if (strstr(e3->message, cases[i][1]) == NULL)
      fail_msg("'%s' lacks '%s'", e3->message, cases[i][1]);
  }
  const char *files[] = { inc, fam, bad, loop, dev };
  for (gsize i = 0; i < G_N_ELEMENTS(files); i++)
    g_unlink(files[i]);
  g_rmdir(dir);
}

/* Mutated pattern files (bytes flipped, lines cut, pieces repeated) are
 * either loaded or refused with a file:line message: never a crash. */
static void test_mutations_never_crash(void **state)
{
  g_autofree char *base = NULL;
  gsize len = 0;
  g_autofree char *path = g_build_filename(g_getenv("KK_ROOT") ? g_getenv("KK_ROOT") : ".",
                                           "patterns", "families", "action-plan-items.kpat", NULL);
  if (!g_file_get_contents(path, &base, &len, NULL))
    fail_msg("cannot read %s", path);
  g_autoptr(GRand) rnd = g_rand_new_with_seed(42);
  const char pieces[] = "/()[]{}\\=*+?|^$#\n \t\xe3\x80";
  for (int i = 0; i < 1500; i++) {
    g_autofree char *buf = g_memdup2(base, len + 1);
    gsize n = len;
    int edits = 1 + g_rand_int_range(rnd, 0, 4);
    for (int k = 0; k < edits && n > 0; k++) {
      gsize at = (gsize)g_rand_int_range(rnd, 0, (gint32)n);
      switch (g_rand_int_range(rnd, 0, 3)) {
      case 0: buf[at] = pieces[g_rand_int_range(rnd, 0, (gint32)sizeof pieces - 1)]; break;
      case 1: n = at; buf[n] = '\0'; break;
      default: buf[at] = (char)g_rand_int_range(rnd, 1, 256); break;
      }
    }
    g_autoptr(GError) e = NULL;
    g_autoptr(KpFamily) f = kp_family_parse("m.kpat", buf, n, &e);
    if (f == NULL) {
      assert_non_null(e);
      assert_int_equal(e->code, KK_ERROR_PATTERN);
      assert_true(g_str_has_prefix(e->message, "m.kpat"));
    } else {
      /* a loaded family's rules all match safely */
      for (guint r = 0; r < f->rules->len; r++)
        kp_rule_match(g_ptr_array_index(f->rules, r), "APNo. 15億円以内 令和4年度", NULL);
    }
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_accepts_a_family),
    cmocka_unit_test(test_value_group_by_name),
    cmocka_unit_test(test_jit_after_use),
    cmocka_unit_test(test_bad_regex_names_line_message_offset),
    cmocka_unit_test(test_format_mistakes),
    cmocka_unit_test(test_schedule_kind_option),
    cmocka_unit_test(test_hostile_input),
    cmocka_unit_test(test_missing_file),
    cmocka_unit_test(test_define_and_include),
    cmocka_unit_test(test_mutations_never_crash),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
