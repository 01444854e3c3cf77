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

/* Deepest nesting of arrays and objects a line may have (the formats use
 * fewer than ten levels); deeper lines are refused before json-glib, whose
 * parser recurses per level, sees them. */
#define KK_JSONL_MAX_DEPTH 64u

/* A consumer of objects.  Returns FALSE with `error` set to stop the stream.
 * The object is borrowed: take a reference to keep it. */
typedef gboolean (*KkSink)(JsonObject *object, gpointer user_data, GError **error);

/* Reads JSON Lines from `in` until EOF, calling `sink` for every object.
 * `source` names the input in error messages ("FILE:LINE: ...").  Blank
 * lines are skipped; a line that is not a JSON object or nests deeper than
 * KK_JSONL_MAX_DEPTH fails with KK_ERROR_INPUT; one longer than `max_line`
 * bytes (0 = KK_JSONL_MAX_LINE) with KK_ERROR_LIMIT.
 * `in` must not have been read from through stdio before (a stream with a
 * file descriptor is read with read(2), one line as soon as it arrives). */
gboolean kk_jsonl_read(FILE *in, const char *source, gsize max_line,
                       KkSink sink, gpointer user_data, GError **error);

/* Parses one line, the JSON text line[0..len) (no newline), into
 * *object (owned by `parser`, valid until its next use), refusing what
 * json-glib cannot be trusted with first: invalid UTF-8, nesting deeper
 * than KK_JSONL_MAX_DEPTH, integers that do not fit in 64 bits.  Errors are
 * KK_ERROR_INPUT, "SOURCE:LINENO: …".  kk_jsonl_read() reads every line
 * with it; so must any other reader of JSON text.  A line in plain JSON is
 * built by a one-pass reader into the tree json-glib would build (json-glib's
 * own constructors); every other line, errors and corner cases included, is
 * json-glib's. */
gboolean kk_jsonl_parse_line(JsonParser *parser, const char *line, gsize len, const char *source,
                             guint64 lineno, JsonObject **object, GError **error);

/* Opens `path` ("-" or NULL = stdin) and reads it as kk_jsonl_read(). */
gboolean kk_jsonl_read_path(const char *path, gsize max_line,
                            KkSink sink, gpointer user_data, GError **error);

/* The shape every stream has (common/FORMATS.md): a document object of the
 * expected format and version 1, then its objects, then an end object;
 * streams may follow one another.  A stage runs every object it reads
 * through kk_stream_shape_step() and calls kk_stream_shape_finish() at EOF,
 * so a cut stream, a second document before the end, a wrong format or
 * version, and an empty stream (the stage before failed) are errors
 * (KK_ERROR_INPUT) in every stage alike. */
typedef struct {
  const char *format;   /* "keikaku-pages" or "keikaku-records" */
  const char *source;   /* names the input in messages */
  gboolean open;        /* a document began, its end has not come */
  guint64 objects;      /* read so far */
  guint64 documents;    /* document objects seen */
} KkStreamShape;

/* Initialises `shape` for a stream of `format` read from `source`. */
void kk_stream_shape_init(KkStreamShape *shape, const char *format, const char *source);

/* Checks the next object `o` of the stream; FALSE with `error` set when it
 * breaks the shape. */
gboolean kk_stream_shape_step(KkStreamShape *shape, JsonObject *o, GError **error);

/* At EOF: FALSE with `error` set when the stream was empty (no document
 * object) or its last document has no end object. */
gboolean kk_stream_shape_finish(KkStreamShape *shape, GError **error);

/* Serializes `object` compactly (members in insertion order, doubles in
 * their shortest round-trip form, UTF-8 unescaped), without a newline.
 * Sets *length when non-NULL.  Free with g_free(). */
char *kk_json_object_to_line(JsonObject *object, gsize *length);

/* The writer's pieces, for code that writes JSON text without a tree
 * (the text is what kk_json_object_to_line() gives for the same values):
 * kk_json_append_string() appends `text` as a string literal (NULL:
 * null); JSON text must be UTF-8, and a raw file name or a broken PDF
 * string could hold anything, so invalid bytes become U+FFFD; quotes,
 * backslashes and control characters are escaped, other UTF-8 passes as
 * is.  kk_json_append_int() appends an integer.  kk_json_append_double()
 * appends a double in the shortest form that reads back as the same value
 * (json-glib prints 17 digits: -12.8 would become -12.800000000000001),
 * always with a '.' or exponent so it reads back as a double; NaN and
 * infinities (not JSON) as null. */
void kk_json_append_string(GString *out, const char *text);
void kk_json_append_int(GString *out, gint64 v);
void kk_json_append_double(GString *out, double d);

/* A bbox as kk_json_set_bbox() sets it: [x0,y0,x1,y1] rounded to 0.1. */
void kk_json_append_bbox(GString *out, const double bbox[4]);

/* Members of the object being written at the end of `out` (which ends
 * with its '{' or an earlier member): the comma when one is due, then
 * "name": and the value.  `name` is a plain ASCII name (not escaped).
 * kk_json_put_string() writes null for NULL; kk_json_put_literal() writes
 * `literal` as it is (null, true, false, or JSON text made elsewhere). */
void kk_json_put_key(GString *out, const char *name);
void kk_json_put_string(GString *out, const char *name, const char *value);
void kk_json_put_int(GString *out, const char *name, gint64 value);
void kk_json_put_double(GString *out, const char *name, double value);
void kk_json_put_literal(GString *out, const char *name, const char *literal);

/* Writes `object` as one compact line to `out`.  Fails with KK_ERROR_INPUT
 * (code chosen so a closed pipe reads as an I/O problem) on write error. */
gboolean kk_jsonl_write(FILE *out, JsonObject *object, GError **error);

/* Writes line[0..len) (one line of JSON text made elsewhere, without its
 * newline) and a newline to `out`; fails as kk_jsonl_write() does. */
gboolean kk_jsonl_write_line(FILE *out, const char *line, gsize len, GError **error);

/* kk_jsonl_write_line() to the FILE* passed as user_data (the shape of a
 * sink of lines: KkExtractLineSink, KpFactsEmit). */
gboolean kk_jsonl_sink_file_line(const char *line, gsize len, gpointer user_data, GError **error);

/* A KkSink that writes each object to the FILE* passed as user_data. */
gboolean kk_jsonl_sink_file(JsonObject *object, gpointer user_data, GError **error);

/* A KkSink that drops every object (a run that wants only the side
 * effects of a stage, such as parse --explain). */
gboolean kk_jsonl_sink_null(JsonObject *object, gpointer user_data, GError **error);

/* Passes the JSON Lines that kk_jsonl_write() put in `lines` (read from
 * its current position to its end) on to `sink`.  When `sink` is
 * kk_jsonl_sink_file the bytes are copied as they are, which is what
 * parsing each line and writing it again would give (the writer's output
 * reads back to the same line), without that cost; kk_jsonl_sink_null
 * gets nothing (nothing is read); any other sink gets each line parsed, as
 * kk_jsonl_read() does. */
gboolean kk_jsonl_replay(FILE *lines, const char *source, KkSink sink, gpointer user_data, GError **error);

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
