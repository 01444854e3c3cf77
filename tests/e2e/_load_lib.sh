# Helpers for the load_* end-to-end scripts (sourced after _lib.sh).
FIX="$KK_ROOT/tests/fixtures/records"

# gen_records FIRST LAST PAGES: prints records JSON Lines for documents
# FIRST..LAST, each with PAGES pages, one item and one measure; document N
# has a sha256 of its own and says it has PAGES pages.
gen_records() {
  awk -v first="$1" -v last="$2" -v pages="$3" 'BEGIN {
    for (d = first; d <= last; d++) {
      sha = sprintf("%064x", d)
      printf "{\"type\":\"document\",\"format\":\"keikaku-records\",\"version\":1,\"sha256\":\"%s\",\"file\":\"gen-%d.pdf\",\"pages\":%d,\"municipality\":\"小郡市\",\"pipeline\":\"test\"}\n", sha, d, pages
      for (p = 1; p <= pages; p++)
        printf "{\"type\":\"page\",\"page\":%d,\"text\":\"文書%dの%dページ目 ふるさと納税 寄附額の推移と目標を記す。\"}\n", p, d, p
      printf "{\"type\":\"item\",\"key\":\"i\",\"item_no\":\"1\",\"title\":\"取組%d\",\"page\":1,\"fields\":[{\"label\":\"目標\",\"value\":\"%d億円\"}]}\n", d, d
      printf "{\"type\":\"measure\",\"item\":\"i\",\"label\":\"寄附額\",\"role\":\"target\",\"value\":%d00000000,\"unit\":\"円\",\"fiscal_year\":2024,\"page\":1}\n", d
      printf "{\"type\":\"end\",\"records\":%d}\n", pages + 2
    }
  }'
}

# check_whole DB: every document has all its pages, its item and its
# search units; prints the number of documents.
check_whole() {
  sqlite3 "$1" "SELECT count(*) FROM documents d WHERE d.pages <> (SELECT count(*) FROM pages p WHERE p.document_id = d.id) OR NOT EXISTS (SELECT 1 FROM items i WHERE i.document_id = d.id) OR d.pages + 1 <> (SELECT count(*) FROM kk_search_units u WHERE u.document_id = d.id)"
}
