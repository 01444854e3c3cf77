/* test_parse_prefilter.c — the byte test in front of PCRE2 (a subject
 * without a rule's required byte is refused unmatched) never refuses a
 * subject the regex matches: every rule of every shipped pattern file and
 * some made-up ones, against many texts, with and without the test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "common/kk-error.h"
#include "patterns/kpat.h"

#define SEED 20261121u

/* What PCRE2 itself says, with no byte test. */
static gboolean pcre2_says(const KpRule *r, const char *subject)
{
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(r->re, NULL);
  int rc = pcre2_match(r->re, (PCRE2_SPTR)subject, strlen(subject), 0, 0, md, NULL);
  pcre2_match_data_free(md);
  return rc >= 0;
}

static const char *const subjects[] = {
  "", "APNo", "APNo.", "取組名", "(単位:千円)", "単位：円", "令和4年度", "R3実績", "R6計画", "目標値", "現状値",
  "平成30年度", "第六次荒尾市行政改革大綱(素案)", "小郡市行政経営行動計画", "1 窓口のデジタル化",
  "No.12 ふるさと納税の推進", "担当課 総務課", "実施計画", "スケジュール", "達成率 87.0%", "会議録",
  "開催日時 令和5年8月21日 13:30", "出席者", "ABC", "abc", "École", "ÉCOLE", "école", "ÄÖÜ", "äöü",
  "取組項目", "取組内容", "効果額", "千円", "百万円", "歳入", "歳出", "合計", "計", "基本方針", "重点項目",
  "主要施策の成果", "事業名", "所管課", "評価", "A", "B", "C", "◎", "○", "△", "×", "1-1", "(1)", "①",
};

/* A text made of pieces of the subjects above and odd bytes. */
static char *random_subject(GRand *r)
{
  GString *s = g_string_new(NULL);
  int n = g_rand_int_range(r, 1, 4);
  for (int i = 0; i < n; i++) {
    const char *piece = subjects[g_rand_int_range(r, 0, G_N_ELEMENTS(subjects))];
    g_string_append(s, piece);
    if (g_rand_int_range(r, 0, 3) == 0)
      g_string_append_c(s, " :.-/"[g_rand_int_range(r, 0, 5)]);
  }
  return g_string_free(s, FALSE);
}

static void check_family(const KpFamily *f, guint *tested, guint *filtered, guint *matched)
{
  GRand *r = g_rand_new_with_seed(SEED);
  for (guint i = 0; i < f->rules->len; i++) {
    const KpRule *rule = g_ptr_array_index(f->rules, i);
    if (rule->re == NULL)
      continue;
    (*tested)++;
    if (rule->required_byte >= 0)
      (*filtered)++;
    for (int k = 0; k < 400; k++) {
      g_autofree char *random = k < (int)G_N_ELEMENTS(subjects) ? NULL : random_subject(r);
      const char *s = random ? random : subjects[k];
      gboolean want = pcre2_says(rule, s);
      if (kp_rule_match(rule, s, NULL) != want || kp_rule_match_valid(rule, s, NULL) != want)
        fail_msg("%s:%d /%s/ on \"%s\": the byte test changed the answer", f->path, rule->line, rule->re_src, s);
      *matched += want;
    }
  }
  g_rand_free(r);
}

static void test_shipped_pattern_files(void **state)
{
  (void)state;
  g_autoptr(GError) e = NULL;
  g_autoptr(GDir) d = g_dir_open("patterns/families", 0, &e);
  assert_non_null(d);
  guint files = 0, tested = 0, filtered = 0, matched = 0;
  const char *name;
  while ((name = g_dir_read_name(d)) != NULL) {
    if (!g_str_has_suffix(name, ".kpat"))
      continue;
    g_autofree char *path = g_build_filename("patterns/families", name, NULL);
    g_autoptr(KpFamily) f = kp_family_load(path, &e);
    assert_non_null(f);
    check_family(f, &tested, &filtered, &matched);
    files++;
  }
  assert_true(files >= 5);
  assert_true(filtered > 0 && matched > 0); /* the test is exercised both ways */
}

static void test_made_up_rules(void **state)
{
  (void)state;
  static const char text[] =
    "family t\nname T\n[recognise]\nscore 1 /^APNo$/\n"
    "[document]\n"
    "title /abc|xbc/\n"            /* a last unit shared by the alternatives */
    "title /(?i)abc/\n"            /* caseless: no byte test */
    "title /école/i\n"              /* caseless by flag */
    "title /é(?i:cole)/\n"          /* caseless inside */
    "title /^R\\d+(実績|計画)$/\n"
    "title /[年月]度/\n"
    "title /x?y*/\n"                /* can match the empty string */
    "title /\\d+%/\n"
    "title /(?=.*計画)実施/\n";
  g_autoptr(GError) e = NULL;
  g_autoptr(KpFamily) f = kp_family_parse("made-up.kpat", text, strlen(text), &e);
  assert_non_null(f);
  guint tested = 0, filtered = 0, matched = 0;
  check_family(f, &tested, &filtered, &matched);
  /* the caseless ones keep PCRE2's own answer */
  const KpRule *ci = g_ptr_array_index(f->section[KP_SEC_DOCUMENT], 1);
  assert_int_equal(ci->required_byte, -1);
  assert_true(kp_rule_match(ci, "xABCx", NULL));
  const KpRule *fr = g_ptr_array_index(f->section[KP_SEC_DOCUMENT], 2);
  assert_int_equal(fr->required_byte, -1);
  assert_true(kp_rule_match(fr, "ÉCOLE", NULL));
  const KpRule *alt = g_ptr_array_index(f->section[KP_SEC_DOCUMENT], 0);
  assert_int_equal(alt->required_byte, 'c');
  assert_true(kp_rule_match(alt, "-xbc-", NULL));
  assert_false(kp_rule_match(alt, "ab", NULL));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_shipped_pattern_files),
    cmocka_unit_test(test_made_up_rules),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
