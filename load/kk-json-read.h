/*
 * kk-json-read.h — a fast reader of one JSON object (one line of the
 * stages' output) into json-glib's types, for ingest's writer.
 *
 * json_parser_load_from_data() spent ~190 instructions per byte on the
 * records lines (GScanner, one character at a time); the writer parsed
 * every line of every document with it, a sixth of its work.  This reader
 * scans with plain loops and builds the same JsonObject: members in order,
 * integers (no fraction, no exponent, within gint64) as G_TYPE_INT64, other
 * numbers as G_TYPE_DOUBLE, strings, booleans, nulls, arrays, objects.
 * It accepts strict JSON only (RFC 8259, UTF-8 checked) and gives no
 * error detail: on NULL the caller falls back to json-glib, which then
 * either explains the error or accepts what this reader left to it.
 */
#ifndef KK_JSON_READ_H
#define KK_JSON_READ_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deepest nesting of arrays and objects the reader takes. */
#define KK_JSON_READ_MAX_DEPTH 64

/* Parses `len` bytes of `text` (no terminator needed) holding one JSON
 * object and nothing else but whitespace.  Returns a new JsonObject
 * (json_object_unref) or NULL when the text is not one this reader
 * takes. */
JsonObject *kk_json_read_object(const char *text, gsize len);

G_END_DECLS

#endif
