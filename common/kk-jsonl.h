/*
 * kk-jsonl.h — JSON Lines plumbing shared by every stage.
 *
 * All stages speak one JSON object per line (formats in common/FORMATS.md).
 * In a pipeline they pass lines through stdin/stdout; inside `keikaku ingest`
 * the same JsonObjects are handed from stage to stage through a KkSink, so
 * the two paths cannot drift apart.
 */
#ifndef KK_JSONL_H
#define KK_JSONL_H

#include <stdio.h>
#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Longest line a reader accepts by default (a page of a dense PDF with its
 * tables is far below this); longer input is refused, never buffered. */
#define KK_JSONL_MAX_LINE (64u * 1024u * 1024u)

/* A consumer of objects.  Returns FALSE with `error` set to stop the stream.
 * The object is borrowed: take a reference to keep it. */
typedef gboolean (*KkSink)(JsonObject *object, gpointer user_data, GError **error);

/* Reads JSON Lines from `in` until EOF, calling `sink` for every object.
 * `source` names the input in error messages ("FILE:LINE: ...").  Blank
 * lines are skipped; a line that is not a JSON object, or is longer than
 * `max_line` bytes (0 = KK_JSONL_MAX_LINE), fails with KK_ERROR_INPUT.
 * `in` must not have been read from through stdio before (a stream with a
 * file descriptor is read with read(2), one line as soon as it arrives). */
gboolean kk_jsonl_read(FILE *in, const char *source, gsize max_line,
                       KkSink sink, gpointer user_data, GError **error);

/* Opens `path` ("-" or NULL = stdin) and reads it as kk_jsonl_read(). */
gboolean kk_jsonl_read_path(const char *path, gsize max_line,
                            KkSink sink, gpointer user_data, GError **error);

/* Serializes `object` compactly (members in insertion order, doubles in
 * their shortest round-trip form, UTF-8 unescaped), without a newline.
 * Sets *length when non-NULL.  Free with g_free(). */
char *kk_json_object_to_line(JsonObject *object, gsize *length);

/* Writes `object` as one compact line to `out`.  Fails with KK_ERROR_INPUT
 * (code chosen so a closed pipe reads as an I/O problem) on write error. */
gboolean kk_jsonl_write(FILE *out, JsonObject *object, GError **error);

/* A KkSink that writes each object to the FILE* passed as user_data. */
gboolean kk_jsonl_sink_file(JsonObject *object, gpointer user_data, GError **error);

/* Small typed getters that never crash on hostile input: a missing member
 * or one of the wrong type yields the default. */
const char *kk_json_string(JsonObject *o, const char *member, const char *dflt);
gint64 kk_json_int(JsonObject *o, const char *member, gint64 dflt);
double kk_json_double(JsonObject *o, const char *member, double dflt);
JsonArray *kk_json_array(JsonObject *o, const char *member);
JsonObject *kk_json_object(JsonObject *o, const char *member);

/* Reads a 4-number bbox [x0,y0,x1,y1] from member; FALSE if absent/bad. */
gboolean kk_json_bbox(JsonObject *o, const char *member, double out[4]);

/* Adds a 4-number bbox array member, rounded to 0.1 pt. */
void kk_json_set_bbox(JsonObject *o, const char *member, const double bbox[4]);

G_END_DECLS

#endif
