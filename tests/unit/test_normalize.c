/* test_normalize.c — the normalize library: text normalization, annotation
 * of every kind, eras, cell parsers, bad input.  Table-driven: every row of
 * every table is its own cmocka test, so a failure names its input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "common/kk-error.h"
#include "normalize/normalize.h"

/* ---- text normalization: input -> normalized text ----------------------- */

typedef struct {
  const char *in;
  const char *want;
  int flags; /* KkNormalizeFlags; 0 when omitted */
} TextCase;

static const TextCase text_cases[] = {
  /* NFKC */
  { "ＡＢＣ１２３", "ABC123", 0 },
  { "ｶﾞｲﾄﾞﾌﾞｯｸ", "ガイドブック", 0 },
  { "ﾃﾞｼﾞﾀﾙ化", "デジタル化", 0 },
  { "１，２３４", "1,234", 0 },
  { "８５％", "85%", 0 },
  { "（令和３年度　時点）", "(令和3年度 時点)", 0 },
  { "㈱", "(株)", 0 },
  { "㍻", "平成", 0 },
  { "Ⅱ", "II", 0 },
  { "㎡", "m2", 0 },
  { "R4～R6", "R4~R6", 0 },
  { "\xEF\xA8\x99", "神", 0 },                    /* U+FA19 compatibility ideograph */
  { "\xEF\xA4\x80", "豈", 0 },                    /* U+F900 */
  /* Kangxi radicals (NFKC) */
  { "⽇本", "日本", 0 },
  { "⼈⼝", "人口", 0 },
  { "⾏政", "行政", 0 },
  { "⾦額", "金額", 0 },
  /* CJK Radicals Supplement (the generated table) */
  { "⺟子", "母子", 0 },                             /* U+2E9F */
  { "⻄日本", "西日本", 0 },                         /* U+2EC4 */
  { "⻑期", "長期", 0 },                             /* U+2ED1 */
  { "⻝品", "食品", 0 },                             /* U+2EDD */
  /* circled numbers are item markers: kept */
  { "①100人", "①100人", 0 },
  { "㉑", "㉑", 0 },
  /* space repair */
  { "令和 3 年度", "令和3年度", 0 },
  { "R 3 実績", "R3実績", 0 },
  { "R 5 計画", "R5計画", 0 },
  { "昭和 61年", "昭和61年", 0 },
  { "平成 8年 小郡市", "平成8年小郡市", 0 },
  { "H 30年度", "H30年度", 0 },
  { "市制施行 50 周年", "市制施行50周年", 0 },
  { "市長発信用 SNS 開設", "市長発信用SNS開設", 0 },
  { "SNS を活用", "SNSを活用", 0 },
  { "小 郡 市", "小郡市", 0 },
  { "Facebook Twitter LINE", "Facebook Twitter LINE", 0 },
  { "SDG s への取組", "SDG sへの取組", 0 },
  { "Windows 10", "Windows 10", 0 },
  { "PART 2", "PART 2", 0 },
  { "10 20 30", "10 20 30", 0 },
  { "8 健康診断を軸とした", "8 健康診断を軸とした", 0 },
  { "1-1 車座トーク", "1-1 車座トーク", 0 },
  { "(3) 旅費", "(3) 旅費", 0 },
  { "2022 年度", "2022年度", 0 },
  { "１．２ ケーブル関係", "1.2 ケーブル関係", 0 },
  { "3 か所", "3か所", 0 },
  { "ａ ねじ止め端子", "a ねじ止め端子", 0 },
  { "  b ねじなし端子", "b ねじなし端子", 0 },
  { "図 a を参照", "図aを参照", 0 },
  { "① 前年度との比較", "① 前年度との比較", 0 },
  { "前年度比+2.0ポイント 〇寄附金額 前年度比", "前年度比+2.0ポイント 〇寄附金額前年度比", 0 },
  { "運用開始 ・ 広報・周知活動", "運用開始 ・広報・周知活動", 0 },
  { "目標 ※ 参考値", "目標 ※参考値", 0 },
  { "西暦 二〇二五年", "西暦二〇二五年", 0 },
  { "3 人", "3人", 0 },
  { "委員報酬　　118千円", "委員報酬  118千円", 0 },
  { "報酬　118千円", "報酬 118千円", 0 },
  { "報酬  118千円", "報酬  118千円", 0 },
  { "a\tb", "a\tb", 0 },
  { "  前後の空白  ", "前後の空白", 0 },
  { "　全角で字下げ", "全角で字下げ", 0 },
  { "a\r\nb", "a\nb", 0 },
  { "a\rb", "a\nb", 0 },
  { "一行目 \n  二行目", "一行目\n二行目", 0 },
  { "令\xE2\x80\x8B和", "令和", 0 },                /* zero-width space */
  { "\xEF\xBB\xBF" "BOM", "BOM", 0 },
  { "ソフト\xC2\xAD" "ハイフン", "ソフトハイフン", 0 },
  { "", "", 0 },
  /* line joining, only when asked */
  { "約18\n5億円", "約18\n5億円", 0 },
  { "約18\n5億円", "約185億円", KK_NORMALIZE_JOIN_LINES },
  { "借入額を元\n金償還額以内", "借入額を元金償還額以内", KK_NORMALIZE_JOIN_LINES },
  { "・項目一\n・項目二", "・項目一\n・項目二", KK_NORMALIZE_JOIN_LINES },
  { "終わる。\n次の文", "終わる。\n次の文", KK_NORMALIZE_JOIN_LINES },
  { "R4年度計画\n〇市債発行額", "R4年度計画\n〇市債発行額", KK_NORMALIZE_JOIN_LINES },
  { "English\nwords", "English\nwords", KK_NORMALIZE_JOIN_LINES },
};

static void run_text_case(void **state)
{
  const TextCase *c = *state;
  g_autoptr(GError) e = NULL;
  g_autofree char *got = kk_normalize_text(c->in, -1, c->flags, &e);
  if (got == NULL)
    fail_msg("%s: %s", c->in, e->message);
  if (strcmp(got, c->want) != 0)
    fail_msg("normalize(%s) = [%s], wanted [%s]", c->in, got, c->want);
}

/* ---- annotation: raw input -> spans JSON -------------------------------- */

typedef struct {
  const char *in;
  const char *want; /* the "spans" array exactly as --annotate prints it */
} SpanCase;

#define NUM(s, e, v) "{\"start\":" #s ",\"end\":" #e ",\"kind\":\"number\",\"value\":" #v "}"
#define AMT(s, e, v) "{\"start\":" #s ",\"end\":" #e ",\"kind\":\"amount\",\"value\":" #v "}"
#define QTY(s, e, v, u) "{\"start\":" #s ",\"end\":" #e ",\"kind\":\"quantity\",\"value\":" #v ",\"unit\":\"" u "\"}"
#define PCT(s, e, v) "{\"start\":" #s ",\"end\":" #e ",\"kind\":\"percent\",\"value\":" #v "}"
#define DATE(s, e, v) "{\"start\":" #s ",\"end\":" #e ",\"kind\":\"date\",\"value\":\"" v "\"}"
#define YEAR(s, e, v) "{\"start\":" #s ",\"end\":" #e ",\"kind\":\"year\",\"value\":" #v "}"
#define FY(s, e, v) "{\"start\":" #s ",\"end\":" #e ",\"kind\":\"fiscal_year\",\"value\":" #v "}"
#define FYR(s, e, a, b) "{\"start\":" #s ",\"end\":" #e ",\"kind\":\"fiscal_year_range\",\"value\":[" #a "," #b "]}"

static const SpanCase span_cases[] = {
  /* the issue's example */
  { "令和4年度の目標は1億5,000万円", "[" FY(0, 5, 2022) "," AMT(9, 18, 150000000) "]" },
  /* kanji numerals */
  { "二十五", "[" NUM(0, 3, 25) "]" },
  { "一億五千万", "[" NUM(0, 5, 150000000) "]" },
  { "十", "[" NUM(0, 1, 10) "]" },
  { "二十", "[" NUM(0, 2, 20) "]" },
  { "百五", "[" NUM(0, 2, 105) "]" },
  { "二〇二五", "[" NUM(0, 4, 2025) "]" },
  { "〇", "[" NUM(0, 1, 0) "]" },
  { "九", "[" NUM(0, 1, 9) "]" },
  { "千", "[" NUM(0, 1, 1000) "]" },
  { "三千二百", "[" NUM(0, 4, 3200) "]" },
  { "十万", "[" NUM(0, 2, 100000) "]" },
  { "一兆二億", "[" NUM(0, 4, 1000200000000) "]" },
  { "壱万弐千参百拾", "[" NUM(0, 7, 12310) "]" },
  { "拾", "[" NUM(0, 1, 10) "]" },
  { "参拾", "[" NUM(0, 2, 30) "]" },
  { "五百二十", "[" NUM(0, 4, 520) "]" },
  { "(三)", "[" NUM(1, 2, 3) "]" },
  { "三百六十五日", "[" QTY(0, 6, 365, "日") "]" },
  { "一人", "[" QTY(0, 2, 1, "人") "]" },
  { "第一回", "[" QTY(1, 3, 1, "回") "]" },
  { "五万人", "[" QTY(0, 3, 50000, "人") "]" },
  /* kanji that are words, not numbers */
  { "一般会計", "[]" },
  { "三井消防署", "[]" },
  { "十分な", "[]" },
  { "一部の事業", "[]" },
  { "万一の場合", "[]" },
  { "〇普通建設事業費", "[]" },
  { "〇〇課", "[]" },
  { "〇人", "[]" },
  { "九州", "[]" },
  { "千葉", "[]" },
  { "単位:千円", "[]" },
  { "消耗品費 千円", "[]" },
  { "百万円", "[]" },
  /* Arabic numbers, separators, signs */
  { "1,234", "[" NUM(0, 5, 1234) "]" },
  { "１，２３４，５６７", "[" NUM(0, 9, 1234567) "]" },
  { "10,000", "[" NUM(0, 6, 10000) "]" },
  { "1,23", "[" NUM(0, 1, 1) "," NUM(2, 4, 23) "]" },
  { "0.5", "[" NUM(0, 3, 0.5) "]" },
  { "1.10", "[" NUM(0, 4, 1.10) "]" },
  { "007", "[" NUM(0, 3, 7) "]" },
  { "△12.8", "[" NUM(0, 5, -12.8) "]" },
  { "▲600", "[" NUM(0, 4, -600) "]" },
  { "▲ 600", "[" NUM(0, 4, -600) "]" },
  { "マイナス5", "[" NUM(0, 5, -5) "]" },
  { "マイナス三", "[" NUM(0, 5, -3) "]" },
  { "-5", "[" NUM(0, 2, -5) "]" },
  { "−3.5", "[" NUM(0, 4, -3.5) "]" },
  { "+2.0ポイント", "[" QTY(0, 8, 2.0, "ポイント") "]" },
  { "前年度比▲600時間以上", "[" QTY(4, 10, -600, "時間") "]" },
  { "△印", "[]" },
  { "1億5,000万", "[" NUM(0, 8, 150000000) "]" },
  { "約185億", "[" NUM(1, 5, 18500000000) "]" },
  { "1兆", "[" NUM(0, 2, 1000000000000) "]" },
  { "9999兆", "[" NUM(0, 5, 9999000000000000) "]" },
  { "5万1億", "[" NUM(0, 2, 50000) "," NUM(2, 4, 100000000) "]" },
  /* codes, times, words: no span inside them */
  { "COVID-19", "[]" },
  { "A4判", "[]" },
  { "1-1", "[]" },
  { "13:30~15:00", "[]" },
  { "5G回線", "[]" },
  { "5min", "[]" },
  { "ver1.2.3", "[]" },
  { "No.5", "[" NUM(3, 4, 5) "]" },
  { "8月21日", "[]" },
  { "3月末", "[]" },
  /* overflow: never wrapped, never annotated */
  { "12345678901234567890", "[]" },
  { "99999999999999999999円", "[]" },
  { "9,223,372,036,854,775,807", "[]" },
  { "99999999兆", "[]" },
  { "99999999兆円", "[]" },
  { "一一一一一一一一一一一一一一一一一一一一", "[]" },
  { "0.0000000000000000001", "[]" },
  /* amounts */
  { "15億円", "[" AMT(0, 4, 1500000000) "]" },
  { "1億5,000万円", "[" AMT(0, 9, 150000000) "]" },
  { "１億５０００万円", "[" AMT(0, 8, 150000000) "]" },
  { "526千円", "[" AMT(0, 5, 526000) "]" },
  { "685,903千円", "[" AMT(0, 9, 685903000) "]" },
  { "627百万円", "[" AMT(0, 6, 627000000) "]" },
  { "50円", "[" AMT(0, 3, 50) "]" },
  { "180万円", "[" AMT(0, 5, 1800000) "]" },
  { "1.5億円", "[" AMT(0, 5, 150000000) "]" },
  { "2千5百万円", "[" AMT(0, 6, 25000000) "]" },
  { "一千円", "[" AMT(0, 3, 1000) "]" },
  { "1兆円", "[" AMT(0, 3, 1000000000000) "]" },
  { "△1,000千円", "[" AMT(0, 8, -1000000) "]" },
  { "0.5円", "[" AMT(0, 4, 1) "]" },
  { "1.4千円", "[" AMT(0, 5, 1400) "]" },
  { "約19億円", "[" AMT(1, 5, 1900000000) "]" },
  { "15億円以内", "[" AMT(0, 4, 1500000000) "]" },
  { "5,000万円", "[" AMT(0, 7, 50000000) "]" },
  { "1,474,800円", "[" AMT(0, 10, 1474800) "]" },
  { "寄附受入額 685,903千円", "[" AMT(5, 14, 685903000) "]" },
  { "上限1,000千円+世帯数×50円", "[" AMT(2, 9, 1000000) "," AMT(14, 17, 50) "]" },
  /* quantities */
  { "81件", "[" QTY(0, 3, 81, "件") "]" },
  { "22432部", "[" QTY(0, 6, 22432, "部") "]" },
  { "600時間", "[" QTY(0, 5, 600, "時間") "]" },
  { "3,400人", "[" QTY(0, 6, 3400, "人") "]" },
  { "37行政区", "[" QTY(0, 5, 37, "行政区") "]" },
  { "12地区", "[" QTY(0, 4, 12, "地区") "]" },
  { "12か月", "[" QTY(0, 4, 12, "か月") "]" },
  { "5か年", "[" QTY(0, 3, 5, "か年") "]" },
  { "5年間", "[" QTY(0, 3, 5, "年間") "]" },
  { "1.5倍", "[" QTY(0, 4, 1.5, "倍") "]" },
  { "100m", "[" QTY(0, 4, 100, "m") "]" },
  { "19ha", "[" QTY(0, 4, 19, "ha") "]" },
  { "30㎡", "[" QTY(0, 4, 30, "m2") "]" },
  { "75社", "[" QTY(0, 3, 75, "社") "]" },
  { "500品目", "[" QTY(0, 5, 500, "品目") "]" },
  { "5か所", "[" QTY(0, 3, 5, "か所") "]" },
  { "1ヵ月後", "[" QTY(0, 3, 1, "ヵ月") "]" },
  { "300業務", "[" QTY(0, 5, 300, "業務") "]" },
  { "27手続", "[" QTY(0, 4, 27, "手続") "]" },
  { "5事業所", "[" QTY(0, 4, 5, "事業所") "]" },
  { "12事業", "[" QTY(0, 4, 12, "事業") "]" },
  { "2.0ポイント", "[" QTY(0, 7, 2.0, "ポイント") "]" },
  /* percents */
  { "87.0%", "[" PCT(0, 5, 87.0) "]" },
  { "８５％", "[" PCT(0, 3, 85) "]" },
  { "前年度比110%", "[" PCT(4, 8, 110) "]" },
  { "12.98%", "[" PCT(0, 6, 12.98) "]" },
  { "50パーセント", "[" PCT(0, 7, 50) "]" },
  { "△3.2%", "[" PCT(0, 5, -3.2) "]" },
  { "十%", "[" PCT(0, 2, 10) "]" },
  { "87.0 %", "[" PCT(0, 6, 87.0) "]" },
  { "87.0  %", "[" NUM(0, 4, 87.0) "]" },
  /* dates */
  { "令和2年8月21日（金）", "[" DATE(0, 9, "2020-08-21") "]" },
  { "R3.7月", "[" DATE(0, 5, "2021-07") "]" },
  { "令和元年5月", "[" DATE(0, 6, "2019-05") "]" },
  { "R4.3月末", "[" DATE(0, 5, "2022-03") "]" },
  { "R2.3.31", "[" DATE(0, 7, "2020-03-31") "]" },
  { "R3.8~12月", "[" DATE(0, 4, "2021-08") "]" },
  { "平成31年4月30日", "[" DATE(0, 10, "2019-04-30") "]" },
  { "令和元年5月1日", "[" DATE(0, 8, "2019-05-01") "]" },
  { "昭和64年1月7日", "[" DATE(0, 9, "1989-01-07") "]" },
  { "平成元年1月8日", "[" DATE(0, 8, "1989-01-08") "]" },
  { "大正15年12月25日", "[" DATE(0, 11, "1926-12-25") "]" },
  { "昭和元年12月25日", "[" DATE(0, 10, "1926-12-25") "]" },
  { "明治45年7月30日", "[" DATE(0, 10, "1912-07-30") "]" },
  { "大正元年7月30日", "[" DATE(0, 9, "1912-07-30") "]" },
  { "令和二年八月二十一日", "[" DATE(0, 10, "2020-08-21") "]" },
  { "平成18(2006)年4月1日", "[" DATE(0, 15, "2006-04-01") "]" },
  { "2023年10月18日", "[" DATE(0, 11, "2023-10-18") "]" },
  { "2023/10/18", "[" DATE(0, 10, "2023-10-18") "]" },
  { "2023-10-18", "[" DATE(0, 10, "2023-10-18") "]" },
  { "2023.10.18", "[" DATE(0, 10, "2023-10-18") "]" },
  { "2023/10", "[" DATE(0, 7, "2023-10") "]" },
  { "令和5年10月18日(水) 13:30~15:00", "[" DATE(0, 10, "2023-10-18") "]" },
  { "令和2(2020)年2月", "[" DATE(0, 12, "2020-02") "]" },
  { "R 3 .7月", "[" FY(0, 2, 2021) "]" },
  { "令和5年2月30日", "[" YEAR(0, 4, 2023) "]" },
  { "令和2年13月", "[" YEAR(0, 4, 2020) "]" },
  { "2022.5", "[" NUM(0, 6, 2022.5) "]" },
  /* years */
  { "平成18(2006)年", "[" YEAR(0, 11, 2006) "]" },
  { "昭和60年", "[" YEAR(0, 5, 1985) "]" },
  { "令和元年", "[" YEAR(0, 4, 2019) "]" },
  { "R6(2024)", "[" FY(0, 8, 2024) "]" },
  { "R6 (2024)", "[" FY(0, 9, 2024) "]" },
  { "R元(2019)", "[" FY(0, 8, 2019) "]" },
  { "R6", "[" FY(0, 2, 2024) "]" },
  { "H30", "[" FY(0, 3, 2018) "]" },
  { "S60", "[" FY(0, 3, 1985) "]" },
  { "T10", "[" FY(0, 3, 1921) "]" },
  { "M45", "[" FY(0, 3, 1912) "]" },
  { "R3実績", "[" FY(0, 2, 2021) "]" },
  { "R 3 実績", "[" FY(0, 2, 2021) "]" },
  { "R 6 計画", "[" FY(0, 2, 2024) "]" },
  { "令和4", "[" FY(0, 3, 2022) "]" },
  { "平成32年", "[" YEAR(0, 5, 2020) "]" },
  { "2006年", "[" YEAR(0, 5, 2006) "]" },
  { "二〇二五年", "[" YEAR(0, 5, 2025) "]" },
  { "昭和 61年", "[" YEAR(0, 5, 1986) "]" },
  { "R100", "[]" },
  { "AR3", "[]" },
  { "R3D", "[]" },
  { "明治大学", "[]" },
  { "文化3年", "[" QTY(2, 4, 3, "年") "]" },
  /* fiscal years */
  { "令和4年度", "[" FY(0, 5, 2022) "]" },
  { "令和 3 年度", "[" FY(0, 5, 2021) "]" },
  { "R6年度", "[" FY(0, 4, 2024) "]" },
  { "H30年度", "[" FY(0, 5, 2018) "]" },
  { "2022年度", "[" FY(0, 6, 2022) "]" },
  { "令和元年度", "[" FY(0, 5, 2019) "]" },
  { "令和四年度", "[" FY(0, 5, 2022) "]" },
  { "令和4(2022)年度", "[" FY(0, 11, 2022) "]" },
  { "2022(令和4)年度", "[" FY(0, 11, 2022) "]" },
  { "平成31年度", "[" FY(0, 6, 2019) "]" },
  { "R4年度末", "[" FY(0, 4, 2022) "]" },
  { "二〇二二年度", "[" FY(0, 6, 2022) "]" },
  { "令和3年度、4年度", "[" FY(0, 5, 2021) "," FY(6, 9, 2022) "]" },
  { "4年度", "[]" },
  { "(Ｒ２年度決算　約19億円)", "[" FY(1, 5, 2020) "," AMT(9, 13, 1900000000) "]" },
  /* fiscal-year ranges */
  { "R4～R6年度", "[" FYR(0, 7, 2022, 2024) "]" },
  { "R4〜R6年度", "[" FYR(0, 7, 2022, 2024) "]" },
  { "令和4年度から令和8年度まで", "[" FYR(0, 14, 2022, 2026) "]" },
  { "令和４年度から令和８年度までの", "[" FYR(0, 14, 2022, 2026) "]" },
  { "令和4年度～令和8年度", "[" FYR(0, 11, 2022, 2026) "]" },
  { "令和4～8年度", "[" FYR(0, 7, 2022, 2026) "]" },
  { "R4年度~R6年度", "[" FYR(0, 9, 2022, 2024) "]" },
  { "2022~2024年度", "[" FYR(0, 11, 2022, 2024) "]" },
  { "2022年度~2024年度", "[" FYR(0, 13, 2022, 2024) "]" },
  { "平成31年度~令和7年度", "[" FYR(0, 12, 2019, 2025) "]" },
  { "R6(2024)~R8(2026)年度まで", "[" FYR(0, 21, 2024, 2026) "]" },
  { "令和3年度、4~6年度", "[" FY(0, 5, 2021) "," FYR(6, 11, 2022, 2024) "]" },
  { "R6~R4年度", "[" FY(0, 2, 2024) "," FY(3, 7, 2022) "]" },
  { "R4~R6", "[" FYR(0, 5, 2022, 2024) "]" },
  { "R4~6", "[" FY(0, 2, 2022) "," NUM(3, 4, 6) "]" },
  { "R6-R3", "[" FY(0, 2, 2024) "," FY(3, 5, 2021) "]" },
  { "R4~R6年", "[" FY(0, 2, 2022) "," YEAR(3, 6, 2024) "]" },
  { "H29(2017)–R8(2026)", "[" FYR(0, 18, 2017, 2026) "]" },
  { "R元(2019)～R5(2023):目標効果額18億円", "[" FYR(0, 17, 2019, 2023) "," AMT(23, 27, 1800000000) "]" },
  { "区分\tR3\tR4\tR5", "[" FY(3, 5, 2021) "," FY(6, 8, 2022) "," FY(9, 11, 2023) "]" },
  { "10件/R4~R6累計", "[" QTY(0, 3, 10, "件") "," FYR(4, 9, 2022, 2024) "]" },
  { "令和4年度から5年間", "[" FY(0, 5, 2022) "," QTY(7, 10, 5, "年間") "]" },
  { "R1年度→R6年度200%アップ", "[" FY(0, 4, 2019) "," FY(5, 9, 2024) "," PCT(9, 13, 200) "]" },
  /* seed-like lines */
  { "利用件数 R4～R6年度累計81件を目指す", "[" FYR(4, 11, 2022, 2024) "," QTY(13, 16, 81, "件") "]" },
  { "R4.3月末時点で対象者内接種率87.0%", "[" DATE(0, 5, "2022-03") "," PCT(16, 21, 87.0) "]" },
  { "令和3年度 寄附受入額627百万円、返礼品数650品目",
    "[" FY(0, 5, 2021) "," AMT(10, 16, 627000000) "," QTY(21, 26, 650, "品目") "]" },
  { "〇寄附金額　前年度比110%（8億円）", "[" PCT(10, 14, 110) "," AMT(15, 18, 800000000) "]" },
  { "①100人", "[" QTY(1, 5, 100, "人") "]" },
  /* a cell line wrapped between a number and its 円 or % */
  { "決算比180万\n円削減する。", "[" AMT(3, 9, 1800000) "]" },
  { "基金残高\n20億\n円以上", "[" AMT(5, 10, 2000000000) "]" },
  { "接種率87.0\n%", "[" PCT(3, 9, 87.0) "]" },
  { "5\n人口", "[" NUM(0, 1, 5) "]" },
  { "千\n円", "[" NUM(0, 1, 1000) "]" },
  /* old typography (issue 13): 〇 for an empty place inside a positional
   * numeral */
  { "二千〇二十三", "[" NUM(0, 6, 2023) "]" },
  { "百〇七", "[" NUM(0, 3, 107) "]" },
  { "千〇十", "[" NUM(0, 3, 1010) "]" },
  { "一万〇五百", "[" NUM(0, 5, 10500) "]" },
  { "二千〇二十三年", "[" YEAR(0, 7, 2023) "]" },
  { "〇〇課の二千〇人", "[" QTY(4, 8, 2000, "人") "]" },  /* the last 〇 fills no place */
  /* 廿 卅 卌 皕 */
  { "廿", "[" NUM(0, 1, 20) "]" },
  { "廿一日間", "[" QTY(0, 4, 21, "日間") "]" },
  { "卅五", "[" NUM(0, 2, 35) "]" },
  { "卌", "[" NUM(0, 1, 40) "]" },
  { "皕", "[" NUM(0, 1, 200) "]" },
  { "皕卅", "[" NUM(0, 2, 230) "]" },
  { "千皕", "[" NUM(0, 2, 1200) "]" },
  { "令和三年五月廿一日", "[" DATE(0, 9, "2021-05-21") "]" },
  { "廿日市市", "[]" },              /* a city's name */
  { "廿卅", "[]" },                  /* not in falling order: two lone kanji in a word */
  /* daiji */
  { "弍", "[" NUM(0, 1, 2) "]" },
  { "壱阡弍陌参拾", "[" NUM(0, 6, 1230) "]" },
  { "貳仟伍佰", "[" NUM(0, 4, 2500) "]" },
  { "柒萬捌仟玖佰", "[" NUM(0, 6, 78900) "]" },
  { "金伍萬円", "[" AMT(1, 4, 50000) "]" },
  { "肆拾", "[" NUM(0, 2, 40) "]" },
  { "落伍者", "[]" },
  { "大陸一周", "[]" },
  /* ordinals */
  { "第六次総合計画", "[" NUM(1, 2, 6) "]" },
  { "第十二次", "[" NUM(1, 3, 12) "]" },
  { "第3次", "[" NUM(1, 2, 3) "]" },
  { "次第に", "[]" },
  { "中立な第三者機関", "[]" },
  { "六次産業", "[]" },
  /* era dates with separators */
  { "R2.1.1", "[" DATE(0, 6, "2020-01-01") "]" },
  { "令和3-7-18", "[" DATE(0, 8, "2021-07-18") "]" },
  { "H30/4/1", "[" DATE(0, 7, "2018-04-01") "]" },
  { "令和3・7・18", "[" DATE(0, 8, "2021-07-18") "]" },
  { "令和３･７･１８", "[" DATE(0, 8, "2021-07-18") "]" },  /* half-width ･ */
  { "r2.1.1", "[" DATE(0, 6, "2020-01-01") "]" },
  { "h30/4/1", "[" DATE(0, 7, "2018-04-01") "]" },
  { "r2", "[]" },                    /* lower case: a full date or nothing */
  { "r2.4", "[]" },
  { "for2.1.1", "[]" },
  { "令和3-7", "[" FY(0, 3, 2021) "]" },  /* a dash needs its day; "-7" is a code's tail */
  { "令和3・7", "[" FY(0, 3, 2021) "," NUM(4, 5, 7) "]" },
  { "令和3-2-30", "[" FY(0, 3, 2021) "]" },
  { "令和3-5年度", "[" FYR(0, 7, 2021, 2023) "]" },
  { "1.2.3", "[]" },
  { "2023・10・18", "[" DATE(0, 10, "2023-10-18") "]" },
  /* the month's last day */
  { "令和3年3月晦日", "[" DATE(0, 8, "2021-03-31") "]" },
  { "令和4年2月晦日", "[" DATE(0, 8, "2022-02-28") "]" },
  { "令和2年2月末日", "[" DATE(0, 8, "2020-02-29") "]" },
  { "2023年11月晦日", "[" DATE(0, 10, "2023-11-30") "]" },
  { "晦日", "[]" },
  { "3月晦日", "[]" },               /* no year: like "8月21日", no span */
  /* years past the era's end */
  { "平成32年度", "[" FY(0, 6, 2020) "]" },
  { "平成33年度末", "[" FY(0, 6, 2021) "]" },
  { "H32", "[" FY(0, 3, 2020) "]" },
  { "平成31年度~平成35年度", "[" FYR(0, 13, 2019, 2023) "]" },
  { "昭和65年", "[" YEAR(0, 5, 1990) "]" },
  { "平成32年3月31日", "[" DATE(0, 10, "2020-03-31") "]" },
};

/* The spans of `in` after normalization, as the CLI prints them. */
static char *spans_json(const char *in)
{
  g_autoptr(GError) e = NULL;
  g_autofree char *norm = kk_normalize_text(in, -1, KK_NORMALIZE_DEFAULT, &e);
  if (norm == NULL)
    return g_strdup_printf("error: %s", e->message);
  g_autoptr(GArray) spans = kk_annotate_text(norm, -1);
  GString *s = g_string_new("[");
  for (guint i = 0; i < spans->len; i++) {
    if (i)
      g_string_append_c(s, ',');
    kk_span_append_json(s, &g_array_index(spans, KkSpan, i));
  }
  g_string_append_c(s, ']');
  return g_string_free(s, FALSE);
}

static void run_span_case(void **state)
{
  const SpanCase *c = *state;
  g_autofree char *got = spans_json(c->in);
  if (strcmp(got, c->want) != 0)
    fail_msg("annotate(%s)\n   got  %s\n   want %s", c->in, got, c->want);
}

/* ---- eras ----------------------------------------------------------------- */

typedef struct {
  const char *era;
  int year;
  int want;
} EraCase;

static const EraCase era_cases[] = {
  { "令和", 1, 2019 }, { "令和", 4, 2022 }, { "R", 4, 2022 }, { "r", 6, 2024 },
  { "平成", 1, 1989 }, { "平成", 31, 2019 }, { "H", 30, 2018 }, { "平成", 32, 2020 },
  { "昭和", 1, 1926 }, { "昭和", 64, 1989 }, { "S", 60, 1985 },
  { "大正", 1, 1912 }, { "大正", 15, 1926 }, { "T", 10, 1921 },
  { "明治", 1, 1868 }, { "明治", 45, 1912 }, { "M", 45, 1912 },
  { "X", 1, 0 }, { "令和", 0, 0 }, { "令和", 100, 0 }, { "令和", -1, 0 },
  { "天保", 1, 0 }, { "文化", 1, 0 }, { "", 1, 0 }, { "令和元", 1, 0 }, { "\xff\xfe", 1, 0 },
};

static void run_era_case(void **state)
{
  const EraCase *c = *state;
  int got = kk_era_to_gregorian(c->era, c->year);
  if (got != c->want)
    fail_msg("kk_era_to_gregorian(%s, %d) = %d, wanted %d", c->era, c->year, got, c->want);
}

static void test_era_null(void **state)
{
  assert_int_equal(kk_era_to_gregorian(NULL, 1), 0);
}

static void test_fiscal_year_of_date(void **state)
{
  assert_int_equal(kk_fiscal_year_of_date(2023, 3), 2022);
  assert_int_equal(kk_fiscal_year_of_date(2023, 4), 2023);
  assert_int_equal(kk_fiscal_year_of_date(2023, 12), 2023);
  assert_int_equal(kk_fiscal_year_of_date(2024, 1), 2023);
  assert_int_equal(kk_fiscal_year_of_date(2024, 0), 0);
  assert_int_equal(kk_fiscal_year_of_date(2024, 13), 0);
}

/* ---- cell parsers ----------------------------------------------------------- */

static void test_parse_number(void **state)
{
  KkValue v;
  assert_true(kk_parse_number("1,234", -1, &v));
  assert_int_equal(v.kind, KK_SPAN_NUMBER);
  assert_int_equal(v.value.mantissa, 1234);
  assert_true(kk_parse_number("△12.8", -1, &v));
  assert_int_equal(v.value.mantissa, -128);
  assert_int_equal(v.value.scale, 1);
  assert_true(kk_decimal_to_double(v.value) == -12.8);
  assert_true(kk_parse_number("81件", -1, &v));
  assert_int_equal(v.kind, KK_SPAN_QUANTITY);
  assert_string_equal(v.unit, "件");
  assert_true(kk_parse_number("８７．０％", -1, &v));
  assert_int_equal(v.kind, KK_SPAN_PERCENT);
  assert_string_equal(v.unit, "%");
  assert_true(kk_parse_number("二十五", -1, &v));
  assert_int_equal(v.value.mantissa, 25);
  assert_true(kk_parse_number("1億5,000万円", -1, &v));
  assert_int_equal(v.kind, KK_SPAN_AMOUNT);
  assert_string_equal(v.unit, "円");
  assert_int_equal(v.value.mantissa, 150000000);
  assert_true(kk_parse_number("令和4年度 526", -1, &v)); /* years are not numbers */
  assert_int_equal(v.value.mantissa, 526);
  assert_false(kk_parse_number("", -1, &v));
  assert_false(kk_parse_number("計画", -1, &v));
  assert_false(kk_parse_number(NULL, -1, &v));
  assert_false(kk_parse_number("令和4年度", -1, &v));
  assert_false(kk_parse_number("99999999999999999999", -1, &v));
  assert_true(kk_parse_number("12\xff" "3", 2, &v)); /* len bounds the text */
  assert_int_equal(v.value.mantissa, 12);
}

static void test_parse_amount(void **state)
{
  gint64 yen = 0;
  assert_true(kk_parse_amount_yen("685,903千円", -1, &yen));
  assert_int_equal(yen, 685903000);
  assert_true(kk_parse_amount_yen("15億円以内", -1, &yen));
  assert_int_equal(yen, 1500000000);
  assert_true(kk_parse_amount_yen("約１億５,０００万円", -1, &yen));
  assert_int_equal(yen, 150000000);
  assert_true(kk_parse_amount_yen("▲526千円", -1, &yen));
  assert_int_equal(yen, -526000);
  assert_false(kk_parse_amount_yen("1,234", -1, &yen));
  assert_false(kk_parse_amount_yen("千円", -1, &yen));
  assert_false(kk_parse_amount_yen("", -1, &yen));
}

static void test_parse_fiscal_year(void **state)
{
  static const struct { const char *in; int want; } ok[] = {
    { "令和4年度", 2022 }, { "R6", 2024 }, { "R3実績", 2021 }, { "R 5 計画", 2023 },
    { "H30年度", 2018 }, { "2022年度", 2022 }, { "令和4(2022)年度", 2022 },
    { "Ｒ４", 2022 }, { "R4～R6年度", 2022 }, { "令和元年度", 2019 }, { "平成31年度", 2019 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(ok); i++) {
    gint y = 0;
    if (!kk_parse_fiscal_year(ok[i].in, -1, &y) || y != ok[i].want)
      fail_msg("kk_parse_fiscal_year(%s) = %d, wanted %d", ok[i].in, y, ok[i].want);
  }
  gint y;
  assert_false(kk_parse_fiscal_year("2022", -1, &y));
  assert_false(kk_parse_fiscal_year("計画", -1, &y));
  assert_false(kk_parse_fiscal_year("", -1, &y));
}

/* ---- bad input -------------------------------------------------------------- */

static void test_invalid_utf8_is_an_error(void **state)
{
  static const char *bad[] = {
    "\xff", "abc\xfe", "\xe3\x81", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "令和\x80",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) e = NULL;
    g_autofree char *got = kk_normalize_text(bad[i], -1, KK_NORMALIZE_DEFAULT, &e);
    assert_null(got);
    assert_int_equal(e->code, KK_ERROR_INPUT);
    assert_non_null(strstr(e->message, "UTF-8"));
  }
}

static void test_invalid_utf8_replaced(void **state)
{
  g_autoptr(GError) e = NULL;
  g_autofree char *a = kk_normalize_text("a\xff" "b", -1, KK_NORMALIZE_REPLACE_INVALID, &e);
  assert_string_equal(a, "a\xEF\xBF\xBD" "b");
  g_autofree char *b = kk_normalize_text("令和\xe3\x81" "4年度", -1, KK_NORMALIZE_REPLACE_INVALID, &e);
  assert_non_null(b);
  assert_true(g_utf8_validate(b, -1, NULL));
  assert_non_null(strstr(b, "\xEF\xBF\xBD"));
}

static void test_annotate_rejects_invalid_utf8(void **state)
{
  g_autoptr(GArray) spans = kk_annotate_text("12\xff", -1);
  assert_int_equal(spans->len, 0);
  g_autoptr(GArray) none = kk_annotate_text(NULL, -1);
  assert_int_equal(none->len, 0);
}

static void test_nul_inside_text(void **state)
{
  g_autoptr(GError) e = NULL;
  /* NUL cannot live in a C string: it becomes a space (never glues 1 and 2). */
  g_autofree char *got = kk_normalize_text("1\0" "2", 3, KK_NORMALIZE_DEFAULT, &e);
  assert_string_equal(got, "1 2");
}

/* A long line of digits, kanji numerals and separators: bounded work, no
 * span from an overflowing number, and no crash. */
static void test_long_lines(void **state)
{
  static const char *pieces[] = { "9", "一", "1,000", "十", "令和", "△", "R", "年度" };
  for (gsize p = 0; p < G_N_ELEMENTS(pieces); p++) {
    GString *s = g_string_new(NULL);
    while (s->len < 300000)
      g_string_append(s, pieces[p]);
    g_autoptr(GError) e = NULL;
    g_autofree char *norm = kk_normalize_text(s->str, (gssize)s->len, KK_NORMALIZE_DEFAULT, &e);
    assert_non_null(norm);
    g_autoptr(GArray) spans = kk_annotate_text(norm, -1);
    for (guint i = 0; i < spans->len; i++) {
      const KkSpan *sp = &g_array_index(spans, KkSpan, i);
      assert_true(sp->end > sp->start);
      assert_true(sp->end - sp->start < 64);
    }
    g_string_free(s, TRUE);
  }
}

static void test_too_long_is_a_limit(void **state)
{
  g_autoptr(GError) e = NULL;
  g_autoptr(KkNormalizer) n = kk_normalizer_new(&e);
  assert_non_null(n);
  gsize out_len;
  /* The length check comes before any read of the text. */
  assert_null(kk_normalizer_run(n, "x", (gsize)KK_NORMALIZE_MAX_TEXT + 1, 0, &out_len, NULL, &e));
  assert_int_equal(e->code, KK_ERROR_LIMIT);
}

/* ---- ICU's own spellout as an oracle for the kanji numeral parser -------- */

#include <unicode/unum.h>
#include <unicode/ustring.h>

static void test_kanji_numbers_match_icu_spellout(void **state)
{
  UErrorCode status = U_ZERO_ERROR;
  UNumberFormat *nf = unum_open(UNUM_SPELLOUT, NULL, 0, "ja", NULL, &status);
  assert_true(U_SUCCESS(status));
  GRand *rand = g_rand_new_with_seed(20251121);
  for (int i = 0; i < 3000; i++) {
    gint64 v;
    if (i < 1200)
      v = i + 1; /* 〇 alone next to a word is a placeholder, not 0 */
    else if (i < 2000)
      v = g_rand_int_range(rand, 0, 100000000);
    else
      v = (gint64)g_rand_int(rand) * 1000003 + g_rand_int_range(rand, 0, 10000);
    UChar buf[128];
    char utf8[512];
    status = U_ZERO_ERROR;
    int32_t len = unum_formatInt64(nf, v, buf, G_N_ELEMENTS(buf), NULL, &status);
    u_strToUTF8(utf8, sizeof utf8, NULL, buf, len, &status);
    assert_true(U_SUCCESS(status));
    KkValue got;
    /* Put it in a sentence, as a document would. */
    g_autofree char *text = g_strdup_printf("合計%s人", utf8);
    if (!kk_parse_number(text, -1, &got) || got.value.mantissa != v)
      fail_msg("ICU spells %" G_GINT64_FORMAT " as %s; parsed %" G_GINT64_FORMAT, v, utf8, got.value.mantissa);
  }
  g_rand_free(rand);
  unum_close(nf);
}

/* ---- ICU's lenient Japanese calendar as an oracle for era arithmetic ------ */

#include <unicode/ucal.h>

/* Years past an era's end (平成32 = 2020) and every year 1..99 of each
 * modern era: kk_era_to_gregorian() must agree with ICU's lenient Japanese
 * calendar (ERA, YEAR -> EXTENDED_YEAR). */
static void test_era_years_match_icu_lenient(void **state)
{
  static const struct { const char *name; int inside; } eras[] = {
    { "明治", 1900 }, { "大正", 1920 }, { "昭和", 1950 }, { "平成", 2000 }, { "令和", 2022 },
  };
  UErrorCode status = U_ZERO_ERROR;
  UCalendar *cal = ucal_open(NULL, 0, "ja_JP@calendar=japanese", UCAL_DEFAULT, &status);
  assert_true(U_SUCCESS(status));
  ucal_setAttribute(cal, UCAL_LENIENT, 1);
  for (gsize e = 0; e < G_N_ELEMENTS(eras); e++) {
    ucal_clear(cal);
    ucal_set(cal, UCAL_EXTENDED_YEAR, eras[e].inside);
    ucal_set(cal, UCAL_MONTH, UCAL_JULY);
    ucal_set(cal, UCAL_DATE, 1);
    int32_t era = ucal_get(cal, UCAL_ERA, &status);
    assert_true(U_SUCCESS(status));
    for (int y = 1; y <= 99; y++) {
      ucal_clear(cal);
      ucal_set(cal, UCAL_ERA, era);
      ucal_set(cal, UCAL_YEAR, y);
      int32_t want = ucal_get(cal, UCAL_EXTENDED_YEAR, &status);
      assert_true(U_SUCCESS(status));
      int got = kk_era_to_gregorian(eras[e].name, y);
      if (got != want)
        fail_msg("%s%d: %d, ICU lenient says %d", eras[e].name, y, got, want);
    }
  }
  ucal_close(cal);
}

/* ---- pages objects ------------------------------------------------------------ */

static JsonObject *parse_object(const char *json, JsonParser **keep)
{
  *keep = json_parser_new();
  assert_true(json_parser_load_from_data(*keep, json, -1, NULL));
  return json_node_get_object(json_parser_get_root(*keep));
}

static char *object_string(JsonObject *o)
{
  g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
  json_node_set_object(node, o);
  return json_to_string(node, FALSE);
}

static void test_pages_object(void **state)
{
  JsonParser *p1, *p2, *p3;
  JsonObject *doc = parse_object("{\"type\":\"document\",\"format\":\"keikaku-pages\",\"version\":1,\"normalized\":false}", &p1);
  assert_true(kk_normalize_pages_object(doc, NULL));
  assert_true(json_object_get_boolean_member(doc, "normalized"));

  JsonObject *page = parse_object(
    "{\"type\":\"page\",\"page\":1,"
    "\"lines\":[{\"text\":\"令和 4 年度\",\"bbox\":[1,2,3,4]},{\"text\":\"plain\"},{\"bbox\":[0,0,1,1]},7],"
    "\"tables\":[{\"rows\":[[{\"text\":\"６８５，９０３千円\",\"row\":0,\"col\":0},{\"text\":\"\"}],\"junk\"]},3]}", &p2);
  assert_true(kk_normalize_pages_object(page, NULL));
  g_autofree char *out = object_string(page);
  assert_non_null(strstr(out, "{\"text\":\"令和4年度\",\"bbox\":[1,2,3,4],\"raw\":\"令和 4 年度\","
                              "\"spans\":[{\"start\":0,\"end\":5,\"kind\":\"fiscal_year\",\"value\":2022}]}"));
  assert_non_null(strstr(out, "{\"text\":\"plain\",\"spans\":[]}"));
  assert_non_null(strstr(out, "{\"text\":\"685,903千円\",\"row\":0,\"col\":0,\"raw\":\"６８５，９０３千円\","
                              "\"spans\":[{\"start\":0,\"end\":9,\"kind\":\"amount\",\"value\":685903000}]}"));
  assert_non_null(strstr(out, "{\"text\":\"\",\"spans\":[]}"));
  /* Normalizing again changes nothing: raw stays the original. */
  assert_true(kk_normalize_pages_object(page, NULL));
  g_autofree char *again = object_string(page);
  assert_string_equal(out, again);

  JsonObject *end = parse_object("{\"type\":\"end\",\"pages\":1}", &p3);
  assert_true(kk_normalize_pages_object(end, NULL));
  g_autofree char *end_s = object_string(end);
  assert_string_equal(end_s, "{\"type\":\"end\",\"pages\":1}");
  g_object_unref(p1);
  g_object_unref(p2);
  g_object_unref(p3);
}

static void test_span_json_members(void **state)
{
  KkSpan sp = { .start = 1, .end = 4, .kind = KK_SPAN_QUANTITY, .value = { -5, 3 }, .unit = "件" };
  g_autoptr(GString) s = g_string_new(NULL);
  kk_span_append_json(s, &sp);
  assert_string_equal(s->str, "{\"start\":1,\"end\":4,\"kind\":\"quantity\",\"value\":-0.005,\"unit\":\"件\"}");
  KkSpan d = { .start = 0, .end = 2, .kind = KK_SPAN_DATE, .year = 2021, .month = 7 };
  JsonObject *o = kk_span_to_json(&d);
  assert_string_equal(json_object_get_string_member(o, "value"), "2021-07");
  json_object_unref(o);
  assert_string_equal(kk_span_kind_name(KK_SPAN_FISCAL_YEAR_RANGE), "fiscal_year_range");
  assert_string_equal(kk_span_kind_name((KkSpanKind)99), "unknown");
}

/* ---- the runner ----------------------------------------------------------------- */

int main(void)
{
  GArray *tests = g_array_new(FALSE, TRUE, sizeof(struct CMUnitTest));
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
#define ADD_TABLE(table, fn, fmt_member)                                              \
  for (gsize i = 0; i < G_N_ELEMENTS(table); i++) {                                  \
    char *name = g_strdelimit(g_strdup_printf(#fn " %s", table[i].fmt_member), "\r\n", ' '); \
    g_ptr_array_add(names, name);                                                    \
    struct CMUnitTest t = { name, fn, NULL, NULL, (void *)&table[i] };                \
    g_array_append_val(tests, t);                                                    \
  }
  ADD_TABLE(text_cases, run_text_case, in);
  ADD_TABLE(span_cases, run_span_case, in);
  ADD_TABLE(era_cases, run_era_case, era);
  const struct CMUnitTest fixed[] = {
    cmocka_unit_test(test_era_null),
    cmocka_unit_test(test_fiscal_year_of_date),
    cmocka_unit_test(test_parse_number),
    cmocka_unit_test(test_parse_amount),
    cmocka_unit_test(test_parse_fiscal_year),
    cmocka_unit_test(test_invalid_utf8_is_an_error),
    cmocka_unit_test(test_invalid_utf8_replaced),
    cmocka_unit_test(test_annotate_rejects_invalid_utf8),
    cmocka_unit_test(test_nul_inside_text),
    cmocka_unit_test(test_long_lines),
    cmocka_unit_test(test_too_long_is_a_limit),
    cmocka_unit_test(test_kanji_numbers_match_icu_spellout),
    cmocka_unit_test(test_era_years_match_icu_lenient),
    cmocka_unit_test(test_pages_object),
    cmocka_unit_test(test_span_json_members),
  };
  g_array_append_vals(tests, fixed, G_N_ELEMENTS(fixed));
  int failed = _cmocka_run_group_tests("normalize", (const struct CMUnitTest *)tests->data, tests->len, NULL, NULL);
  g_array_free(tests, TRUE);
  g_ptr_array_free(names, TRUE);
  return failed;
}
