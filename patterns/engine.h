/*
 * engine.h — internals shared by the parse engine's files (not an API for
 * other stages: that is parse.h).
 */
#ifndef KK_ENGINE_H
#define KK_ENGINE_H

#include "patterns/parse.h"
#include "patterns/kpat.h"
#include "patterns/pagemodel.h"

G_BEGIN_DECLS

/* How many pages the parser keeps before it must choose a family. */
#define KP_RECOGNISE_PAGES 16
/* Bounds of one item: a document whose cards never end must not grow an
 * item without limit. */
#define KP_MAX_ITEM_FIELDS 2000
#define KP_MAX_ITEM_RECORDS 20000
#define KP_MAX_FIELD_BYTES (1024u * 1024u)
/* Records kept in memory before they spill to a temporary file. */
#define KP_SPOOL_MEMORY (8u * 1024u * 1024u)

/* Scale of a money unit written in a table header (単位：千円 ...), or 0 if
 * `unit` is not a money unit. */
double kp_money_scale(const char *unit);

G_END_DECLS

#endif
