/*
 * draft.h — `keikaku patterns draft FILE.pdf|PAGES.jsonl`: a first pattern
 * file from a document's structure (patterns/draft.c).
 */
#ifndef KK_DRAFT_H
#define KK_DRAFT_H

/* The subcommand; argv[0] is "draft".  Returns the exit status. */
int kp_cmd_draft(int argc, char **argv);

#endif
