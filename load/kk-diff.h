/*
 * kk-diff.h — what changed between two editions of a plan (loaded
 * documents of one database): items added, removed and renumbered (matched
 * as kk-editions.h matches them), and for each item kept, its title,
 * department, category, fields, schedules, measures (targets …),
 * achievements and budgets that changed, each with its page in both
 * editions; and the table facts added, removed and changed.
 */
#ifndef KK_DIFF_H
#define KK_DIFF_H

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef enum {
  KK_CHANGE_ADDED,
  KK_CHANGE_REMOVED,
  KK_CHANGE_RENUMBERED,
  KK_CHANGE_CHANGED
} KkChangeKind;

/* "added", "removed", "renumbered", "changed". */
const char *kk_change_name(KkChangeKind kind);

/* One change.  `field` names what changed of a kept item: "title",
 * "department", "category", "field:LABEL", "schedule:YEAR:plan|actual",
 * "measure:ROLE:LABEL:YEAR", "achievement:YEAR", "budget:YEAR" (NULL for
 * added/removed; "item_no" for renumbered).  A table fact's change has
 * item_no NULL, title the table's title, field
 * "fact:TABLE:ROW_LABEL:COLUMN_LABEL:YEAR" (TABLE the title, else "#N",
 * the table's position in its document) and values "VALUEUNIT".  Pages are
 * 0 when unknown. */
typedef struct {
  KkChangeKind kind;
  char *item_no;     /* the new edition's (the old one's for removed) */
  char *old_item_no; /* NULL for added */
  char *title;       /* the new edition's (the old one's for removed) */
  char *field, *old_value, *new_value;
  gint64 old_page, new_page;
} KkChange;

void kk_change_free(KkChange *change);

/* Compares the items of documents `old_doc` and `new_doc` of `db`.
 * Returns the changes (KkChange *, owned): removed items first in old
 * order, then per new item in its order: added, or renumbered and its
 * changes (in field order); then the table facts' changes (new facts in
 * order, then the old ones gone); NULL with `error` set on a database
 * error. */
GPtrArray *kk_diff_documents(sqlite3 *db, gint64 old_doc, gint64 new_doc, GError **error);

G_END_DECLS

#endif
