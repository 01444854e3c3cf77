/*
 * kk-ingest-report.h — `ingest --json`: the machine-readable account of a
 * batch, for scheduled jobs.  JSON Lines on stdout: one object per file as
 * it finishes, in input order, then one summary object (formats in
 * common/FORMATS.md, "ingest --json").
 */
#ifndef KK_INGEST_REPORT_H
#define KK_INGEST_REPORT_H

#include <stdio.h>
#include <glib.h>
#include "kk-ingest.h"

G_BEGIN_DECLS

/* Writes one file's line: {"type":"file","file","outcome"
 * (loaded|unchanged|reprocessed|failed),"status" (0, or the exit status
 * of its error),"message" (the error, failed only),"sha256","pages"}. */
void kk_ingest_report_file(FILE *out, const char *file, gboolean ok, const KkIngestResult *result,
                           const GError *error);

/* Writes the summary line: {"type":"summary","loaded","unchanged",
 * "reprocessed","failed","status" (the exit status of the run),
 * "message" (when the batch itself stopped)}. */
void kk_ingest_report_summary(FILE *out, guint loaded, guint unchanged, guint reprocessed, guint failed,
                              int status, const GError *error);

G_END_DECLS

#endif
