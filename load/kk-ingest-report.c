/* kk-ingest-report.c — see kk-ingest-report.h */
#include "kk-ingest-report.h"
#include "common/kk-error.h"
#include "common/kk-jsonl.h"

void kk_ingest_report_file(FILE *out, const char *file, gboolean ok, const KkIngestResult *result,
                           const GError *error)
{
  g_autoptr(JsonObject) o = json_object_new();
  json_object_set_string_member(o, "type", "file");
  json_object_set_string_member(o, "file", file);
  json_object_set_string_member(o, "outcome", ok ? kk_load_outcome_name(result->outcome) : "failed");
  json_object_set_int_member(o, "status", ok ? KK_OK : kk_exit_code(error));
  if (!ok)
    json_object_set_string_member(o, "message", error ? error->message : "failed");
  if (ok && result->digest.sha256[0] != '\0')
    json_object_set_string_member(o, "sha256", result->digest.sha256);
  if (ok && result->pages > 0)
    json_object_set_int_member(o, "pages", result->pages);
  kk_jsonl_write(out, o, NULL);
  fflush(out);
}

void kk_ingest_report_summary(FILE *out, guint loaded, guint unchanged, guint reprocessed, guint failed,
                              int status, const GError *error)
{
  g_autoptr(JsonObject) o = json_object_new();
  json_object_set_string_member(o, "type", "summary");
  json_object_set_int_member(o, "loaded", loaded);
  json_object_set_int_member(o, "unchanged", unchanged);
  json_object_set_int_member(o, "reprocessed", reprocessed);
  json_object_set_int_member(o, "failed", failed);
  json_object_set_int_member(o, "status", status);
  if (error != NULL)
    json_object_set_string_member(o, "message", error->message);
  kk_jsonl_write(out, o, NULL);
  fflush(out);
}
