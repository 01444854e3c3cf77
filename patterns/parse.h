/*
 * parse.h — the parse stage: normalized pages (JSON Lines objects) in,
 * records (JSON Lines objects) out, driven by the pattern files of
 * patterns/families (*.kpat; format: patterns/README.md).
 *
 * A KkParser holds the compiled pattern files and the state of one stream.
 * Feed it the pages stream object by object (document, page..., end); it
 * hands records to the sink, the last of them the records `end` object when
 * it is fed the pages `end`.  After `end` it is ready for the next stream.
 */
#ifndef KK_PARSE_H
#define KK_PARSE_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "common/kk-jsonl.h"
#include "common/kk-lgcode.h"
#include "patterns/pagemodel.h"

G_BEGIN_DECLS

typedef struct KkParser KkParser;

/* Loads and compiles every *.kpat file of `patterns_dir`.  NULL means the
 * default: $KEIKAKU_PATTERNS if set, else patterns/families next to the
 * binary (bin/../patterns/families), else ./patterns/families.  Fails with
 * KK_ERROR_PATTERN naming file, line and (for a regex) PCRE2's message and
 * offset. */
KkParser *kk_parser_new(const char *patterns_dir, GError **error);

/* Frees the parser and everything it holds; NULL is a no-op. */
void kk_parser_free(KkParser *parser);

/* Takes one object of the pages stream.  Records go to `sink` (possibly
 * later, but at the latest when the pages `end` object is fed, finishing
 * with the records `end`).  A stream cut before `end` emits no `end`.
 * Fails with KK_ERROR_INPUT for a malformed stream, or with the sink's
 * error. */
gboolean kk_parser_feed(KkParser *parser, JsonObject *pages_object,
                        KkSink sink, gpointer user_data, GError **error);

/* Takes one page of the stream as its page model (kp_page_from_layout(),
 * taken over), in place of its page object: keikaku ingest reads extract's
 * layout without building the tree.  Errors as kk_parser_feed(). */
gboolean kk_parser_feed_page(KkParser *parser, KpPage *page, GError **error);

/* --explain: when `out` is non-NULL, the parser writes a human-readable
 * account of each document to it (family chosen and why, the rule behind
 * every record and field, labelled cells no rule used). */
void kk_parser_set_explain(KkParser *parser, FILE *out);

/* The municipality of documents that name none themselves (the user's
 * `--municipality`, from kk_gazetteer_given_place()): a document whose
 * own text, metadata and rules give no municipality gets this one, its
 * prefecture and lg_code.  NULL (the default): such a document has none. */
void kk_parser_set_given_place(KkParser *parser, const KkLgCode *place);

/* For a reader that loads the records while parse runs (keikaku ingest
 * follows its worker's spool): when `out` is non-NULL and the pages
 * stream's document object declares its page count, the parser writes,
 * through the sink, a provisional document object (type, format, version,
 * "provisional": true, sha256, file, pages, pipeline) as soon as it reads
 * that document object, then writes every record to `out` as it is made
 * (the sink must be kk_jsonl_sink_file on the same `out`), and at the end
 * the final document object and the end object.  The records, their order
 * and the final document object are those of the usual stream (document
 * object first); only where the document object stands differs.  NULL
 * (the default): the usual stream. */
void kk_parser_set_records_out(KkParser *parser, FILE *out);

/* Number of pattern families loaded (for messages and tests). */
guint kk_parser_family_count(const KkParser *parser);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(KkParser, kk_parser_free)

G_END_DECLS

#endif
