/*
 * table-meeting.c — the header table of minutes (会議の名称 / 開催日時 / 開催場所 /
 * 出席委員): one meeting record.
 * Part of the parse engine (tables.h).
 */
#include "patterns/tables.h"
#include "common/kk-jsonl.h"

#include <string.h>

/* Meeting header: label cells -> title, held_on, place, attendees (the
 * cell right of each label). */
gboolean kp_table_meeting(TableCtx *ctx, GError **error)
{
  KkParser *p = ctx->p;
  const KpTable *t = ctx->table;
  KpFamily *fam = p->st->family;
  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "type", "meeting");
  const char *members[] = { "title", "held_on", "place", "attendees" };
  for (int i = 0; i < 4; i++)
    json_object_set_null_member(o, members[i]);
  const KpRule *any = NULL;
  for (int r = 0; r < t->nrows; r++)
    for (int c = 0; c < t->ncols; c++) {
      KpCell *cell = kp_table_at(t, r, c);
      if (cell == NULL || cell->row != r || cell->col != c)
        continue;
      const KpRule *rule = kp_rule_for_text(fam, KP_SEC_MEETING, KP_DIR_LABEL, &cell->t, NULL);
      if (rule == NULL)
        continue;
      KpCell *v = kp_table_at(t, r, c + cell->colspan);
      if (v == NULL)
        continue;
      any = rule;
      const char *as = kp_rule_opt(rule, KP_OPT_AS);
      if (as == NULL)
        continue;
      if (strcmp(as, "held_on") == 0) {
        const KpSpan *d = kp_text_find_span(&v->t, KK_SPAN_DATE, 0, -1);
        if (d && d->str)
          json_object_set_string_member(o, "held_on", d->str);
      } else {
        g_autofree char *val = kp_value_text(v->t.text);
        json_object_set_string_member(o, as, val);
      }
    }
  json_object_set_int_member(o, "page", ctx->page->no);
  if (t->has_bbox)
    kk_json_set_bbox(o, "bbox", t->bbox);
  return kp_emit(p, o, any, error);
}

